"""What the "Pekerjaan saya" (my work) home page shows a user: a fixed number of queries, whatever
the number of cases or clocks."""

import datetime as dt
import logging

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sinergi.accounts.access import case_scope, has_permission
from sinergi.cases.models import CaseAssignment
from sinergi.cases.selectors import age_reviews, cases_visible_to
from sinergi.cases.workflow_selectors import approvals_waiting_for
from sinergi.coordination.selectors import action_items_visible_to, open_action_items
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.selectors import deadline_state, open_deadlines, overdue_deadlines

logger = logging.getLogger(__name__)

NEW_ASSIGNMENT_DAYS = 7
#: How many rows each list of the page shows at most. A longer list says so ("50+", "showing the
#: first 50") and links to where all of it is: nothing is cut silently.
LIST_LIMIT = 50


class Capped(list):
    """The first `limit` rows of a list, knowing whether there are more (`more`)."""

    def __init__(self, rows, limit):
        super().__init__(rows[:limit])
        self.limit = limit
        self.more = len(rows) > limit


def capped(queryset, limit=None):
    """One query: `limit` + 1 rows tell whether the list goes on."""
    limit = limit or LIST_LIMIT
    return Capped(list(queryset[: limit + 1]), limit)


#: Where a clock without a case links to, by its subject's model label (filled in by the apps
#: that start such clocks; a missing route leaves the clock without a link).
SUBJECT_ROUTES = {
    "portal.report": "portal:report_detail",
    "referrals.incomingreferral": "referrals:incoming_detail",
}


def subject_link(deadline):
    if deadline.case_id is not None:
        return reverse("cases:detail", args=[deadline.case.public_id])
    route = SUBJECT_ROUTES.get(deadline.subject_type)
    if route:
        try:
            return reverse(route, args=[deadline.subject_id])
        except NoReverseMatch:
            return ""
    return ""


def my_deadlines(user):
    """Running clocks the user answers for: named as responsible; or, with nobody named, those of
    cases they are on the team of, and (for who registers intake) the unit's clocks without a case
    such as portal reports waiting for a first response."""
    if not user.organisation_id:
        return Deadline.objects.none()
    visible = cases_visible_to(user)
    on_team = CaseAssignment.objects.filter(case=OuterRef("case"), user=user, active=True)
    rule = Q(case__in=visible) & (
        Q(responsible=user) | Q(responsible__isnull=True, case__isnull=False) & Q(Exists(on_team))
    )
    if has_permission(user, "case.register"):
        rule |= Q(case__isnull=True, unit_id=user.organisation_id) & (
            Q(responsible=user) | Q(responsible__isnull=True)
        )
    return open_deadlines().filter(rule).select_related("case")


def _sections(deadlines, now):
    """Overdue, due today and due soon (warned, due after today): one capped query each, in order
    of the due moment."""
    tomorrow = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=1
    )
    rules = {
        "overdue": Q(due_at__lt=now),
        "due_today": Q(due_at__gte=now, due_at__lt=tomorrow),
        "due_soon": Q(due_at__gte=tomorrow, warn_at__lte=now),
    }
    sections = {}
    for name, rule in rules.items():
        rows = capped(deadlines.filter(rule).order_by("due_at", "id"))
        for d in rows:
            d.state = deadline_state(d, now)
            d.link = subject_link(d)
        sections[name] = rows
    return sections


def approvals_for(user):
    """Plan and closure approvals waiting for this user."""

    return capped(approvals_waiting_for(user))


def my_action_items(user, now):
    """Open action items assigned to the user or their agency, due within a week or overdue.

    Partners (who have no cases) see theirs here too: the item is what they owe the network."""
    today = timezone.localdate(now)
    mine = Q(assignee_user=user) | Q(assignee_organisation_id=user.organisation_id)
    items = capped(
        open_action_items(action_items_visible_to(user))
        .filter(mine, due_date__lte=today + dt.timedelta(days=7))
        .order_by("due_date", "id")
    )
    for item in items:
        item.overdue = item.due_date < today
    return items


def my_age_reviews(user, now):
    """Ages to act on in the open cases the user is on the team of, in one query: a child client
    who turned 18 during the case, an estimated age close to 18 to confirm
    (sinergi.cases.selectors.age_reviews)."""
    mine = cases_visible_to(user).filter(assignments__user=user, assignments__active=True)
    turned, possibly = age_reviews(mine, timezone.localdate(now))
    return capped((turned | possibly).distinct().order_by("case__created_at", "pk"))


def my_work(user, now=None):
    now = now or timezone.now()
    works_on_cases = case_scope(user) in {"unit", "team"} and user.organisation_id is not None
    context = {
        "works_on_cases": works_on_cases,
        "now": now,
        "action_items": my_action_items(user, now) if user.organisation_id else [],
    }
    if not works_on_cases:
        return context
    # Only clocks that will matter within a week are listed; the rest waits for its warning window.
    horizon = now + dt.timedelta(days=7)
    sections = _sections(my_deadlines(user).filter(warn_at__lte=horizon), now)
    assignments = capped(
        CaseAssignment.objects.filter(
            user=user, active=True, assigned_at__gte=now - dt.timedelta(days=NEW_ASSIGNMENT_DAYS)
        )
        .exclude(assigned_by=user)
        .filter(case__in=cases_visible_to(user))
        .select_related("case", "assigned_by")
        .order_by("-assigned_at")
    )
    can_see_board = has_permission(user, "deadline.board")
    context.update(
        {
            "unit_overdue": overdue_deadlines(now).filter(unit_id=user.organisation_id).count()
            if can_see_board
            else 0,
            **sections,
            "approvals": approvals_for(user),
            "new_assignments": assignments,
            "age_reviews": my_age_reviews(user, now),
            "can_see_board": can_see_board,
            "can_see_cases": has_permission(user, "case.view"),
        }
    )
    return context
