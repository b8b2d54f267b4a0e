"""Who may do what with the unit's shelters (case services follow the case's own rules, sinergi.cases.policies)."""

from django.core.exceptions import PermissionDenied

from sinergi.accounts.access import has_permission


def require_shelter_manage(actor, unit):
    if not has_permission(actor, "shelter.manage") or actor.organisation_id != unit.pk:
        raise PermissionDenied
