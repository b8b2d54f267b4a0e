"""Who may change the clocks: extend one, set a unit's durations."""

from django.core.exceptions import PermissionDenied

from sinergi.accounts.access import has_permission

from .hooks import may_edit_case


def can_extend(user, deadline):
    """Case clocks: whoever may edit the case; other clocks: staff of the unit who may edit cases."""
    if not has_permission(user, "case.edit"):
        return False
    if deadline.case_id is not None:
        return may_edit_case(user, deadline.case)
    return user.organisation_id == deadline.unit_id


def require_policy_edit(actor, unit):
    if not has_permission(actor, "deadline.policy") or actor.organisation_id != unit.pk:
        raise PermissionDenied
