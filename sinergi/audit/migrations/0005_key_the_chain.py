"""An installation upgrading to the keyed chain: its unkeyed events stay as they are (their hashes
still verify, and so do copies of old hashes kept elsewhere), and one keyed event,
`audit.chain_keyed`, is appended after them. From it on every event is keyed, and verify_chain
accepts unkeyed events only before the first keyed one, so nobody can turn newer events back into
unkeyed ones (docs/audit.md "Upgrading"). An empty trail (a new installation) needs nothing.
"""

from django.db import migrations
from django.utils import timezone

from sinergi.audit.chain import GENESIS, chain_key, event_hash


def key_the_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    last = AuditEvent.objects.using(db).order_by("-id").first()
    if last is None or last.key_version is not None:
        return
    head = AuditChainHead.objects.using(db).select_for_update().filter(id=1).first()
    last_id, last_hash = (head.last_event_id or 0, head.last_hash) if head else (last.id, last.hash)
    version, key = chain_key()
    event = AuditEvent(
        id=last_id + 1,
        occurred_at=timezone.now(),
        action="audit.chain_keyed",
        outcome="ok",
        changes={},
        details={"unkeyed_events": last_id, "unkeyed_head": last_hash or GENESIS},
        prev_hash=last_hash or GENESIS,
        key_version=version,
    )
    event.hash = event_hash(event, event.prev_hash, key)
    event.save(using=db, force_insert=True)
    AuditChainHead.objects.using(db).update_or_create(
        id=1, defaults={"last_event_id": event.id, "last_hash": event.hash}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_refuse_truncate")]
    # Backwards: the marker stays (the trail is append-only); older code ignores the column.
    operations = [migrations.RunPython(key_the_chain, migrations.RunPython.noop)]
