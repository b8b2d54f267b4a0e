"""The head-of-unit board: open cases by step, overdue clocks by person, high-risk cases nobody has
worked on for N days. Each part is one aggregate query, whatever the number of cases."""

import datetime as dt

from django.db.models import BigIntegerField, Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.audit.selectors import READ_ACTIONS
from sinergi.cases.choices import CaseStatus, CaseStep, RiskLevel, TeamRole
from sinergi.cases.models import Case, CaseAssignment
from sinergi.deadlines.choices import ClockKind, DeadlineStatus
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.selectors import deadline_state, no_contact_days, overdue_deadlines

from .mywork import capped, subject_link

#: Rows each list of the board shows; a longer list says so (with its total where it is counted)
#: and links to the case list filtered to all of it.
LIST_LIMIT = 100


def _lead_of_case():
    return CaseAssignment.objects.filter(case=OuterRef("case"), active=True, team_role=TeamRole.LEAD).values(
        "user"
    )[:1]


def cases_by_step(unit):
    counts = dict(
        Case.objects.filter(unit=unit)
        .exclude(status=CaseStatus.CLOSED)
        .values_list("step")
        .annotate(n=Count("id"))
        .values_list("step", "n")
    )
    return [{"step": step, "label": label, "count": counts.get(step, 0)} for step, label in CaseStep.choices]


def overdue_for_unit(unit, now):
    """Overdue clocks with who answers for each: the named person, else the case's lead."""
    return (
        overdue_deadlines(now)
        .filter(unit=unit)
        .annotate(
            person=Coalesce("responsible_id", Subquery(_lead_of_case()), output_field=BigIntegerField())
        )
    )


def overdue_by_person(unit, now):
    rows = list(overdue_for_unit(unit, now).values("person").annotate(n=Count("id")).order_by("-n"))
    people = User.objects.in_bulk([r["person"] for r in rows if r["person"]])
    return [{"user": people.get(r["person"]), "count": r["n"]} for r in rows]


def contact_events():
    """Audit events that count as contact with a case: writes by a person (not reads, not the
    clocks the system keeps)."""
    return (
        AuditEvent.objects.filter(outcome="ok", actor_id__isnull=False)
        .exclude(action__in=READ_ACTIONS)
        .exclude(action__endswith=".view")
        .exclude(action__startswith="deadline.")
    )


def high_risk_without_contact(unit, now, days):
    cutoff = now - dt.timedelta(days=days)
    last = (
        contact_events()
        .filter(case_id=OuterRef("public_id"))
        .order_by()
        .values("case_id")
        .annotate(last=Max("occurred_at"))
        .values("last")
    )
    return (
        Case.objects.filter(unit=unit, risk=RiskLevel.TINGGI)
        .exclude(status=CaseStatus.CLOSED)
        .annotate(last_contact=Subquery(last))
        .filter(Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True))
        .order_by("last_contact", "id")
    )


#: The clocks of a survivor's protection (docs/protection.md): the board lists them from their
#: warning on, so a 14-day police protection shows on day 13, before it has lapsed.
PROTECTION_KINDS = (ClockKind.PROTECTION_REQUEST, ClockKind.PROTECTION_END, ClockKind.SAFETY_PLAN_REVIEW)


def protection_warnings(unit, now):
    """Running protection clocks of the unit that are due soon or overdue, soonest first."""
    return Deadline.objects.filter(
        unit=unit, status=DeadlineStatus.OPEN, kind__in=PROTECTION_KINDS, warn_at__lte=now
    ).order_by("due_at", "id")


def board(unit, now=None):
    now = now or timezone.now()
    days = no_contact_days(unit)
    overdue = capped(
        overdue_for_unit(unit, now).select_related("case", "responsible").order_by("due_at", "id"), LIST_LIMIT
    )
    people = User.objects.in_bulk({d.person for d in overdue if d.person})
    for d in overdue:
        d.person_user = people.get(d.person)
        d.state = deadline_state(d, now)
        d.link = subject_link(d)
    protection = capped(protection_warnings(unit, now).select_related("case"), LIST_LIMIT)
    for d in protection:
        d.state = deadline_state(d, now)
        d.link = reverse("cases:protection", args=[d.case.public_id]) if d.case_id else ""
    quiet = capped(high_risk_without_contact(unit, now, days), LIST_LIMIT)
    by_person = overdue_by_person(unit, now)
    return {
        "steps": cases_by_step(unit),
        "overdue_by_person": by_person,
        "overdue": overdue,
        "overdue_total": sum(row["count"] for row in by_person),
        "protection": protection,
        "no_contact": quiet,
        "no_contact_days": days,
        "now": now,
    }
