"""Writing the audit trail. Call audit_record inside the same transaction as the change."""

import ipaddress

from django.db import transaction
from django.utils import timezone

from . import context
from .chain import GENESIS, chain_key, event_hash
from .choices import Outcome
from .models import AuditChainHead, AuditEvent

# Keys that may carry a value into `changes`; anything else is recorded by name only.
NON_PERSONAL_VALUE_KEYS = frozenset(
    {"status", "stage", "risk", "role", "is_active", "restricted", "case_type", "outcome", "kind", "unit"}
)


def summarise_changes(changed):
    """{"field": (old, new)} → a summary that names every field but keeps only safe values."""
    summary = {}
    for field, values in (changed or {}).items():
        if field in NON_PERSONAL_VALUE_KEYS and isinstance(values, (tuple, list)) and len(values) == 2:
            summary[field] = [_plain(values[0]), _plain(values[1])]
        else:
            summary[field] = "changed"
    return summary


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def audit_record(
    *,
    actor,
    action,
    outcome=Outcome.OK,
    object_type="",
    object_id="",
    case=None,
    changes=None,
    details=None,
    username="",
):
    """Append one event to the chain and return it.

    `actor` may be None or anonymous (failed logins, public forms); `username` then names who was
    attempted. `case` (a Case or its public id) ties the event to the case's access panel.
    `details` must not contain personal data: ids, codes, counts and filter names only.
    """
    ctx = context.current()
    actor = actor if getattr(actor, "is_authenticated", False) else None
    organisation = getattr(actor, "organisation", None) if actor else None
    case_id, unit_id = "", None
    if case is not None:
        case_id = case if isinstance(case, str) else case.public_id
        unit_id = None if isinstance(case, str) else case.unit_id
    key_version, key = chain_key()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS, "last_event_id": 0}
        )
        event = AuditEvent(
            id=(head.last_event_id or 0) + 1,
            occurred_at=timezone.now(),
            actor_id=actor.pk if actor else None,
            actor_username=(actor.username if actor else username)[:150],
            organisation_id=organisation.pk if organisation else None,
            organisation_name=(organisation.name if organisation else "")[:200],
            role=(actor.role if actor else "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id or "")[:64],
            case_id=case_id,
            unit_id=unit_id,
            outcome=outcome,
            ip=_valid_ip(ctx.ip),
            user_agent=ctx.user_agent[:300],
            request_id=ctx.request_id[:64],
            changes=changes or {},
            details=details or {},
            prev_hash=head.last_hash,
            key_version=key_version,
        )
        event.hash = event_hash(event, head.last_hash, key)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(id=1).update(last_event_id=event.id, last_hash=event.hash)
    return event
