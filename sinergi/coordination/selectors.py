"""Reads: which meetings and action items a user may see, and how a case shows on them.

Every view fetches through these with the user, so a meeting or action item outside the user's
scope is a 404 (sinergi.accounts.guards.get_visible_or_404).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sinergi.accounts.access import permission_scope
from sinergi.accounts.choices import Role
from sinergi.cases.policies import can_view_case
from sinergi.cases.selectors import cases_visible_to

from .choices import OPEN_STATUSES
from .models import ActionItem, Meeting, MeetingParticipant


def _invited(user):
    return Exists(
        MeetingParticipant.objects.filter(
            Q(user=user) | Q(organisation_id=user.organisation_id), meeting=OuterRef("pk")
        )
    )


def meetings_visible_to(user):
    """Meetings the user's unit organises (scope `unit`) or to which their agency or they are invited."""
    scope = permission_scope(user, "meeting.view")
    if scope is None or user.organisation_id is None:
        return Meeting.objects.none()
    rule = Q(_invited(user))
    if scope in {"unit", "all"}:
        rule |= Q(unit_id=user.organisation_id)
    return Meeting.objects.filter(rule)


def meetings_managed_by(user):
    scope = permission_scope(user, "meeting.manage")
    if scope is None or user.organisation_id is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(unit_id=user.organisation_id)


def _assigned_to(user):
    return Q(assignee_user=user) | Q(assignee_organisation_id=user.organisation_id)


def action_items_visible_to(user):
    scope = permission_scope(user, "action_item.view")
    if scope is None or user.organisation_id is None:
        return ActionItem.objects.none()
    rule = _assigned_to(user)
    if scope in {"unit", "all"}:
        rule |= Q(unit_id=user.organisation_id)
    return ActionItem.objects.filter(rule)


def action_items_updatable_by(user):
    scope = permission_scope(user, "action_item.update")
    if scope is None or user.organisation_id is None:
        return ActionItem.objects.none()
    rule = _assigned_to(user)
    if scope in {"unit", "all"}:
        rule |= Q(unit_id=user.organisation_id)
    return ActionItem.objects.filter(rule)


def action_items_managed_by(user):
    scope = permission_scope(user, "action_item.manage")
    if scope is None or user.organisation_id is None:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(unit_id=user.organisation_id)


def with_case_visibility(queryset, user):
    """Annotate `case_visible` (any model with a `case` foreign key): may this user open the
    linked case, not only read its code? One subquery instead of a policy check per row."""
    return queryset.annotate(case_visible=Exists(cases_visible_to(user).filter(pk=OuterRef("case_id"))))


def linked_case_visible(item, user):
    """May `user` open the case linked to `item` (an action item, a meeting's case row)?"""
    rows = with_case_visibility(type(item).objects.filter(pk=item.pk), user)
    return bool(rows.values_list("case_visible", flat=True).first())


def open_action_items(queryset):
    return queryset.filter(status__in=OPEN_STATUSES)


def is_overdue(item, today=None):
    today = today or timezone.localdate()
    return item.status in OPEN_STATUSES and item.due_date < today


def case_code_for(user, case, *, case_visible=None):
    """What `user` may see of a case on a meeting or action item: (code or None, may open it).

    Staff who may open the case see its code with a link; a partner (who is only ever shown
    meetings and items they take part in) sees the code alone; other staff see neither.
    """
    if case is None:
        return None, False
    visible = can_view_case(user, case) if case_visible is None else case_visible
    if visible:
        return case.pseudonym, True
    if user.role == Role.MITRA:
        return case.pseudonym, False
    return None, False
