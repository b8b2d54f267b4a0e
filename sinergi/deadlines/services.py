"""Starting, stopping, extending and cancelling clocks (the API other apps call).

Every write is audited in the caller's transaction (object_type "deadline"). The event that
starts or stops a clock belongs to the calling service (case registration, an assessment, a
shelter admission ...); this module only keeps the time. `actor` is optional: clocks started by
the system (or by a public form) are audited without one.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.audit.choices import Outcome
from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.core.errors import Refusal

from .choices import RISK_DEPENDENT_KINDS, ClockKind, DeadlineStatus, TimeUnit
from .models import ClockPolicy, Deadline, DeadlineExtension, UnitWorkSettings
from .policies import can_extend, require_policy_edit
from .policy import duration_for

MIN_EXTENSION_REASON = 10

#: Longest duration a unit may set, per unit of time (a typo guard, not a rule of law).
MAX_AMOUNT = {
    TimeUnit.MINUTES: 60 * 24 * 7,
    TimeUnit.HOURS: 24 * 90,
    TimeUnit.DAYS: 365,
    TimeUnit.WORKING_DAYS: 260,
    TimeUnit.MONTHS: 24,
}
#: Hours in one unit of time, to compare the warning window with the duration (months ≈ 30 days).
HOURS_PER = {
    TimeUnit.MINUTES: 1 / 60,
    TimeUnit.HOURS: 1,
    TimeUnit.DAYS: 24,
    TimeUnit.WORKING_DAYS: 24,
    TimeUnit.MONTHS: 24 * 30,
}
#: Limits set by law or by DOMAIN.md §7 that a unit may shorten but not lengthen, in hours; and the
#: units of time allowed for them (working days would stretch "3×24 hours" over a weekend).
LEGAL_MAX_HOURS = {
    ClockKind.TPKS_POLICE_REPORT: (
        72,
        gettext_lazy("UU TPKS Ps 41: the report to the police is due within 3×24 hours."),
    ),
    ClockKind.SHELTER_STAY: (
        7 * 24,
        gettext_lazy("A shelter stay lasts at most 7 days; a longer stay is an extension with a reason."),
    ),
}
HOURS_OR_DAYS = {TimeUnit.MINUTES, TimeUnit.HOURS, TimeUnit.DAYS}


def duration_problems(kind, *, amount, time_unit, warning_minutes):
    """{"amount" | "time_unit" | "warning_minutes": message} for a unit's duration of a clock."""
    if amount < 1:
        return {"amount": _("A clock must run for at least one unit of time.")}
    if amount > MAX_AMOUNT[time_unit]:
        return {
            "amount": _("At most %(n)d %(unit)s.")
            % {"n": MAX_AMOUNT[time_unit], "unit": TimeUnit(time_unit).label}
        }
    if kind in LEGAL_MAX_HOURS:
        limit, why = LEGAL_MAX_HOURS[kind]
        if time_unit not in HOURS_OR_DAYS:
            return {"time_unit": _("Count this clock in hours or days.") + " " + str(why)}
        if amount * HOURS_PER[time_unit] > limit:
            return {"amount": str(why)}
    if warning_minutes is not None and warning_minutes >= amount * HOURS_PER[time_unit] * 60:
        return {"warning_minutes": _("The warning must start before the deadline's whole duration.")}
    return {}


def subject_key(subject):
    """("app_label.model", public_id) naming a non-case subject, or ("", "")."""
    if subject is None:
        return "", ""
    return subject._meta.label_lower, str(subject.public_id)


def _open_filter(kind, case, subject):
    subject_type, subject_id = subject_key(subject)
    qs = Deadline.objects.filter(kind=kind, status=DeadlineStatus.OPEN)
    if subject is not None:
        qs = qs.filter(subject_type=subject_type, subject_id=subject_id)
        return qs.filter(case=case) if case is not None else qs
    return qs.filter(case=case, subject_type="", subject_id="")


