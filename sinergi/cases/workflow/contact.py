"""The first contact with the survivor: the first response is given (DOMAIN.md §7)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_stop

from ..choices import ContactMethod, StepCause
from ..clocks import case_and_clocks_lock
from ._common import _refuse, _require_edit
from .steps import case_advance_by_work

#: A contact typed a few minutes ahead of the server's clock is still "now".
_FUTURE_SLACK = dt.timedelta(minutes=5)


def first_contact_problems(case, *, at, method):
    """The field errors of a first contact (shown early by the form; the service decides)."""
    errors = {}
    if method not in ContactMethod.values:
        errors["method"] = _("Choose how the survivor was reached.")
    if at is None:
        errors["at"] = _("Enter the date and time.")
    elif at > timezone.now() + _FUTURE_SLACK:
        errors["at"] = _("The date cannot be in the future.")
    else:
        reported = case.reported_at or case.created_at
        # The form gives minutes: a contact in the minute of the report is not before it.
        if at < reported.replace(second=0, microsecond=0):
            errors["at"] = _("The first contact cannot be before the report (%(when)s).") % {
                "when": timezone.localtime(reported).strftime("%d-%m-%Y %H:%M")
            }
    return errors


@refusals_audited
def case_first_contact(*, actor, case, at, method):
    """Record when and how the unit first reached the survivor.

    It stops the first-response clock at that moment (met or late by the contact time, not by
    when it was typed) and carries a case still at intake on to screening (`identifikasi`).
    Recorded once: a second attempt is refused, the first record stands.
    """
    _require_edit(actor, case, "case.first_contact")
    if case.first_contact_at is not None:
        _refuse(
            actor,
            case,
            "case.first_contact",
            "already_recorded",
            _("The first contact was already recorded on %(when)s.")
            % {"when": timezone.localtime(case.first_contact_at).strftime("%d-%m-%Y %H:%M")},
        )
    errors = first_contact_problems(case, at=at, method=method)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = case_and_clocks_lock(case)
        if case.first_contact_at is not None:
            raise ValidationError(_("The first contact was already recorded."), code="already_recorded")
        case.first_contact_at, case.first_contact_method = at, method
        case.version += 1
        case.save(update_fields=["first_contact_at", "first_contact_method", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="case.first_contact",
            object_type="case",
            object_id=case.public_id,
            case=case,
            details={"method": method, "at": at.isoformat()},
        )
        deadline_stop(kind=ClockKind.FIRST_RESPONSE, case=case, stopped_at=at, actor=actor)
        case = case_advance_by_work(actor=actor, case=case, cause=StepCause.FIRST_CONTACT, at=at)
    return case
