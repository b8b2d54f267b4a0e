"""What an attacker with write access to the database (but not the key ring) does to the trail."""

from django.db import connection

from sinergi.audit.chain import legacy_hash
from sinergi.audit.models import AuditChainHead, AuditEvent

AUDIT_TABLES = ("audit_auditevent", "audit_auditchainhead")


def tamper(*statements):
    """Run (sql, params) pairs around the append-only triggers, as a database owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def set_head(last_id, last_hash):
    return ("UPDATE audit_auditchainhead SET last_event_id = %s, last_hash = %s", [last_id, last_hash])


def rechain(from_id, hash_function, upto=None):
    """Recompute every hash from `from_id` on (to `upto`) with `hash_function(event, prev_hash)`
    (which may also change the event), write the rows back and move the head, or relink the event
    after `upto` (whose own hash the intruder cannot recompute): a re-chain of a rewritten trail."""
    events = list(AuditEvent.objects.order_by("id"))
    upto = upto or events[-1].id
    prev_hash = events[from_id - 2].hash if from_id > 1 else "0" * 64
    rewritten = events[from_id - 1 : upto]
    statements = []
    for event in rewritten:
        event.prev_hash = prev_hash
        event.hash = hash_function(event, prev_hash)
        statements.append(
            (
                "UPDATE audit_auditevent SET action = %s, prev_hash = %s, hash = %s, key_version = %s WHERE id = %s",
                [event.action, event.prev_hash, f"tmp-{event.id}", event.key_version, event.id],
            )
        )
        prev_hash = event.hash
    # Hashes are unique: write temporary ones first, then the real ones.
    statements += [("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [e.hash, e.id]) for e in rewritten]
    if upto < events[-1].id:
        statements.append(("UPDATE audit_auditevent SET prev_hash = %s WHERE id = %s", [prev_hash, upto + 1]))
    else:
        statements.append(set_head(upto, prev_hash))
    tamper(*statements)


def unkeyed(event, prev_hash):
    """What someone who knows the code but not the key computes: the old unkeyed hash."""
    event.key_version = None
    return legacy_hash(event, prev_hash)


def head():
    return AuditChainHead.objects.get(id=1)
