"""Which cases a user may see: the one gate every case read goes through.

`cases_visible_to(user)` (a queryset, for lists) and `can_view_case(user, case)` (for one case
already loaded) implement the same rule twice, on purpose: a property test checks they agree.
The rule itself is written down in sinergi/accounts/access_control.md.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sinergi.accounts.access import case_scope, permission_scope

from .models import BreakGlassAccess, Case, CaseAssignment


def _active_break_glass(user, now):
    return BreakGlassAccess.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=now)


def cases_visible_to(user):
    scope = case_scope(user)
    unit_id = getattr(user, "organisation_id", None)
    if scope not in {"unit", "team"} or unit_id is None:
        return Case.objects.none()
    now = timezone.now()
    if scope == "unit":
        rule = Q(unit_id=unit_id) | Q(Exists(_active_break_glass(user, now)))
    else:
        on_team = CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, active=True)
        rule = Q(unit_id=unit_id) & Q(Exists(on_team))
        if user.organisation.all_staff_see_all_cases:
            rule |= Q(unit_id=unit_id, restricted=False)
    return Case.objects.filter(rule)


def can_view_case(user, case):
    scope = case_scope(user)
    unit_id = getattr(user, "organisation_id", None)
    if scope not in {"unit", "team"} or unit_id is None:
        return False
    if scope == "unit":
        if case.unit_id == unit_id:
            return True
        return BreakGlassAccess.objects.filter(case=case, user=user, expires_at__gt=timezone.now()).exists()
    if case.unit_id != unit_id:
        return False
    if CaseAssignment.objects.filter(case=case, user=user, active=True).exists():
        return True
    return user.organisation.all_staff_see_all_cases and not case.restricted


def break_glass_candidates(user):
    """Cases a kepala may open through break-glass: those of the units below their own."""
    if case_scope(user) != "unit" or user.organisation_id is None:
        return Case.objects.none()
    below = [u.pk for u in user.organisation.descendants()]
    return Case.objects.filter(unit_id__in=below)


def case_team(case):
    return (
        CaseAssignment.objects.filter(case=case, active=True)
        .select_related("user")
        .order_by("team_role", "user__username")
    )


def may_see_access_log(user, case):
    """The 'who accessed this case' panel: `case.access_log` within its scope (unit or team)."""
    scope = permission_scope(user, "case.access_log")
    if scope in {"unit", "all"} and case.unit_id == user.organisation_id:
        return True
    if scope == "team":
        return CaseAssignment.objects.filter(case=case, user=user, active=True).exists()
    return False
