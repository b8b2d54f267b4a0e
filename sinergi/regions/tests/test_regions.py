import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sinergi.regions.loader import load_regions
from sinergi.regions.models import Region

# DOMAIN.md §1: Kota Payakumbuh after the 2014 merger.
PAYAKUMBUH_KECAMATAN = {
    "13.76.01": "Payakumbuh Barat",
    "13.76.02": "Payakumbuh Utara",
    "13.76.03": "Payakumbuh Timur",
    "13.76.04": "Lamposi Tigo Nagori",
    "13.76.05": "Payakumbuh Selatan",
}
KELURAHAN_PER_KECAMATAN = {"13.76.01": 17, "13.76.02": 9, "13.76.03": 9, "13.76.04": 6, "13.76.05": 6}


def test_all_provinces_and_kab_kota_are_loaded(db):
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.get(code="13").name == "Sumatera Barat"
    assert Region.objects.get(code="13.76").kind == "kota"
    assert Region.objects.get(code="13.07").kind == "kabupaten"


def test_payakumbuh_has_5_kecamatan_and_47_kelurahan(db):
    kecamatan = dict(Region.objects.filter(parent_id="13.76").values_list("code", "name"))
    assert kecamatan == PAYAKUMBUH_KECAMATAN
    for code, count in KELURAHAN_PER_KECAMATAN.items():
        assert Region.objects.filter(parent_id=code, level=4).count() == count
    assert Region.objects.filter(code__startswith="13.76.", level=4).count() == 47
    assert Region.objects.get(code="13.76.01.1002").name == "Pakan Sinayan"
    assert Region.objects.get(code="13.76.05.1010").name == "Sawahpadang Aua Kuniang"
    assert Region.objects.get(code="13.76.01.1002").kind == "kelurahan"


def test_loading_is_idempotent_and_adds_a_province_on_demand(db):
    before = Region.objects.count()
    assert load_regions(Region, prefixes=["13.76"]) == (0, 0)
    assert Region.objects.count() == before
    created, _ = load_regions(Region, prefixes=["13"])
    assert created > 1000  # all of Sumatera Barat's kecamatan and nagari/kelurahan
    assert load_regions(Region, prefixes=["13"]) == (0, 0)
    # Every row has its parent.
    assert not Region.objects.filter(level__gt=1, parent__isnull=True).exists()


def test_command_refuses_a_bad_code(db):
    with pytest.raises(CommandError, match="not a Kemendagri code"):
        call_command("load_regions", "Payakumbuh")
    with pytest.raises(CommandError, match="--all"):
        call_command("load_regions")


def test_renamed_regions_are_updated(db):
    Region.objects.filter(code="13.76.01").update(name="Nama Lama")
    assert load_regions(Region, prefixes=["13.76"]) == (0, 1)
    assert Region.objects.get(code="13.76.01").name == "Payakumbuh Barat"
