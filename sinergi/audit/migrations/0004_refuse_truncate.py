"""PostgreSQL refuses TRUNCATE of the audit trail and of its chain head, and DELETE of the head.

TRUNCATE fires no row trigger, so 0002's append-only trigger let `TRUNCATE audit_auditevent` wipe
the whole trail (issue 15, item 5). A statement trigger refuses it now; `manage.py flush` is
refused with it. The test suite's flush turns these triggers off for its own throwaway database
only (sinergi.testing.flush). SQLite has no TRUNCATE; a DELETE there is caught by the chain and
the checkpoints (docs/audit.md).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION sinergi_audit_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION sinergi_audit_refuse();
CREATE TRIGGER audit_auditchainhead_no_truncate
    BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION sinergi_audit_refuse();
CREATE TRIGGER audit_auditchainhead_no_delete
    BEFORE DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION sinergi_audit_refuse();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditchainhead_no_truncate ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_auditchainhead_no_delete ON audit_auditchainhead;
DROP FUNCTION IF EXISTS sinergi_audit_refuse();
"""


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_key_version")]
    operations = [migrations.RunPython(up, down)]
