"""Case management workflow (DOMAIN.md §6): steps, team, assessment, plan, approvals, closure,
reopening, monitoring reviews and notes.

Every write is a service: keyword-only, checks who may do it and what the case's state allows,
writes and audits in one transaction. A refusal (a step the case cannot reach, one's own plan, a
closed case, ...) is audited with outcome "denied" *before* any transaction starts, so the record
of the refusal survives it, and raised as a ValidationError with a message for the user.

Reads live in sinergi.cases.workflow_selectors; `approvals_waiting_for` is re-exported here for
the my-work page.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import Role
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.notifications.services import notification_send

from . import services as team_services
from .choices import (
    ApprovalKind,
    ApprovalStatus,
    CaseStatus,
    CaseStep,
    ClosureReason,
    PersonRole,
    PlanStatus,
    RiskLevel,
    TeamRole,
)
from .models import (
    ApprovalRequest,
    Assessment,
    Case,
    CaseAssignment,
    CaseNote,
    CaseStepChange,
    InterventionPlan,
    LeadChange,
    MonevReview,
    PlanAction,
)
from .selectors import can_view_case
from .workflow_selectors import (  # noqa: F401  (re-exported: the my-work page imports them from here)
    approvals_waiting_for,
    current_lead,
    has_approved_plan,
    has_completed_assessment,
    open_plan,
)

#: Where a case may go from each step by an ordinary move. Closure (→ terminasi) only through an
#: approved closure request; out of terminasi only through a reopening by the kepala.
TRANSITIONS = {
    CaseStep.PENERIMAAN: (CaseStep.IDENTIFIKASI,),
    CaseStep.IDENTIFIKASI: (CaseStep.ASESMEN,),
    CaseStep.ASESMEN: (CaseStep.RENCANA,),
    CaseStep.RENCANA: (CaseStep.INTERVENSI, CaseStep.ASESMEN),
    CaseStep.INTERVENSI: (CaseStep.MONEV, CaseStep.RENCANA),
    CaseStep.MONEV: (CaseStep.INTERVENSI, CaseStep.RENCANA),
    CaseStep.TERMINASI: (),
}
REOPEN_STEPS = (
    CaseStep.IDENTIFIKASI,
    CaseStep.ASESMEN,
    CaseStep.RENCANA,
    CaseStep.INTERVENSI,
    CaseStep.MONEV,
)
MIN_REASON_LENGTH = 10


def closed_message():
    return _("This case is closed and read-only. The head of unit can reopen it, with a reason.")


# --- refusals ------------------------------------------------------------------------------------


def _refuse(actor, case, action, code, message, *, field=None, details=None):
    """Audit a refused action as denied, then raise it as a ValidationError for the user."""
    audit_record(
        actor=actor,
        action=action,
        outcome=Outcome.DENIED,
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={"reason": code, **(details or {})},
    )
    raise ValidationError(
        {field: ValidationError(message, code=code)} if field else ValidationError(message, code=code)
    )


def _deny(actor, case, action, permission):
    audit_record(
        actor=actor,
        action=action,
        outcome=Outcome.DENIED,
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={"reason": "permission", "permission": permission},
    )
    raise PermissionDenied


def _require_edit(actor, case, action):
    if not has_permission(actor, "case.edit") or not can_view_case(actor, case):
        _deny(actor, case, action, "case.edit")
    if case.status == CaseStatus.CLOSED:
        _refuse(actor, case, action, "case_closed", closed_message())


def _require_unit_head(actor, case, action, permission="case.approve"):
    if not has_permission(actor, permission) or actor.organisation_id != case.unit_id:
        _deny(actor, case, action, permission)


def _reason(reason):
    return (reason or "").strip()


# --- deadlines (sinergi.deadlines) -----------------------------------------------------------------


def _clock(name, **kwargs):
    """Call a deadlines service by name (imported late: the deadlines app imports cases)."""
    from sinergi.deadlines import services

    return getattr(services, name)(**kwargs)


def _start_review_clock(case, started_at, actor):
    _clock("deadline_stop", kind="review", case=case, stopped_at=started_at, actor=actor)
    lead = current_lead(case)
    _clock(
        "deadline_start",
        kind="review",
        unit=case.unit,
        started_at=started_at,
        case=case,
        responsible=lead.user if lead else None,
        actor=actor,
    )


# --- notifications (codes only, never a victim's name: TPKS Ps 69) --------------------------------


def _case_ref(case):
    return case.registration_number or case.pseudonym


def _notify(user, kind, message, case):
    notification_send(recipient=user, kind=kind, message=message, link=f"/kasus/{case.public_id}/")


def _unit_heads(case):
    from sinergi.accounts.models import User

    return User.objects.filter(organisation_id=case.unit_id, role=Role.KEPALA_UPTD, is_active=True)


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


def case_move(*, actor, case, to_step, reason=""):
    """Move the case to another step (DOMAIN.md §6); see TRANSITIONS and move_problem."""
    _require_edit(actor, case, "case.move")
    problem = move_problem(case, to_step)
    if problem:
        _refuse(actor, case, "case.move", problem[0], problem[1], details={"from": case.step, "to": to_step})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
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
            _clock("deadline_stop", kind="first_response", case=case, stopped_at=now, actor=actor)
        elif CaseStep.values.index(to_step) >= CaseStep.values.index(CaseStep.ASESMEN):
            # Screened and taken on: the complaint has been followed up (≤ 3 working days).
            _clock("deadline_stop", kind="complaint_follow_up", case=case, stopped_at=now, actor=actor)
    return case


# --- team ------------------------------------------------------------------------------------------


def _check_staff(actor, case, user, action):
    if user.organisation_id != case.unit_id or not user.is_active or user.role == Role.MITRA:
        _refuse(
            actor,
            case,
            action,
            "not_unit_staff",
            _("Only active staff of the case's unit can join its team."),
            field="user",
        )


def case_set_lead(*, actor, case, user, reason=""):
    """Make `user` the lead case worker. Replacing a lead needs a reason; the history is kept."""
    _require_unit_head(actor, case, "case.lead_change", "case.assign")
    if case.status == CaseStatus.CLOSED:
        _refuse(actor, case, "case.lead_change", "case_closed", closed_message())
    _check_staff(actor, case, user, "case.lead_change")
    reason = _reason(reason)
    lead = current_lead(case)
    if lead and lead.user_id == user.pk:
        _refuse(
            actor,
            case,
            "case.lead_change",
            "same_lead",
            _("This person already leads the case."),
            field="user",
        )
    if lead and len(reason) < MIN_REASON_LENGTH:
        _refuse(
            actor,
            case,
            "case.lead_change",
            "reason_missing",
            _("Say why the lead case worker changes (at least %(n)d characters).") % {"n": MIN_REASON_LENGTH},
            field="reason",
        )
    with transaction.atomic():
        previous = None
        if lead:
            previous = lead.user
            CaseAssignment.objects.filter(pk=lead.pk).update(team_role=TeamRole.MEMBER)
        assignment = CaseAssignment.objects.filter(case=case, user=user, active=True).first()
        if assignment:
            assignment.team_role = TeamRole.LEAD
            assignment.save(update_fields=["team_role"])
        else:
            assignment = CaseAssignment.objects.create(
                case=case, user=user, team_role=TeamRole.LEAD, assigned_by=actor
            )
        LeadChange.objects.create(case=case, previous=previous, new=user, reason=reason, changed_by=actor)
        audit_record(
            actor=actor,
            action="case.lead_change",
            object_type="user",
            object_id=user.public_id,
            case=case,
            details={"previous": previous.public_id if previous else None, "new": user.public_id},
        )
        ref = _case_ref(case)
        _notify(
            user,
            "case_assigned",
            _("You are now the lead case worker of case %(case)s.") % {"case": ref},
            case,
        )
        if previous:
            _notify(
                previous,
                "case_lead_changed",
                _("You no longer lead case %(case)s; you stay on its team.") % {"case": ref},
                case,
            )
    return assignment


def case_add_member(*, actor, case, user, team_role=TeamRole.MEMBER):
    """Put a staff member on the case team (psychologist, paralegal, ...) and tell them."""
    if team_role == TeamRole.LEAD:
        return case_set_lead(actor=actor, case=case, user=user)
    _require_unit_head(actor, case, "case.assign", "case.assign")
    if case.status == CaseStatus.CLOSED:
        _refuse(actor, case, "case.assign", "case_closed", closed_message())
    if team_role not in TeamRole.values:
        _refuse(actor, case, "case.assign", "unknown_role", _("Unknown team role."), field="team_role")
    _check_staff(actor, case, user, "case.assign")
    lead = current_lead(case)
    if lead and lead.user_id == user.pk:
        _refuse(
            actor,
            case,
            "case.assign",
            "is_lead",
            _("This person leads the case; choose another lead first to change their role."),
            field="user",
        )
    with transaction.atomic():
        assignment = team_services.case_assign(actor=actor, case=case, user=user, team_role=team_role)
        _notify(
            user,
            "case_assigned",
            _("You were added to the team of case %(case)s as %(role)s.")
            % {"case": _case_ref(case), "role": TeamRole(team_role).label},
            case,
        )
    return assignment


def case_remove_member(*, actor, case, user):
    _require_unit_head(actor, case, "case.unassign", "case.assign")
    if case.status == CaseStatus.CLOSED:
        _refuse(actor, case, "case.unassign", "case_closed", closed_message())
    lead = current_lead(case)
    if lead and lead.user_id == user.pk:
        _refuse(
            actor,
            case,
            "case.unassign",
            "is_lead",
            _("The lead case worker cannot leave the team; choose another lead first."),
            field="user",
        )
    return team_services.case_unassign(actor=actor, case=case, user=user)


# --- assessment ------------------------------------------------------------------------------------


def assessment_save(*, actor, case, victim, assessment=None, complete=False, risk="", **narratives):
    """Create or update the assessment of one victim; `complete=True` finishes it.

    Completing needs the safety and risk re-evaluation; a re-evaluated risk updates the case's risk
    and the assessment clock stops.
    """
    _require_edit(actor, case, "assessment.save")
    unknown = set(narratives) - set(Assessment.NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    errors = {}
    if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        errors["victim"] = _("Choose a victim of this case.")
    if risk and risk not in RiskLevel.values:
        errors["risk"] = _("Unknown risk level.")
    if assessment is not None and assessment.case_id != case.pk:
        raise PermissionDenied
    if assessment is not None and assessment.completed_at:
        _refuse(
            actor,
            case,
            "assessment.save",
            "assessment_completed",
            _("This assessment is completed; record a new assessment instead."),
        )
    if complete:
        if not risk:
            errors["risk"] = _("Re-evaluate the risk to complete the assessment.")
        if not (narratives.get("safety") or "").strip():
            errors["safety"] = _("Describe the survivor's safety to complete the assessment.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = timezone.now()
        if assessment is None:
            assessment = Assessment(case=case, created_by=actor)
        else:
            assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        assessment.victim = victim
        assessment.risk = risk
        for field, value in narratives.items():
            setattr(assessment, field, (value or "").strip())
        if complete:
            assessment.completed_at = now
            assessment.completed_by = actor
        assessment.version += 1 if assessment.pk else 0
        assessment.save()
        audit_record(
            actor=actor,
            action="assessment.complete" if complete else "assessment.save",
            object_type="assessment",
            object_id=assessment.public_id,
            case=case,
            details={"victim": victim.public_id, "risk": risk or None},
        )
        if complete:
            case = _reevaluate_risk(actor=actor, case=case, risk=risk, source="assessment")
            _clock("deadline_stop", kind="assessment", case=case, stopped_at=now, actor=actor)
    return assessment


# --- intervention plan -----------------------------------------------------------------------------


def _clean_actions(case, actions, errors):
    cleaned = []
    for i, action in enumerate(actions or []):
        description = (action.get("description") or "").strip()
        responsible = action.get("responsible")
        other = (action.get("responsible_other") or "").strip()
        due = action.get("due_date")
        if not (description or responsible or other or due):
            continue
        if not description:
            errors.setdefault("actions", []).append(_("Action %(n)d: say what will be done.") % {"n": i + 1})
        if responsible is None and not other:
            errors.setdefault("actions", []).append(_("Action %(n)d: say who does it.") % {"n": i + 1})
        if responsible is not None and (
            responsible.organisation_id != case.unit_id or not responsible.is_active
        ):
            errors.setdefault("actions", []).append(
                _("Action %(n)d: choose active staff of the unit, or name the agency.") % {"n": i + 1}
            )
        if due is None:
            errors.setdefault("actions", []).append(_("Action %(n)d: say by when.") % {"n": i + 1})
        cleaned.append(
            {
                "description": description,
                "responsible": responsible,
                "responsible_other": other,
                "due_date": due,
            }
        )
    if not cleaned and "actions" not in errors:
        errors["actions"] = [_("Write at least one action.")]
    return cleaned


def plan_save(*, actor, case, goals, actions, agreed_with_victim=False, agreed_on=None, plan=None):
    """Write (or rewrite) the draft plan: goals, actions with who and by when, and whether the
    survivor agreed to it. A submitted or approved plan is not edited: a new plan replaces it."""
    _require_edit(actor, case, "plan.save")
    if plan is not None and plan.case_id != case.pk:
        raise PermissionDenied
    if plan is not None:
        plan = InterventionPlan.objects.get(pk=plan.pk)  # the status as saved, not as once loaded
    if plan is None:
        current = open_plan(case)
        if current is not None:
            _refuse(
                actor,
                case,
                "plan.save",
                "plan_open",
                _("A plan is already being prepared for this case; continue that one."),
            )
    elif plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        _refuse(
            actor,
            case,
            "plan.save",
            "plan_locked",
            _("This plan was submitted or decided and can no longer be changed; write a new plan."),
        )
    errors = {}
    goals = (goals or "").strip()
    if not goals:
        errors["goals"] = [_("Write the goals of the plan.")]
    if agreed_with_victim and agreed_on is None:
        errors["agreed_on"] = [_("Give the date the survivor agreed to the plan.")]
    if agreed_on and agreed_on > timezone.localdate():
        errors["agreed_on"] = [_("The date cannot be in the future.")]
    cleaned = _clean_actions(case, actions, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if plan is None:
            plan = InterventionPlan(case=case, created_by=actor)
        else:
            plan = InterventionPlan.objects.select_for_update().get(pk=plan.pk)
            plan.version += 1
        plan.goals = goals
        plan.agreed_with_victim = bool(agreed_with_victim)
        plan.agreed_on = agreed_on if agreed_with_victim else None
        plan.save()
        plan.actions.all().delete()
        PlanAction.objects.bulk_create(
            [PlanAction(plan=plan, position=i, **action) for i, action in enumerate(cleaned)]
        )
        audit_record(
            actor=actor,
            action="plan.save",
            object_type="plan",
            object_id=plan.public_id,
            case=case,
            details={"actions": len(cleaned), "agreed_with_victim": plan.agreed_with_victim},
        )
    return plan


def plan_submit(*, actor, plan, note=""):
    """Put the plan to the head of unit for approval."""
    plan = InterventionPlan.objects.select_related("case").get(pk=plan.pk)
    case = plan.case
    _require_edit(actor, case, "plan.submit")
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        _refuse(actor, case, "plan.submit", "plan_locked", _("This plan was already submitted or decided."))
    if not plan.agreed_with_victim:
        _refuse(
            actor,
            case,
            "plan.submit",
            "not_agreed",
            _("The plan is made with the survivor: record that they agreed to it before submitting."),
        )
    if not plan.actions.exists():
        _refuse(actor, case, "plan.submit", "no_actions", _("Write at least one action."))
    with transaction.atomic():
        plan = InterventionPlan.objects.select_for_update().get(pk=plan.pk)
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status", "updated_at"])
        request = _create_request(
            case=case, kind=ApprovalKind.PLAN, plan=plan, note=_reason(note), requested_by=actor
        )
        audit_record(
            actor=actor,
            action="plan.submit",
            object_type="plan",
            object_id=plan.public_id,
            case=case,
            details={"request": request.public_id},
        )
        for head in _unit_heads(case).exclude(pk=actor.pk):
            _notify(
                head,
                "approval_requested",
                _("An intervention plan of case %(case)s waits for your approval.")
                % {"case": _case_ref(case)},
                case,
            )
    return request


def _create_request(**fields):
    # Two clicks at once: the database keeps one pending request per case and kind.
    try:
        with transaction.atomic():
            return ApprovalRequest.objects.create(**fields)
    except IntegrityError as exc:
        raise ValidationError(
            _("This was already submitted; it waits for a decision."), code="already_requested"
        ) from exc


# --- closure and reopening -------------------------------------------------------------------------


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
    return request.requested_by_id == actor.pk or (
        request.plan_id is not None and request.plan.created_by_id == actor.pk
    )


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
    _clock("deadline_cancel_all", case=case, actor=actor, reason="case closed")


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
        case = Case.objects.select_for_update().get(pk=case.pk)
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


# --- monitoring and review -------------------------------------------------------------------------


def monev_record(*, actor, case, reviewed_on, progress, next_steps="", risk="", plan_still_valid=True):
    """Record a monitoring review of the approved plan; the 3-month review clock starts again."""
    _require_edit(actor, case, "monev.record")
    if not has_approved_plan(case):
        _refuse(
            actor,
            case,
            "monev.record",
            "plan_not_approved",
            _("A review follows the approved plan: get the plan approved first."),
        )
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = _("Give the date of the review.")
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("The date cannot be in the future.")
    if not (progress or "").strip():
        errors["progress"] = _("Describe the progress against the plan.")
    if risk and risk not in RiskLevel.values:
        errors["risk"] = _("Unknown risk level.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = MonevReview.objects.create(
            case=case,
            reviewed_on=reviewed_on,
            progress=progress.strip(),
            next_steps=(next_steps or "").strip(),
            risk=risk,
            plan_still_valid=plan_still_valid,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="monev.record",
            object_type="review",
            object_id=review.public_id,
            case=case,
            details={"risk": risk or None, "plan_still_valid": plan_still_valid},
        )
        locked = _reevaluate_risk(actor=actor, case=case, risk=risk, source="review")
        _start_review_clock(locked, timezone.now(), actor)
    return review


def _reevaluate_risk(*, actor, case, risk, source):
    """Lock the case and record a re-evaluated risk (from an assessment or a review); a changed
    risk re-times the running clocks. Returns the locked, current case."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if risk and locked.risk != risk:
        old = locked.risk
        locked.risk = risk
        locked.version += 1
        locked.save(update_fields=["risk", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="case.risk",
            object_type="case",
            object_id=locked.public_id,
            case=locked,
            changes={"risk": [old or None, risk]},
            details={"source": source},
        )
        _clock("deadline_retime_for_risk", case=locked, actor=actor)
    return locked


# --- notes -----------------------------------------------------------------------------------------


def note_add(*, actor, case, body, private=False):
    """An encrypted note by a staff member; private ones are shown to the case team and kepala only."""
    _require_edit(actor, case, "note.add")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, body=body, author=actor, private=bool(private))
        audit_record(
            actor=actor,
            action="note.add",
            object_type="note",
            object_id=note.public_id,
            case=case,
            details={"private": note.private},
        )
    return note
