"""The unit's public-page settings, kept by the kepala."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from sinergi.accounts.access import has_permission
from sinergi.audit.services import audit_record

from ..models import PortalSettings


@transaction.atomic
def portal_settings_save(*, actor, **fields):
    """The kepala's own unit's public contact details."""
    if not has_permission(actor, "portal.settings") or actor.organisation_id is None:
        raise PermissionDenied
    allowed = {"hotline", "whatsapp", "office_address", "opening_hours", "alert_email"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown portal settings: {sorted(unknown)}")
    own, _created = PortalSettings.objects.select_for_update().get_or_create(unit=actor.organisation)
    changed = [f for f, v in fields.items() if getattr(own, f) != v]
    for f, v in fields.items():
        setattr(own, f, v)
    own.updated_by = actor
    own.save()
    audit_record(
        actor=actor,
        action="portal.settings.update",
        object_type="organisation",
        object_id=actor.organisation.public_id,
        changes=dict.fromkeys(changed, "changed"),
    )
    return own
