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
)
from ..clocks import case_and_clocks_lock
from ..models import (
    CaseStepChange,
)
from ..workflow_selectors import (
    has_approved_plan,
    has_completed_assessment,
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
    if to_step == CaseStep.INTERVENSI and not has_approved_plan(case):
        return "plan_not_approved", _(
            "The intervention plan must be approved by the head of unit before the intervention step. "
            "Emergency services for a high-risk case can be recorded at any step."
        )
    return None


def _record_step(case, to_step, actor, at, reason=""):
    change = CaseStepChange.objects.create(
        case=case, from_step=case.step, to_step=to_step, actor=actor, at=at, reason=reason
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
        changes = {}
        if case.status == CaseStatus.DRAFT:
            case.status = CaseStatus.OPEN
            changes["status"] = [CaseStatus.DRAFT, CaseStatus.OPEN]
        case.version += 1
        case.save(update_fields=["step", "status", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="case.move",
            object_type="case",
            object_id=case.public_id,
            case=case,
            changes=changes,
            details={"from": from_step, "to": to_step},
        )
        if to_step == CaseStep.IDENTIFIKASI:
            # Screening starts with the first contact with the survivor: the first response is given.
            deadline_stop(kind="first_response", case=case, stopped_at=now, actor=actor)
        elif CaseStep.values.index(to_step) >= CaseStep.values.index(CaseStep.ASESMEN):
            # Screened and taken on: the complaint has been followed up (≤ 3 working days).
            deadline_stop(kind="complaint_follow_up", case=case, stopped_at=now, actor=actor)
    return case
