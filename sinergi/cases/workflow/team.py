"""The case team: the lead case worker (with its history) and the members."""

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.choices import Role
from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record

from .. import services as team_services
from ..choices import (
    CaseStatus,
    TeamRole,
)
from ..models import (
    CaseAssignment,
    LeadChange,
)
from ..workflow_selectors import (
    current_lead,
)
from ._common import (
    MIN_REASON_LENGTH,
    _case_ref,
    _notify,
    _reason,
    _refuse,
    _require_unit_head,
    closed_message,
)

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


@refusals_audited
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


@refusals_audited
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


@refusals_audited
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
