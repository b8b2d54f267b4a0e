"""Moving a case through the steps of DOMAIN.md §6."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.deadlines.services import deadline_stop

from ..choices import (
    CaseStatus,
    CaseStep,
    StepCause,
)
from ..clocks import case_and_clocks_lock
from ..models import (
    Case,
    CaseStepChange,
)
from ..workflow_selectors import (
    has_approved_plan,
    has_completed_assessment,
    safety_plans_missing,
)
from ._common import TRANSITIONS, _reason, _refuse, _require_edit, closed_message

# --- steps -----------------------------------------------------------------------------------------


def move_problem(case, to_step):
    """Why `case` cannot move to `to_step` now as (code, message), or None when it can."""
    labels = dict(CaseStep.choices)
    if to_step not in CaseStep.values:
        return "unknown_step", _("Unknown step.")
    if case.status == CaseStatus.CLOSED:
        return "case_closed", closed_message()
    if to_step == CaseStep.TERMINASI:
        return "closure_needs_approval", _(
            "A case is closed only through a closure request approved by the head of unit."
        )
    allowed = TRANSITIONS[case.step]
    if to_step not in allowed:
        return "unreachable_step", _("A case at step “%(step)s” cannot move to “%(to)s”. Next: %(next)s.") % {
            "step": labels[case.step],
            "to": labels[to_step],
            "next": ", ".join(str(labels[s]) for s in allowed) or "—",
        }
    if to_step == CaseStep.RENCANA and not has_completed_assessment(case):
        return "assessment_missing", _("Complete an assessment of the survivor before the plan.")
    if to_step == CaseStep.RENCANA and safety_plans_missing(case):
        return "safety_plan_missing", _(
            "This case is high risk: make a safety plan with every victim before the plan step."
        )
    if to_step == CaseStep.INTERVENSI and not has_approved_plan(case):
        return "plan_not_approved", _(
            "The intervention plan must be approved by the head of unit before the intervention step. "
            "Emergency services for a high-risk case can be recorded at any step."
        )
    return None


def _record_step(case, to_step, actor, at, reason="", cause=""):
    change = CaseStepChange.objects.create(
        case=case, from_step=case.step, to_step=to_step, actor=actor, at=at, reason=reason, cause=cause
    )
    case.step = to_step
    return change


@refusals_audited
def case_move(*, actor, case, to_step, reason=""):
    """Move the case to another step (DOMAIN.md §6); see TRANSITIONS and move_problem."""
    _require_edit(actor, case, "case.move")
    problem = move_problem(case, to_step)
    if problem:
        _refuse(actor, case, "case.move", problem[0], problem[1], details={"from": case.step, "to": to_step})
    with transaction.atomic():
        case = case_and_clocks_lock(case)  # the move stops clocks after its audit event
        problem = move_problem(case, to_step)
        if problem:
            raise ValidationError(problem[1], code=problem[0])
        now = timezone.now()
        from_step = case.step
        _record_step(case, to_step, actor, now, _reason(reason))
        changes = _save_moved(case)
        audit_record(
            actor=actor,
            action="case.move",
            object_type="case",
            object_id=case.public_id,
            case=case,
            changes=changes,
            details={"from": from_step, "to": to_step},
        )
        _stop_step_clocks(case, from_step, to_step, now, actor)
    return case


def _save_moved(case):
    """Save a case whose step was just recorded: a draft opens with its first move. Returns the
    audit `changes`."""
    changes = {}
    if case.status == CaseStatus.DRAFT:
        case.status = CaseStatus.OPEN
        changes["status"] = [CaseStatus.DRAFT, CaseStatus.OPEN]
    case.version += 1
    case.save(update_fields=["step", "status", "version", "updated_at"])
    return changes


def _index(step):
    return CaseStep.values.index(step)


def _stop_step_clocks(case, from_step, to_step, at, actor):
    if _index(from_step) < _index(CaseStep.IDENTIFIKASI) <= _index(to_step):
        # Screening starts with the first contact with the survivor: the first response is given.
        deadline_stop(kind="first_response", case=case, stopped_at=at, actor=actor)
    if _index(to_step) >= _index(CaseStep.ASESMEN):
        # Screened and taken on: the complaint has been followed up (≤ 3 working days).
        deadline_stop(kind="complaint_follow_up", case=case, stopped_at=at, actor=actor)


#: How far each piece of work carries a case (docs/case-management.md, "Work moves the case").
ADVANCE_TO = {
    StepCause.FIRST_CONTACT: CaseStep.IDENTIFIKASI,
    StepCause.ASSESSMENT: CaseStep.RENCANA,
    StepCause.PLAN_APPROVED: CaseStep.INTERVENSI,
}


def case_advance_by_work(*, actor, case, cause, at):
    """Carry the case forward to the step the work `cause` reaches, inside the caller's
    transaction, after the caller took `case_and_clocks_lock`.

    Only forward, never back (a new assessment during monitoring leaves the case at monev), and
    never on a closed case. Every step passed is written to the step history with its cause, so
    nothing is skipped silently, and the clocks those steps stop are stopped. Returns the case,
    moved or not.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)  # already locked: the current row
    to_step = ADVANCE_TO[cause]
    if case.status == CaseStatus.CLOSED or _index(case.step) >= _index(to_step):
        return case
    if _index(to_step) >= _index(CaseStep.RENCANA) > _index(case.step) and safety_plans_missing(case):
        # A high-risk victim without a safety plan holds the case before the plan step.
        to_step = CaseStep.ASESMEN
        if _index(case.step) >= _index(to_step):
            return case
    from_step = case.step
    for step in CaseStep.values[_index(from_step) + 1 : _index(to_step) + 1]:
        _record_step(case, step, actor, at, cause=cause)
    changes = _save_moved(case)
    audit_record(
        actor=actor,
        action="case.advance",
        object_type="case",
        object_id=case.public_id,
        case=case,
        changes=changes,
        details={"from": from_step, "to": to_step, "cause": cause},
    )
    _stop_step_clocks(case, from_step, to_step, at, actor)
    return case
