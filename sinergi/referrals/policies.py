"""Who may do what with referrals, transfers and the partner directory."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sinergi.accounts.access import case_scope, has_permission
from sinergi.accounts.choices import OrganisationKind
from sinergi.cases.policies import can_refer_from_case

from .choices import CLOSED_STATUSES, OPEN_STATUSES


def can_manage_partner(user, organisation):
    """A kepala keeps the contacts of the partner agencies that work with the own unit."""
    return (
        has_permission(user, "partner.manage")
        and organisation.kind == OrganisationKind.PARTNER
        and organisation.parent_id is not None
        and organisation.parent_id == user.organisation_id
    )


def require_sender(actor, referral):
    """Only who may refer from the referral's case moves it as its sender."""
    if not can_refer_from_case(actor, referral.case):
        raise PermissionDenied


def require_partner(actor, referral):
    """Only a focal point of the agency the referral is addressed to (views answer 404 first)."""
    if not has_permission(actor, "referral.inbox") or referral.to_agency_id != actor.organisation_id:
        raise PermissionDenied


def can_view_referral(user, referral):
    """The partner's per-object rule: the per-object form of referrals_visible_to (a property test
    checks they agree): open referrals, and closed ones during the unit's grace days."""
    if case_scope(user) != "referrals" or referral.to_agency_id != user.organisation_id:
        return False
    if referral.status in OPEN_STATUSES:
        return True
    if referral.status in CLOSED_STATUSES and referral.closed_at:
        grace = dt.timedelta(days=referral.case.unit.referral_grace_days)
        return referral.closed_at + grace > timezone.now()
    return False
