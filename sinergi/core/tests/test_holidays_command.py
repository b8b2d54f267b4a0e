import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sinergi.core.models import Holiday


def run(*args):
    out = StringIO()
    call_command("holidays", *args, stdout=out)
    return out.getvalue()


def test_add_list_remove(db):
    assert "Added" in run("add", "2026-12-31", "Hari Jadi Kota (uji)")
    assert Holiday.objects.get(date=dt.date(2026, 12, 31)).kind == "libur_daerah"
    assert "Hari Jadi Kota (uji)" in run("list", "--year", "2026")
    assert "Updated" in run("add", "2026-12-31", "Nama baru")
    run("remove", "2026-12-31")
    assert not Holiday.objects.filter(date=dt.date(2026, 12, 31)).exists()


def test_bad_input_is_explained(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("add", "31-12-2026", "x")
    with pytest.raises(CommandError, match="no holiday"):
        run("remove", "2026-12-30")
    with pytest.raises(CommandError, match="No official holiday data"):
        run("load", "--year", "1999")


def test_load_is_idempotent(db):
    count = Holiday.objects.count()
    assert count > 20
    assert "Loaded 0" in run("load")
    assert Holiday.objects.count() == count
