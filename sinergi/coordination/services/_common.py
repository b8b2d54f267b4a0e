"""What the coordination services share: rights, the managed meeting, case codes and the audit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.services import audit_record
from sinergi.cases.selectors import cases_visible_to

from ..choices import MeetingStatus
from ..models import Meeting
from ..selectors import meetings_managed_by

#: The statistics of a meeting pack cover this many days before the meeting unless told otherwise.
DEFAULT_PERIOD_DAYS = 90
#: A "due soon" reminder goes out this many days before the due date (and on the day itself).
REMIND_DAYS_BEFORE = 1


def _when(value):
    return date_format(timezone.localtime(value), "d-m-Y H:i")


def _day(value):
    return date_format(value, "d-m-Y")


def _require(actor, permission):
    if not has_permission(actor, permission) or actor.organisation_id is None:
        raise PermissionDenied
    if not actor.organisation.is_service_unit:
        raise PermissionDenied


def _managed_meeting(actor, meeting):
    _require(actor, "meeting.manage")
    if not meetings_managed_by(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied
    if meeting.status == MeetingStatus.DIBATALKAN:
        raise ValidationError(_("This meeting was cancelled; it can no longer be changed."))


def _case_by_code(actor, code, field="case_code"):
    """A case the actor may see, by its code; anything else is refused the same way."""
    code = (code or "").strip().upper()
    if not code:
        return None
    case = cases_visible_to(actor).filter(pseudonym=code).first()
    if case is None:
        raise ValidationError({field: _("No case with this code among the cases you may see.")})
    return case


def _audit(actor, action, obj, *, case=None, **details):
    audit_record(
        actor=actor,
        action=action,
        object_type="meeting" if isinstance(obj, Meeting) else "action_item",
        object_id=obj.public_id,
        case=case,
        details=details,
    )
