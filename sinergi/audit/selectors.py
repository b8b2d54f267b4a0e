"""Reading the audit trail: a case's timeline and access log (who may read the trail is decided
above, in sinergi.workspace.selectors)."""

from .models import AuditEvent

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
