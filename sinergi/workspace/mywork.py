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
from sinergi.deadlines.choices import DeadlineState
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.selectors import deadline_state, open_deadlines, overdue_deadlines

logger = logging.getLogger(__name__)

NEW_ASSIGNMENT_DAYS = 7
#: How many rows each list of the page shows at most (the rest is counted, not listed).
LIST_LIMIT = 50

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
    today = timezone.localdate(now)
    overdue, today_list, soon = [], [], []
    for d in deadlines:
        d.state = deadline_state(d, now)
        d.link = subject_link(d)
        if d.state == DeadlineState.OVERDUE:
            overdue.append(d)
        elif timezone.localdate(d.due_at) == today:
            today_list.append(d)
        elif d.state == DeadlineState.DUE_SOON:
            soon.append(d)
    return overdue, today_list, soon


def approvals_for(user):
    """Plan and closure approvals waiting for this user."""

    return list(approvals_waiting_for(user)[:LIST_LIMIT])


def my_action_items(user, now):
    """Open action items assigned to the user or their agency, due within a week or overdue.

    Partners (who have no cases) see theirs here too: the item is what they owe the network."""
    today = timezone.localdate(now)
    mine = Q(assignee_user=user) | Q(assignee_organisation_id=user.organisation_id)
    items = list(
        open_action_items(action_items_visible_to(user))
        .filter(mine, due_date__lte=today + dt.timedelta(days=7))
        .order_by("due_date", "id")[:LIST_LIMIT]
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
    return list((turned | possibly).distinct().order_by("case__created_at", "pk")[:LIST_LIMIT])


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
    deadlines = list(
        my_deadlines(user).filter(warn_at__lte=horizon).order_by("due_at", "id")[: LIST_LIMIT * 3]
    )
    overdue, today_list, soon = _sections(deadlines, now)
    assignments = list(
        CaseAssignment.objects.filter(
            user=user, active=True, assigned_at__gte=now - dt.timedelta(days=NEW_ASSIGNMENT_DAYS)
        )
        .exclude(assigned_by=user)
        .filter(case__in=cases_visible_to(user))
        .select_related("case", "assigned_by")
        .order_by("-assigned_at")[:LIST_LIMIT]
    )
    can_see_board = has_permission(user, "deadline.board")
    context.update(
        {
            "unit_overdue": overdue_deadlines(now).filter(unit_id=user.organisation_id).count()
            if can_see_board
            else 0,
            "overdue": overdue[:LIST_LIMIT],
            "due_today": today_list[:LIST_LIMIT],
            "due_soon": soon[:LIST_LIMIT],
            "approvals": approvals_for(user),
            "new_assignments": assignments,
            "age_reviews": my_age_reviews(user, now),
            "can_see_board": can_see_board,
            "can_see_cases": has_permission(user, "case.view"),
        }
    )
    return context
