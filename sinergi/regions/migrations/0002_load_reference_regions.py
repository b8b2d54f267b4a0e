"""Load all provinces and kab/kota of Indonesia, and the kecamatan/kelurahan of Kota Payakumbuh.

The rest of the national hierarchy (7k kecamatan, 84k desa/kelurahan) is loaded on demand with
`manage.py load_regions --all` (or per province/kab-kota code).
"""

from django.db import migrations

PILOT_CITY = "13.76"


def load(apps, schema_editor):
    from sinergi.regions.loader import load_regions

    load_regions(apps.get_model("regions", "Region"), prefixes=[PILOT_CITY])


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
