"""Reads across contexts for the workspace pages."""

from django.db.models import Q

from sinergi.accounts.access import permission_scope
from sinergi.accounts.choices import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases.selectors import cases_visible_to
from sinergi.core.choices import CaseStatus
from sinergi.deadlines.models import Deadline


def audit_events_visible_to(user):
    scope = permission_scope(user, "audit.view")
    if scope == "all":
        return AuditEvent.objects.all()
    if scope == "unit" and user.organisation_id:
        # The unit's own staff's actions, and anything done to (or tried on) the unit's cases.
        # System administrators and auditors placed in a unit act installation-wide; their
        # actions are not the unit's business unless they touch the unit's cases.
        unit = user.organisation_id
        own_staff = Q(organisation_id=unit) & ~Q(role__in=[Role.ADMIN_SISTEM, Role.AUDITOR])
        return AuditEvent.objects.filter(own_staff | Q(unit_id=unit))
    return AuditEvent.objects.none()


def deadlines_editable_by(user):
    """Clocks of cases the user may see and edit (a closed case is read-only)."""
    return (
        Deadline.objects.filter(case__in=cases_visible_to(user))
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "responsible")
    )


def deadline_case(public_id):
    """The case behind a clock id, whoever asks: only to tie a refused attempt to its trail."""
    deadline = Deadline.objects.filter(public_id=public_id).select_related("case").first()
    return deadline.case if deadline else None