def deadlines_lock(*, case=None, subject=None):
    """Lock the running clocks of a case (every one, whatever its subject) or of one subject now.

    A service that stops, cancels or retimes clocks after its first audit event calls this
    before it: the audit chain head is the last lock a transaction takes (docs/development.md,
    "Locks and conflicts"), and clocks locked after it could deadlock against the reminder job or
    another service that locks the same clocks and then audits."""
    running = Deadline.objects.select_for_update().filter(status=DeadlineStatus.OPEN)
    if case is not None:
        running = running.filter(case=case)
    if subject is not None:
        subject_type, subject_id = subject_key(subject)
        running = running.filter(subject_type=subject_type, subject_id=subject_id)
    return list(running.order_by("pk").values_list("pk", flat=True))


def _audit(deadline, action, actor=None, outcome=Outcome.OK, **details):
    audit_record(
        actor=actor,
        action=action,
        outcome=outcome,
        object_type="deadline",
        object_id=deadline.public_id,
        case=deadline.case,
        details={"kind": deadline.kind, **details},
    )


def _iso(value):
    return value.isoformat() if value else None


@transaction.atomic
def deadline_start(
    *,
    kind,
    unit,
    started_at,
    case=None,
    subject=None,
    responsible=None,
    risk=None,
    due_before=None,
    due_at=None,
    actor=None,
):
    """Start a clock, or return the one of this kind already running for the case/subject.

    The duration comes from the unit's clock policy; `risk` (for first response and referral
    response) defaults to the case's risk, then to the subject's `risk` attribute if any.
    `due_before` makes the clock due earlier than the policy says, never later (a shelter stay
    planned for 3 days is due after 3 days; the policy's 7 days stay the limit).
    `due_at` is for the clocks whose end the watched thing sets (FIXED_END_KINDS: a protection's
    "until", a safety plan's review date); the policy gives only their warning.
    """
    if kind not in ClockKind.values:
        raise ValueError(f"unknown clock {kind!r}")
    if case is None and subject is None:
        raise ValueError("a clock needs a case or a subject")
    existing = _open_filter(kind, case, subject).first()
    if existing is not None:
        return existing
    if risk is None:
        risk = getattr(case, "risk", "") or getattr(subject, "risk", "") or ""
    duration = duration_for(unit, kind, risk)
    subject_type, subject_id = subject_key(subject)
    if due_at is None:
        due_at = duration.due_from(started_at)
    if due_before is not None and due_before < due_at:
        due_at = due_before
    deadline = Deadline(
        unit=unit,
        case=case,
        subject_type=subject_type,
        subject_id=subject_id,
        kind=kind,
        risk=risk if risk in {"tinggi", "sedang", "rendah"} else "",
        started_at=started_at,
        due_at=due_at,
        original_due_at=due_at,
        responsible=responsible,
        warning_minutes=duration.warning_minutes,
        warn_at=due_at - dt.timedelta(minutes=duration.warning_minutes),
    )
    try:
        with transaction.atomic():
            deadline.save()
    except IntegrityError:
        # Started at the same moment by another request: theirs is the clock.
        return _open_filter(kind, case, subject).get()
    _audit(
        deadline,
        "deadline.start",
        actor,
        due_at=_iso(due_at),
        duration=f"{duration.amount} {duration.time_unit}",
        subject=subject_type or None,
    )
    return deadline


@transaction.atomic
def deadline_stop(*, kind, stopped_at, case=None, subject=None, actor=None):
    """Stop the running clock (met, or met late when stopped after it was due); None if none runs."""
    deadline = _open_filter(kind, case, subject).select_for_update().first()
    if deadline is None:
        return None
    deadline.stopped_at = stopped_at
    deadline.status = DeadlineStatus.MET if stopped_at <= deadline.due_at else DeadlineStatus.MET_LATE
    deadline.save(update_fields=["stopped_at", "status"])
    _audit(deadline, "deadline.stop", actor, status=deadline.status, stopped_at=_iso(stopped_at))
    return deadline


