"""Reading the audit trail: who may see which events."""

from django.db.models import Q

from sinergi.accounts.access import permission_scope
from sinergi.accounts.choices import Role

from .models import AuditEvent


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


#: Actions that read rather than change a case; the case timeline leaves them out.
READ_ACTIONS = (
    "case.view",
    "case.list",
    "case.search",
    "referral.view",
    "referral.list",
    "document.download",
)


def case_timeline(case, limit=100):
    """What happened to the case record, oldest first: the changes, not the looks."""
    events = (
        AuditEvent.objects.filter(case_id=case.public_id, outcome="ok")
        .exclude(action__in=READ_ACTIONS)
        .order_by("-id")[:limit]
    )
    return list(reversed(list(events)))


def case_access_log(case, limit=50):
    """Who looked at or tried to open this case, newest first."""
    return AuditEvent.objects.filter(case_id=case.public_id).order_by("-id")[:limit]
