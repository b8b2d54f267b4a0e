"""Case writes that the access rules need: creation of the bare case, team, restriction, break-glass."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.core.errors import Refusal
from sinergi.core.ids import insert_with_fresh_codes, new_public_id
from sinergi.notifications.services import notification_send

from .choices import CaseStatus, TeamRole
from .models import BreakGlassAccess, Case, CaseAssignment, new_pseudonym
from .policies import CaseClosed
from .selectors import break_glass_candidates

BREAK_GLASS_HOURS = 12
MIN_REASON_LENGTH = 20


@transaction.atomic
def case_create(*, actor, unit=None, restricted=False, registration_number=""):
    """Create a bare case in the actor's unit (the case-record work adds its content)."""
    if not has_permission(actor, "case.register"):
        raise PermissionDenied
    unit = unit or actor.organisation
    if unit.pk != actor.organisation_id:
        raise PermissionDenied
    case = insert_with_fresh_codes(
        Case(unit=unit, restricted=restricted, registration_number=registration_number, created_by=actor),
        {"pseudonym": new_pseudonym, "public_id": new_public_id},
    )
    audit_record(actor=actor, action="case.create", object_type="case", object_id=case.public_id, case=case)
    return case


@transaction.atomic
def case_assign(*, actor, case, user, team_role=TeamRole.MEMBER):
    if not has_permission(actor, "case.assign") or case.unit_id != actor.organisation_id:
        raise PermissionDenied
    if case.status == CaseStatus.CLOSED:
        raise CaseClosed
    if user.organisation_id != case.unit_id or not user.is_active or user.role == Role.MITRA:
        raise ValidationError({"user": _("Only active staff of the case's unit can join its team.")})
    assignment, created = CaseAssignment.objects.get_or_create(
        case=case, user=user, active=True, defaults={"team_role": team_role, "assigned_by": actor}
    )
    if not created and assignment.team_role != team_role:
        assignment.team_role = team_role
        assignment.save(update_fields=["team_role"])
    audit_record(
        actor=actor,
        action="case.assign",
        object_type="user",
        object_id=user.public_id,
        case=case,
        details={"team_role": team_role},
    )
    return assignment


@transaction.atomic
def case_unassign(*, actor, case, user):
    if not has_permission(actor, "case.assign") or case.unit_id != actor.organisation_id:
        raise PermissionDenied
    ended = CaseAssignment.objects.filter(case=case, user=user, active=True).update(active=False)
    if ended:
        audit_record(
            actor=actor, action="case.unassign", object_type="user", object_id=user.public_id, case=case
        )
    return bool(ended)


@transaction.atomic
def case_set_restricted(*, actor, case, restricted):
    if not has_permission(actor, "case.restrict") or case.unit_id != actor.organisation_id:
        raise PermissionDenied
    old = case.restricted
    case.restricted = restricted
    case.save(update_fields=["restricted"])
    audit_record(
        actor=actor,
        action="case.restrict" if restricted else "case.unrestrict",
        object_type="case",
        object_id=case.public_id,
        case=case,
        changes={"restricted": [old, restricted]},
    )
    return case


@refusals_audited
def case_break_glass_by_reference(*, actor, reference, reason):
    """Break-glass access to the case of a unit below the actor's own named by its registration
    number or pseudonymous code; a reference that names no such case is refused on the field."""
    reference = (reference or "").strip()
    case = (
        break_glass_candidates(actor)
        .filter(Q(registration_number__iexact=reference) | Q(pseudonym__iexact=reference))
        .first()
        if reference
        else None
    )
    if case is None:
        raise Refusal(
            _("No case with this number in the units below yours."),
            field="reference",
            code="no matching case below the unit",
            audit={"action": "case.break_glass", "object_type": "case"},
        )
    case_break_glass(actor=actor, case=case, reason=reason)
    return case


@transaction.atomic
def case_break_glass(*, actor, case, reason):
    """Grant a kepala 12 hours of access to a case of a unit below theirs, with a written reason.

    The grant is audited, shown on the case, and notified to the head(s) of the case's unit.
    """
    reason = (reason or "").strip()
    if not has_permission(actor, "case.break_glass"):
        raise PermissionDenied
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Write the reason in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}}
        )
    if not break_glass_candidates(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    grant = BreakGlassAccess.objects.create(
        case=case,
        user=actor,
        reason=reason,
        expires_at=timezone.now() + dt.timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_record(
        actor=actor,
        action="case.break_glass",
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={"hours": BREAK_GLASS_HOURS, "grant": grant.pk},
    )

    heads = User.objects.filter(organisation_id=case.unit_id, role=Role.KEPALA_UPTD, is_active=True)
    for head in heads:
        notification_send(
            recipient=head,
            kind="break_glass",
            message=_("Emergency access to case %(code)s by %(user)s (%(org)s).")
            % {"code": case.pseudonym, "user": actor.name_and_position, "org": actor.organisation.name},
            link=f"/kasus/{case.public_id}/",
        )
    return grant
