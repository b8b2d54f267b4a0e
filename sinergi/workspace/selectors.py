"""Reads across contexts for the workspace pages."""

from django.db.models import Q

from sinergi.accounts.access import permission_scope
from sinergi.accounts.choices import Role
from sinergi.audit.models import AuditEvent


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
