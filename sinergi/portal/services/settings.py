"""The unit's public-page settings, kept by the kepala."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.services import audit_record

from ..models import PortalSettings
from ..selectors import LOGO_MAX_BYTES, LOGO_NAME

FIELDS = ("official_name", "government_name", "logo_file", "hotline", "whatsapp", "office_address")
FIELDS += ("opening_hours", "alert_email")


def logo_file_problem(name):
    """Why `name` cannot be the unit's logo, or "" (empty = Sinergi's neutral emblem)."""
    if not name:
        return ""
    folder = Path(settings.SINERGI_BRANDING_DIR)
    if not LOGO_NAME.fullmatch(name):
        return _("Give only the file name (no folder), ending in .png, .jpg or .webp.")
    path = folder / name
    if not path.is_file():
        return _(
            "There is no file %(name)s in the logo folder %(folder)s; ask the operator to put it there."
        ) % {
            "name": name,
            "folder": folder,
        }
    if path.stat().st_size > LOGO_MAX_BYTES:
        return _("The logo must be at most %(kb)s KB, so the help page stays light on a slow phone.") % {
            "kb": LOGO_MAX_BYTES // 1024
        }
    return ""


@transaction.atomic
def portal_settings_save(*, actor, **fields):
    """The kepala's own unit's public contact details."""
    if not has_permission(actor, "portal.settings") or actor.organisation_id is None:
        raise PermissionDenied
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown portal settings: {sorted(unknown)}")
    fields = {f: (v or "").strip() if isinstance(v, str) else v for f, v in fields.items()}
    problem = logo_file_problem(fields.get("logo_file", ""))
    if problem:
        raise ValidationError({"logo_file": problem})
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
