from sinergi.demo.accounts import demo_data_load
from sinergi.interventions.models import Shelter, ShelterBed


def test_the_demo_unit_gets_a_shelter_once(db, settings, tmp_path):
    settings.DEMO = True
    settings.SINERGI_DEMO_PASSWORD = "demo-sandi-yang-panjang"
    settings.VAR_DIR = tmp_path
    demo_data_load()
    demo_data_load()
    shelter = Shelter.objects.get()
    assert shelter.unit.name == "UPTD PPA Kota Payakumbuh"
    assert ShelterBed.objects.filter(room__shelter=shelter).count() == 4
