"""The intervention plan: goals, actions, agreement with the survivor, submission for approval."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record

from ..choices import (
    ApprovalKind,
    PlanStatus,
)
from ..models import (
    ApprovalRequest,
    InterventionPlan,
    PlanAction,
)
from ..workflow_selectors import (
    open_plan,
)
from ._common import _case_ref, _notify, _reason, _refuse, _require_edit, _unit_heads

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


@refusals_audited
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


@refusals_audited
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
