"""Who may do what with referrals, transfers and the partner directory."""

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import OrganisationKind


def can_manage_partner(user, organisation):
    """A kepala keeps the contacts of the partner agencies that work with the own unit."""
    return (
        has_permission(user, "partner.manage")
        and organisation.kind == OrganisationKind.PARTNER
        and organisation.parent_id is not None
        and organisation.parent_id == user.organisation_id
    )
