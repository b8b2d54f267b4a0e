"""Protection measures and their breaches, and the victim's safety plan (docs/protection.md).

A measure (police temporary protection under UU TPKS Ps 42, LPSK under Ps 43, PKDRT police
protection, a court protection order) is recorded from the request to its end: recording the
police request stops the 1×24 h "ask the police" clock, a measure given with an end starts a
clock that warns before it ends. A breach makes the case high risk at once and alerts the lead
and the head of unit. A safety plan is required for every victim of a high-risk case before the
plan step (sinergi.cases.workflow.steps).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_cancel, deadline_start, deadline_stop

from ..choices import PersonRole, RiskLevel
from ..clocks import case_and_clocks_lock
from ..models import ProtectionBreach, ProtectionMeasure, SafetyPlan, SafetyPlanAction
from ..protection_choices import MAX_TERM_DAYS, NEEDS_UNTIL, ProtectionKind, ProtectionStatus
from ..workflow_selectors import current_lead
from ._common import _case_ref, _notify, _refuse, _require_edit, _unit_heads
from .monev import _reevaluate_risk

#: A time "now" typed on a phone may run a little ahead of the server's clock.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_ACTIONS = 30
MEASURE_TEXT_FIELDS = ("issuer_name", "reference", "conditions")
MEASURE_FIELDS = (
    "kind",
    "status",
    "requested_at",
    "issuer",
    "decided_on",
    "given_on",
    "until",
    *MEASURE_TEXT_FIELDS,
)


def _end_of_day(day):
    """The first moment after `day` in the unit's time zone (Asia/Jakarta): a protection "until
    14 December" runs through that whole day."""
    naive = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _start_of_day(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _check_victim(actor, case, victim, action):
    if victim is None or victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        _refuse(actor, case, action, "not_a_victim", _("Choose a victim of this case."), field="victim")


# --- measures --------------------------------------------------------------------------------------


def measure_problems(*, kind, status, requested_at, decided_on=None, given_on=None, until=None, now=None):
    """{field: message} for a measure as it would be saved."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = {}
    if kind not in ProtectionKind.values:
        errors["kind"] = _("Choose the kind of protection.")
    if status not in ProtectionStatus.values:
        errors["status"] = _("Choose the status.")
    if requested_at is None:
        errors["requested_at"] = _("Say when protection was asked for.")
    elif requested_at > now + CLOCK_SKEW:
        errors["requested_at"] = _("The request cannot be in the future.")
    if errors:
        return errors
    if status == ProtectionStatus.DIMINTA and (given_on or until):
        errors["status"] = _("A protection with a date given is not only asked for: choose “Given”.")
    if status == ProtectionStatus.DITOLAK and decided_on is None:
        errors["decided_on"] = _("Say when the request was refused.")
    if decided_on and decided_on > today:
        errors["decided_on"] = _("The decision cannot be in the future.")
    if status in (ProtectionStatus.DIBERIKAN, ProtectionStatus.BERAKHIR):
        if given_on is None:
            errors["given_on"] = _("Say on which day the protection was given.")
        elif given_on > today:
            errors["given_on"] = _("The day it was given cannot be in the future.")
        elif given_on < timezone.localdate(requested_at) and kind != ProtectionKind.POLISI_TPKS:
            errors["given_on"] = _("The protection cannot be given before it was asked for.")
        if kind in NEEDS_UNTIL and until is None:
            errors["until"] = _("Say until which day the protection runs.")
    return errors


def term_problem(kind, given_on, until):
    """(code, message) when a given protection's term breaks the law's limit, else None."""
    if not (given_on and until):
        return None
    if until < given_on:
        return "until_before_given", _("“Until” cannot be before the day it was given.")
    limit = MAX_TERM_DAYS.get(kind)
    if limit is None or (until - given_on).days <= limit:
        return None
    if kind == ProtectionKind.POLISI_TPKS:
        return "term_too_long", _(
            "Police temporary protection (UU TPKS Ps 42) lasts at most 14 days. "
            "A longer protection needs a court order: record it as a court protection order."
        )
    return "term_too_long", _(
        "Police temporary protection under UU PKDRT Ps 16 lasts at most 7 days. "
        "A longer protection needs a court protection order."
    )


def _clock_subject_start(measure, actor):
    if measure.status == ProtectionStatus.DIBERIKAN and measure.until:
        deadline_start(
            kind=ClockKind.PROTECTION_END,
            unit=measure.case.unit,
            case=measure.case,
            subject=measure,
            started_at=_start_of_day(measure.given_on),
            due_at=_end_of_day(measure.until),
            actor=actor,
        )


@refusals_audited
def protection_save(*, actor, case, victim, measure=None, **fields):
    """Record a protection measure for `victim`, or update `measure` (its decision, its term, its
    conditions). Fields: kind, status, requested_at, issuer, issuer_name, reference, decided_on,
    given_on, until, conditions."""
    action = "protection.record" if measure is None else "protection.update"
    _require_edit(actor, case, action)
    _check_victim(actor, case, victim, action)
    if measure is not None and (measure.case_id != case.pk or measure.victim_id != victim.pk):
        _refuse(actor, case, action, "not_this_case", _("This measure belongs to another victim."))
    if measure is not None and measure.status == ProtectionStatus.BERAKHIR:
        _refuse(actor, case, action, "ended", _("This protection has ended; record a new one."))
    status = fields.get("status")
    if status == ProtectionStatus.BERAKHIR:
        _refuse(
            actor, case, action, "use_end", _("Record the end of a protection with “End”."), field="status"
        )
    errors = measure_problems(
        kind=fields.get("kind"),
        status=status,
        requested_at=fields.get("requested_at"),
        decided_on=fields.get("decided_on"),
        given_on=fields.get("given_on"),
        until=fields.get("until"),
    )
    if errors:
        raise ValidationError(errors)
    problem = term_problem(fields.get("kind"), fields.get("given_on"), fields.get("until"))
    if problem:
        _refuse(
            actor, case, action, problem[0], problem[1], field="until", details={"kind": fields.get("kind")}
        )
    with transaction.atomic():
        case = case_and_clocks_lock(case)
        before = {}
        if measure is None:
            measure = ProtectionMeasure(case=case, victim=victim, recorded_by=actor)
        else:
            measure = ProtectionMeasure.objects.select_for_update().get(pk=measure.pk)
            before = {"status": measure.status, "until": measure.until and measure.until.isoformat()}
        for name in MEASURE_FIELDS:
            if name in fields:
                value = fields[name]
                if name in MEASURE_TEXT_FIELDS:
                    value = (value or "").strip()
                setattr(measure, name, value)
        measure.save()
        changes = {}
        if before:
            after = {"status": measure.status, "until": measure.until and measure.until.isoformat()}
            changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        audit_record(
            actor=actor,
            action=action,
            object_type="protection",
            object_id=measure.public_id,
            case=case,
            changes=changes,
            details={"kind": measure.kind, "status": measure.status, "victim": victim.public_id},
        )
        if measure.kind == ProtectionKind.POLISI_TPKS:
            deadline_stop(
                kind=ClockKind.PROTECTION_REQUEST,
                case=case,
                subject=victim,
                stopped_at=min(measure.requested_at, timezone.now()),
                actor=actor,
            )
        if "until" in changes or measure.status != ProtectionStatus.DIBERIKAN:
            deadline_cancel(
                kind=ClockKind.PROTECTION_END, case=case, subject=measure, actor=actor, reason="changed"
            )
        _clock_subject_start(measure, actor)
    return measure


@refusals_audited
def protection_end(*, actor, case, measure, ended_on, note=""):
    """The protection ended (expired, lifted, replaced by a court order): stop its clock."""
    _require_edit(actor, case, "protection.end")
    if measure.case_id != case.pk:
        _refuse(actor, case, "protection.end", "not_this_case", _("This measure belongs to another case."))
    if measure.status != ProtectionStatus.DIBERIKAN:
        _refuse(actor, case, "protection.end", "not_given", _("Only a protection that was given can end."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("Say on which day the protection ended.")})
    if ended_on > timezone.localdate() or (measure.given_on and ended_on < measure.given_on):
        raise ValidationError({"ended_on": _("The end must be between the day it was given and today.")})
    with transaction.atomic():
        case = case_and_clocks_lock(case)
        measure = ProtectionMeasure.objects.select_for_update().get(pk=measure.pk)
        measure.status = ProtectionStatus.BERAKHIR
        measure.ended_on = ended_on
        measure.end_note = (note or "").strip()
        measure.save(update_fields=["status", "ended_on", "end_note", "updated_at"])
        audit_record(
            actor=actor,
            action="protection.end",
            object_type="protection",
            object_id=measure.public_id,
            case=case,
            details={"kind": measure.kind, "ended_on": ended_on.isoformat()},
        )
        deadline_stop(
            kind=ClockKind.PROTECTION_END, case=case, subject=measure, stopped_at=timezone.now(), actor=actor
        )
    return measure


@refusals_audited
def protection_breach_record(
    *, actor, case, victim, occurred_at, description, measure=None, reported_to_police=False
):
    """A breach of a protection or of its conditions: the case turns high risk at once (its
    clocks take the high-risk durations) and the lead and the head of unit are alerted."""
    _require_edit(actor, case, "protection.breach")
    _check_victim(actor, case, victim, "protection.breach")
    if measure is not None and measure.victim_id != victim.pk:
        _refuse(
            actor,
            case,
            "protection.breach",
            "not_this_victim",
            _("This protection is another victim's."),
            field="measure",
        )
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = _("Say what happened.")
    if occurred_at is None:
        errors["occurred_at"] = _("Say when it happened.")
    elif occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = _("A breach cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = case_and_clocks_lock(case)
        breach = ProtectionBreach.objects.create(
            case=case,
            victim=victim,
            measure=measure,
            occurred_at=occurred_at,
            description=description,
            reported_to_police=bool(reported_to_police),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="protection.breach",
            object_type="protection_breach",
            object_id=breach.public_id,
            case=case,
            details={
                "measure": measure.public_id if measure else None,
                "reported_to_police": breach.reported_to_police,
            },
        )
        case = _reevaluate_risk(actor=actor, case=case, risk=RiskLevel.TINGGI, source="protection_breach")
        _alert_breach(case, actor)
    return breach


def _alert_breach(case, actor):
    message = _("Protection breached in case %(code)s: the case is now high risk. Act now.") % {
        "code": _case_ref(case)
    }
    lead = current_lead(case)
    people = {u.pk: u for u in _unit_heads(case)}
    if lead is not None and lead.user.is_active:
        people.setdefault(lead.user.pk, lead.user)
    for user in people.values():
        _notify(user, "protection_breach", message, case)


# --- safety plan -----------------------------------------------------------------------------------


def _clean_safety_actions(actions, errors):
    cleaned = []
    for i, row in enumerate((actions or [])[: MAX_ACTIONS + 1]):
        what, who, when = ((row.get(k) or "").strip() for k in ("what", "who", "when"))
        if not (what or who or when):
            continue
        if not (what and who and when):
            errors.setdefault("actions", []).append(
                _("Action %(n)d: say what will be done, by whom and when.") % {"n": i + 1}
            )
        cleaned.append({"what": what, "who": who, "when": when})
    if len(cleaned) > MAX_ACTIONS:
        errors.setdefault("actions", []).append(_("At most %(n)d actions.") % {"n": MAX_ACTIONS})
    return cleaned


SAFETY_TEXT_FIELDS = (
    "risks",
    "warning_signs",
    "safe_contacts",
    "safe_places",
    "code_word",
    "take_when_leaving",
)


@refusals_audited
def safety_plan_save(*, actor, case, victim, actions, review_on, made_with_victim=True, **texts):
    """Make or update the victim's safety plan (one per victim); the review date is a clock."""
    _require_edit(actor, case, "safety_plan.save")
    _check_victim(actor, case, victim, "safety_plan.save")
    texts = {name: (texts.get(name) or "").strip() for name in SAFETY_TEXT_FIELDS}
    errors = {}
    if not texts["risks"]:
        errors["risks"] = _("Describe the risks the survivor faces.")
    today = timezone.localdate()
    if review_on is None:
        errors["review_on"] = _("Set a date to review the plan.")
    elif not today <= review_on <= today + dt.timedelta(days=92):
        errors["review_on"] = _("The review date must be between today and three months from now.")
    cleaned = _clean_safety_actions(actions, errors)
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        _refuse(
            actor,
            case,
            "safety_plan.save",
            "no_actions",
            _("Agree at least one action with the survivor: what, who and when."),
            field="actions",
        )
    with transaction.atomic():
        case = case_and_clocks_lock(case)
        plan = SafetyPlan.objects.select_for_update().filter(victim=victim).first()
        created = plan is None
        if created:
            plan = SafetyPlan(case=case, victim=victim, created_by=actor)
        for name, value in texts.items():
            setattr(plan, name, value)
        plan.review_on = review_on
        plan.made_with_victim = bool(made_with_victim)
        plan.updated_by = actor
        plan.save()
        plan.actions.all().delete()
        SafetyPlanAction.objects.bulk_create(
            SafetyPlanAction(plan=plan, position=i, **row) for i, row in enumerate(cleaned)
        )
        audit_record(
            actor=actor,
            action="safety_plan.save",
            object_type="safety_plan",
            object_id=plan.public_id,
            case=case,
            details={"created": created, "actions": len(cleaned), "review_on": review_on.isoformat()},
        )
        now = timezone.now()
        deadline_stop(kind=ClockKind.SAFETY_PLAN_REVIEW, case=case, subject=plan, stopped_at=now, actor=actor)
        lead = current_lead(case)
        deadline_start(
            kind=ClockKind.SAFETY_PLAN_REVIEW,
            unit=case.unit,
            case=case,
            subject=plan,
            started_at=now,
            due_at=_end_of_day(review_on),
            responsible=lead.user if lead else None,
            actor=actor,
        )
    return plan
