"""Approvals (plan and closure), closing and reopening a case."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.deadlines.services import deadline_cancel_all

from ..choices import (
    ApprovalKind,
    ApprovalStatus,
    CaseStatus,
    CaseStep,
    ClosureReason,
    PlanStatus,
    StepCause,
)
from ..clocks import case_and_clocks_lock
from ..models import (
    ApprovalRequest,
    Case,
    InterventionPlan,
)
from ..policies import can_view_case
from ..workflow_selectors import (
    current_lead,
    has_approved_plan,
    plan_editor_ids,
)
from ._common import (
    MIN_REASON_LENGTH,
    REOPEN_STEPS,
    _case_ref,
    _deny,
    _notify,
    _reason,
    _refuse,
    _require_edit,
    _require_unit_head,
    _start_review_clock,
    _unit_heads,
    closed_message,
)
from .plan import _create_request
from .steps import _record_step, case_advance_by_work

# --- closure and reopening -------------------------------------------------------------------------


@refusals_audited
def closure_request(*, actor, case, reason, note=""):
    """Ask the head of unit to close the case, with a closure reason of DOMAIN.md §6."""
    _require_edit(actor, case, "closure.request")
    if reason not in ClosureReason.values:
        _refuse(
            actor, case, "closure.request", "reason_missing", _("Choose the closure reason."), field="reason"
        )
    if ApprovalRequest.objects.filter(
        case=case, kind=ApprovalKind.CLOSURE, status=ApprovalStatus.PENDING
    ).exists():
        _refuse(
            actor,
            case,
            "closure.request",
            "already_requested",
            _("Closure was already requested for this case."),
        )
    with transaction.atomic():
        request = _create_request(
            case=case,
            kind=ApprovalKind.CLOSURE,
            closure_reason=reason,
            note=_reason(note),
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="closure.request",
            object_type="case",
            object_id=case.public_id,
            case=case,
            details={"closure_reason": reason, "request": request.public_id},
        )
        for head in _unit_heads(case).exclude(pk=actor.pk):
            _notify(
                head,
                "approval_requested",
                _("Closure of case %(case)s waits for your approval.") % {"case": _case_ref(case)},
                case,
            )
    return request


def _own_request(actor, request):
    """The actor asked for it, or wrote or changed the plan it asks to approve."""
    return request.requested_by_id == actor.pk or (
        request.plan_id is not None and actor.pk in plan_editor_ids(request.plan)
    )


@refusals_audited
def approval_decide(*, actor, request, approve, comment=""):
    """The kepala's decision on a plan or a closure: approve, or return with comments.

    Nobody decides their own request (or a plan they wrote). Approving a plan supersedes the
    earlier approved plan and starts the review clock; approving a closure closes the case (read
    only) and cancels its open clocks.
    """
    request = ApprovalRequest.objects.select_related("case", "plan", "requested_by").get(pk=request.pk)
    case = request.case
    action = (
        f"{'plan' if request.kind == ApprovalKind.PLAN else 'closure'}.{'approve' if approve else 'return'}"
    )
    _require_unit_head(actor, case, action)
    if not can_view_case(actor, case):
        _deny(actor, case, action, "case.approve")
    comment = _reason(comment)
    if request.status != ApprovalStatus.PENDING:
        _refuse(actor, case, action, "already_decided", _("This request was already decided."))
    if _own_request(actor, request):
        message = (
            _("Nobody approves their own plan: another head of unit must decide.")
            if request.kind == ApprovalKind.PLAN
            else _("Nobody approves their own closure request: another head of unit must decide.")
        )
        _refuse(actor, case, action, "own_request", message)
    if case.status == CaseStatus.CLOSED:
        _refuse(actor, case, action, "case_closed", closed_message())
    if not approve and not comment:
        _refuse(
            actor,
            case,
            action,
            "comment_missing",
            _("Say what should change before it is approved."),
            field="comment",
        )
    with transaction.atomic():
        request = (
            ApprovalRequest.objects.select_for_update(of=("self",))
            .select_related("case", "plan")
            .get(pk=request.pk)
        )
        # The request first, then its case and the case's clocks, then the plan: the lock order.
        case_and_clocks_lock(request.case)
        if request.status != ApprovalStatus.PENDING:
            raise ValidationError(_("This request was already decided."), code="already_decided")
        now = timezone.now()
        request.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.RETURNED
        request.decided_by = actor
        request.decided_at = now
        request.comment = comment
        request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        if request.kind == ApprovalKind.PLAN:
            _decide_plan(actor, request, approve, now)
        else:
            _decide_closure(actor, request, approve, now)
        ref = _case_ref(case)
        if approve:
            message = _("Your request on case %(case)s was approved.") % {"case": ref}
        else:
            message = _("Your request on case %(case)s was returned with comments.") % {"case": ref}
        if request.requested_by_id != actor.pk:
            _notify(request.requested_by, "approval_decided", message, case)
    return request


def _decide_plan(actor, request, approve, now):
    plan = InterventionPlan.objects.select_for_update().get(pk=request.plan_id)
    case = request.case
    if approve:
        InterventionPlan.objects.filter(case=case, status=PlanStatus.APPROVED).update(
            status=PlanStatus.SUPERSEDED
        )
        plan.status = PlanStatus.APPROVED
        plan.approved_at = now
        plan.approved_by = actor
    else:
        plan.status = PlanStatus.RETURNED
    plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit_record(
        actor=actor,
        action="plan.approve" if approve else "plan.return",
        object_type="plan",
        object_id=plan.public_id,
        case=case,
        details={"request": request.public_id},
    )
    if approve:
        _start_review_clock(case, now, actor)
        # The plan is approved: the intervention starts (a case at monev stays there).
        case_advance_by_work(actor=actor, case=case, cause=StepCause.PLAN_APPROVED, at=now)


def _decide_closure(actor, request, approve, now):
    case = Case.objects.select_for_update().get(pk=request.case_id)
    if not approve:
        audit_record(
            actor=actor,
            action="closure.return",
            object_type="case",
            object_id=case.public_id,
            case=case,
            details={"request": request.public_id},
        )
        return
    from_step = case.step
    _record_step(case, CaseStep.TERMINASI, actor, now)
    old_status = case.status
    case.status = CaseStatus.CLOSED
    case.version += 1
    case.save(update_fields=["step", "status", "version", "updated_at"])
    # A plan still waiting for a decision is moot once the case is closed.
    for pending in ApprovalRequest.objects.filter(case=case, status=ApprovalStatus.PENDING).exclude(
        pk=request.pk
    ):
        pending.status = ApprovalStatus.WITHDRAWN
        pending.decided_at = now
        pending.save(update_fields=["status", "decided_at"])
        if pending.plan_id:
            InterventionPlan.objects.filter(pk=pending.plan_id).update(status=PlanStatus.RETURNED)
    audit_record(
        actor=actor,
        action="case.close",
        object_type="case",
        object_id=case.public_id,
        case=case,
        changes={"status": [old_status, CaseStatus.CLOSED]},
        details={"closure_reason": request.closure_reason, "from": from_step, "request": request.public_id},
    )
    deadline_cancel_all(case=case, actor=actor, reason="case closed")


@refusals_audited
def case_reopen(*, actor, case, reason, to_step=None):
    """Reopen a closed case (the kepala, with a reason), at the step it was closed from or `to_step`."""
    _require_unit_head(actor, case, "case.reopen")
    if not can_view_case(actor, case):
        _deny(actor, case, "case.reopen", "case.approve")
    reason = _reason(reason)
    if case.status != CaseStatus.CLOSED:
        _refuse(actor, case, "case.reopen", "not_closed", _("Only a closed case can be reopened."))
    if len(reason) < MIN_REASON_LENGTH:
        _refuse(
            actor,
            case,
            "case.reopen",
            "reason_missing",
            _("Say why the case is reopened (at least %(n)d characters).") % {"n": MIN_REASON_LENGTH},
            field="reason",
        )
    if to_step and to_step not in REOPEN_STEPS:
        _refuse(
            actor,
            case,
            "case.reopen",
            "unknown_step",
            _("Choose the step the case returns to."),
            field="to_step",
        )
    if not to_step:
        closing = case.step_changes.filter(to_step=CaseStep.TERMINASI).order_by("-at", "-id").first()
        to_step = closing.from_step if closing and closing.from_step in REOPEN_STEPS else CaseStep.ASESMEN
    with transaction.atomic():
        case = case_and_clocks_lock(case)
        _record_step(case, to_step, actor, timezone.now(), reason)
        case.status = CaseStatus.OPEN
        case.version += 1
        case.save(update_fields=["step", "status", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="case.reopen",
            object_type="case",
            object_id=case.public_id,
            case=case,
            changes={"status": [CaseStatus.CLOSED, CaseStatus.OPEN]},
            details={"to": to_step},
        )
        if to_step in (CaseStep.INTERVENSI, CaseStep.MONEV) and has_approved_plan(case):
            # Back under the approved plan: its 3-month review clock runs again.
            _start_review_clock(case, timezone.now(), actor)
        lead = current_lead(case)
        if lead and lead.user_id != actor.pk:
            _notify(
                lead.user, "case_reopened", _("Case %(case)s was reopened.") % {"case": _case_ref(case)}, case
            )
    return case
