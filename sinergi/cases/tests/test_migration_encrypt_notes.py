import datetime as dt
import importlib
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from sinergi.cases.models import BreakGlassAccess
from sinergi.testing.cases import case_row

migration = importlib.import_module("sinergi.cases.migrations.0004_encrypt_staff_notes")


def test_notes_written_in_clear_before_the_migration_are_encrypted(personas):
    case = case_row(personas.orgs.unit)
    grant = BreakGlassAccess.objects.create(
        case=case,
        user=personas.kepala_provinsi,
        reason="x" * 20,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_breakglassaccess SET reason = %s WHERE id = %s", ["alasan lama", grant.pk]
        )
    migration.encrypt_existing(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM cases_breakglassaccess WHERE id = %s", [grant.pk])
        assert "alasan" not in cursor.fetchone()[0]
    assert BreakGlassAccess.objects.get(pk=grant.pk).reason == "alasan lama"
