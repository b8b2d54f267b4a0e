"""Reading clocks: their state, a case's panel, a user's work, the case-list filter."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from sinergi.core.choices import CaseStatus

from .choices import DeadlineState, DeadlineStatus
from .models import Deadline, UnitWorkSettings

_STOPPED_STATES = {
    DeadlineStatus.MET: DeadlineState.MET,
    DeadlineStatus.MET_LATE: DeadlineState.MET_LATE,
    DeadlineStatus.CANCELLED: DeadlineState.CANCELLED,
}


def deadline_state(deadline, now=None):
    """on_time | due_soon | overdue for a running clock; met | met_late | cancelled once stopped."""
    if deadline.status in _STOPPED_STATES:
        return _STOPPED_STATES[deadline.status]
    now = now or timezone.now()
    if now > deadline.due_at:
        return DeadlineState.OVERDUE
    if now >= deadline.warn_at:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def open_deadlines():
    """Running clocks, leaving out any a closed case still has (closure cancels them; this keeps a
    clock that slipped through, e.g. one on a subject of the case, from nagging anyone)."""
    return Deadline.objects.filter(status=DeadlineStatus.OPEN).exclude(case__status=CaseStatus.CLOSED)


def overdue_deadlines(now=None):
    return open_deadlines().filter(due_at__lt=now or timezone.now())


def due_soon_deadlines(now=None):
    now = now or timezone.now()
    return open_deadlines().filter(warn_at__lte=now, due_at__gte=now)


def deadlines_for_case(case):
    """Every clock of a case, running ones first (soonest due), then stopped ones (newest first)."""
    deadlines = list(
        Deadline.objects.filter(case=case).select_related("responsible").prefetch_related("extensions__actor")
    )
    now = timezone.now()
    running = sorted((d for d in deadlines if d.is_open), key=lambda d: d.due_at)
    stopped = sorted((d for d in deadlines if not d.is_open), key=lambda d: d.stopped_at, reverse=True)
    for d in deadlines:
        d.state = deadline_state(d, now)
    return running + stopped


def case_has_overdue(now=None):
    """An Exists() for a Case queryset: the case has a running clock past its due time."""
    return Exists(overdue_deadlines(now).filter(case=OuterRef("pk")))


def overdue_case_ids(*, unit=None, now=None):
    qs = overdue_deadlines(now).exclude(case=None)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.values_list("case_id", flat=True).distinct()


def no_contact_days(unit):
    row = UnitWorkSettings.objects.filter(unit=unit).first()
    return row.no_contact_days if row else UnitWorkSettings._meta.get_field("no_contact_days").default