@transaction.atomic
def deadline_cancel(*, kind, case=None, subject=None, actor=None, reason=""):
    """Cancel the running clock of this kind (e.g. the case was closed); None if none runs."""
    deadline = _open_filter(kind, case, subject).select_for_update().first()
    if deadline is None:
        return None
    _cancel_one(deadline, actor, reason)
    return deadline


@transaction.atomic
def deadline_cancel_all(*, case, actor=None, reason=""):
    """Cancel every running clock of a case (closure); returns how many."""
    running = list(Deadline.objects.select_for_update().filter(case=case, status=DeadlineStatus.OPEN))
    for deadline in running:
        _cancel_one(deadline, actor, reason)
    return len(running)


def _cancel_one(deadline, actor, reason):
    deadline.stopped_at = timezone.now()
    deadline.status = DeadlineStatus.CANCELLED
    deadline.save(update_fields=["stopped_at", "status"])
    _audit(deadline, "deadline.cancel", actor, reason=reason or None)


@refusals_audited
def deadline_extend(*, actor, deadline, due_at, reason):
    """Move a running clock's due time later, with the reason (kept, encrypted, and audited).

    A refused extension (no reason, not later, clock not running) is a Refusal, audited as denied
    (with the refused fields) once nothing is left to roll back.
    """
    if not can_extend(actor, deadline):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not deadline.is_open:
        errors["due_at"] = _("This deadline is no longer running; it cannot be extended.")
    elif due_at is None or due_at <= deadline.due_at:
        errors["due_at"] = _("The new due time must be later than the current one.")
    if len(reason) < MIN_EXTENSION_REASON:
        errors["reason"] = _("Write the reason for the extension (at least %(n)d characters).") % {
            "n": MIN_EXTENSION_REASON
        }
    if errors:
        raise Refusal.of_fields(
            errors,
            code="extension_refused",
            audit={
                "action": "deadline.extend",
                "object_type": "deadline",
                "object_id": deadline.public_id,
                "case": deadline.case,
            },
            details={"kind": deadline.kind, "refused": sorted(errors)},
        )
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        extension = DeadlineExtension.objects.create(
            deadline=locked, previous_due_at=locked.due_at, new_due_at=due_at, reason=reason, actor=actor
        )
        locked.due_at = due_at
        locked.warn_at = due_at - dt.timedelta(minutes=locked.warning_minutes)
        locked.save(update_fields=["due_at", "warn_at"])
        _audit(
            locked,
            "deadline.extend",
            actor,
            previous_due_at=_iso(extension.previous_due_at),
            due_at=_iso(due_at),
            extension=extension.pk,
        )
    deadline.due_at, deadline.warn_at = locked.due_at, locked.warn_at
    return extension


@transaction.atomic
def deadline_handover(*, subject, case, actor=None):
    """A subject (e.g. a portal report) became a case: its running clocks now belong to the case.

    The subject's clock started earlier than any the case registration started, so it wins: a
    running case clock of the same kind is cancelled as superseded.
    """
    subject_type, subject_id = subject_key(subject)
    moved = []
    for deadline in Deadline.objects.select_for_update().filter(
        subject_type=subject_type, subject_id=subject_id, status=DeadlineStatus.OPEN
    ):
        duplicate = _open_filter(deadline.kind, case, None).exclude(pk=deadline.pk).first()
        if duplicate is not None:
            _cancel_one(duplicate, actor, "superseded")
        deadline.case = case
        deadline.subject_type, deadline.subject_id = "", ""
        deadline.save(update_fields=["case", "subject_type", "subject_id"])
        _audit(deadline, "deadline.handover", actor, subject=subject_type)
        moved.append(deadline)
    return moved


