"""What every intervention service shares: the refusal that audits itself, and the checks of
case, persons, dates and codes.
"""

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.cases.choices import PersonRole, RiskLevel
from sinergi.cases.clocks import case_and_clocks_lock
from sinergi.cases.models.workflow import Assessment
from sinergi.core.errors import Refusal as CoreRefusal

from ..choices import (
    ServiceStatus,
    UptdService,
)

#: Services that come before any assessment: they are how a case starts (DOMAIN.md §6).
INTAKE_SERVICES = frozenset({UptdService.PENGADUAN, UptdService.PENJANGKAUAN, UptdService.PENGELOLAAN_KASUS})
#: Statuses that mean the unit acts (gives or refers); the others only record a fact.
ACTING_STATUSES = frozenset({ServiceStatus.DIBERIKAN, ServiceStatus.DIRUJUK})
_FUTURE_SLACK = dt.timedelta(minutes=5)


# --- refusals --------------------------------------------------------------------------------


class Refusal(CoreRefusal):
    """A rule of an intervention service says no (the one convention of sinergi.core.errors).

    The service's @refusable names the action and the object type; the raise names the case,
    the object and why (`reason`, kept in the audit details as `refused`).
    """

    def __init__(self, message, *, field=None, reason, case=None, object_id=""):
        super().__init__(
            message,
            field=field,
            code=reason,
            audit={"case": case, "object_id": object_id},
            details={"refused": reason},
        )


def _case_of(kwargs):
    """The case a service acts on: its `case`, or the case of the record it is given."""
    if kwargs.get("case") is not None:
        return kwargs["case"]
    for value in kwargs.values():
        if getattr(value, "case_id", None) is not None and hasattr(value, "case"):
            return value.case
    return None


def refusable(action, object_type):
    """Run the service in a transaction; a Refusal rolls it back and is audited as denied after
    the rollback (sinergi.audit.refusals), then reaches the caller as the ValidationError it is."""

    def decorator(service):
        @refusals_audited
        @functools.wraps(service)
        def wrapped(*, actor, **kwargs):
            try:
                with transaction.atomic():
                    case = _case_of(kwargs)
                    if case is not None:
                        # Every intervention acts on one case: it, then its clocks, before the
                        # service's own rows and its audit events (docs/development.md).
                        case_and_clocks_lock(case)
                    return service(actor=actor, **kwargs)
            except CoreRefusal as refusal:
                if refusal.audit is not None:
                    refusal.audit.setdefault("action", action)
                    refusal.audit.setdefault("object_type", object_type)
                raise

        return wrapped

    return decorator


# --- shared checks ---------------------------------------------------------------------------


def _person_of(case, person, role, field):
    if person is None or person.case_id != case.pk or person.role != role:
        message = (
            _("Choose a victim of this case.")
            if role == PersonRole.KORBAN
            else _("Choose a perpetrator of this case.")
        )
        raise ValidationError({field: message})
    return person


def _not_future_date(value, field):
    if value is None:
        raise ValidationError({field: _("Enter the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _not_future_moment(value, field):
    if value is None:
        raise ValidationError({field: _("Enter the date and time.")})
    if value > timezone.now() + _FUTURE_SLACK:
        raise ValidationError({field: _("The date cannot be in the future.")})


def _codes(values, choices, field):
    values = list(dict.fromkeys(str(v) for v in values or []))
    bad = [v for v in values if v not in choices.values]
    if bad:
        raise ValidationError({field: _("Unknown code: %(codes)s") % {"codes": ", ".join(bad)}})
    return values


def _choice(value, choices, field, *, blank=False):
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ValidationError({field: _("Choose a value from the list.")})
    return value


def _agency(org, field):
    """A partner agency or service unit chosen as provider, visited agency or legal agency."""
    if org is not None and not org.is_active:
        raise ValidationError({field: _("This organisation is no longer active.")})
    return org


def completed_assessment(case, victim=None):
    """The latest completed assessment of the case (of `victim`, when given), or None."""

    of_victim = {"victim": victim} if victim is not None else {}
    return (
        Assessment.objects.filter(case=case, completed_at__isnull=False, **of_victim)
        .order_by("-completed_at", "-id")
        .first()
    )


def _check_assessment_or_emergency(case, *, victim, emergency, needs_assessment):
    """A service that acts on the victim waits for the assessment, except a high-risk emergency.

    DOMAIN.md §6: assessment before the plan and its services; high-risk cases get emergency
    services (shelter, medical care, accompaniment to the police) at once.
    """
    if emergency:
        if case.risk != RiskLevel.TINGGI:
            raise Refusal(
                _("Only a high-risk case may receive emergency services before the assessment."),
                field="emergency",
                reason="emergency_not_high_risk",
                case=case,
            )
        return
    if needs_assessment and completed_assessment(case, victim) is None:
        raise Refusal(
            _(
                "Complete this victim's assessment first. A high-risk case may receive this service "
                "at once as an emergency service."
            ),
            field="emergency",
            reason="no_assessment",
            case=case,
        )


def _stop_moment(day):
    """When a clock stops for an event known by its date only: now if today, else that day's end.

    The end of the day is the latest moment the event can have happened, so a clock is never
    counted as met earlier than it may have been.
    """
    if day >= timezone.localdate():
        return timezone.now()
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())