@transaction.atomic
def deadline_retime_for_risk(*, case, actor=None):
    """The case's risk changed: running risk-dependent clocks (first response, referral response)
    get the duration of the new risk, from their own start. Extended clocks keep their due time."""

    changed = []
    for deadline in Deadline.objects.select_for_update().filter(
        case=case, status=DeadlineStatus.OPEN, kind__in=RISK_DEPENDENT_KINDS
    ):
        if deadline.was_extended or deadline.risk == (case.risk or ""):
            continue
        duration = duration_for(deadline.unit, deadline.kind, case.risk)
        previous = deadline.due_at
        deadline.risk = case.risk or ""
        deadline.due_at = deadline.original_due_at = duration.due_from(deadline.started_at)
        deadline.warning_minutes = duration.warning_minutes
        deadline.warn_at = deadline.due_at - dt.timedelta(minutes=duration.warning_minutes)
        deadline.save(update_fields=["risk", "due_at", "original_due_at", "warning_minutes", "warn_at"])
        _audit(
            deadline,
            "deadline.retime",
            actor,
            risk=deadline.risk or None,
            previous_due_at=_iso(previous),
            due_at=_iso(deadline.due_at),
        )
        changed.append(deadline)
    return changed


def deadline_assign(*, deadline, responsible, actor=None):
    """Name who answers for a running clock (shown on "my work", sent the reminders). The caller
    checks who may (e.g. the kepala assigning the case, or the service that starts the clock)."""
    with transaction.atomic():
        deadline.responsible = responsible
        deadline.save(update_fields=["responsible"])
        _audit(deadline, "deadline.assign", actor, responsible=getattr(responsible, "public_id", None))
    return deadline


# --- unit settings ---------------------------------------------------------------------------


@transaction.atomic
def clock_policy_set(*, actor, unit, kind, risk, amount, time_unit, warning_minutes):
    """Set a unit's duration for a clock (audited with the old and the new value)."""
    require_policy_edit(actor, unit)
    problems = duration_problems(kind, amount=amount, time_unit=time_unit, warning_minutes=warning_minutes)
    if problems:
        raise Refusal.of_fields(problems, code="invalid_duration")
    old = ClockPolicy.objects.filter(unit=unit, kind=kind, risk=risk).first()
    before = f"{old.amount} {old.time_unit} / {old.warning_minutes}" if old else None
    policy, _created = ClockPolicy.objects.update_or_create(
        unit=unit,
        kind=kind,
        risk=risk,
        defaults={
            "amount": amount,
            "time_unit": time_unit,
            "warning_minutes": warning_minutes,
            "updated_by": actor,
        },
    )
    after = f"{amount} {time_unit} / {warning_minutes}"
    if before != after:
        audit_record(
            actor=actor,
            action="deadline.policy",
            object_type="organisation",
            object_id=unit.public_id,
            details={"kind": kind, "risk": risk or None, "before": before, "after": after},
        )
    return policy


@transaction.atomic
def clock_policy_reset(*, actor, unit, kind, risk):
    """Back to the default duration of DOMAIN.md §7."""
    require_policy_edit(actor, unit)
    deleted, _detail = ClockPolicy.objects.filter(unit=unit, kind=kind, risk=risk).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="deadline.policy_reset",
            object_type="organisation",
            object_id=unit.public_id,
            details={"kind": kind, "risk": risk or None},
        )
    return bool(deleted)


def unit_clock_settings_lock(unit):
    """Lock a unit's clock policies and work settings before a form saves several of them in one
    transaction (each save is audited: every lock comes before the first audit event)."""
    list(ClockPolicy.objects.select_for_update().filter(unit=unit).values_list("pk", flat=True))
    list(UnitWorkSettings.objects.select_for_update().filter(unit=unit).values_list("pk", flat=True))


@transaction.atomic
def unit_work_settings_set(*, actor, unit, no_contact_days):
    require_policy_edit(actor, unit)
    if not 1 <= no_contact_days <= 365:
        raise ValidationError({"no_contact_days": _("Enter a number of days between 1 and 365.")})
    settings_row, _created = UnitWorkSettings.objects.update_or_create(
        unit=unit, defaults={"no_contact_days": no_contact_days}
    )
    audit_record(
        actor=actor,
        action="deadline.settings",
        object_type="organisation",
        object_id=unit.public_id,
        details={"no_contact_days": no_contact_days},
    )
    return settings_row
