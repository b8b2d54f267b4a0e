"""Which referrals a partner agency's focal point may see (and for how long)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from sinergi.accounts.access import case_scope
from sinergi.accounts.choices import OrganisationKind
from sinergi.accounts.models import Organisation

from .choices import CLOSED_STATUSES, OPEN_STATUSES
from .models import Referral


def referrals_visible_to(user):
    """Open referrals to the user's agency, and closed ones within the sending unit's grace period."""
    if case_scope(user) != "referrals" or user.organisation_id is None:
        return Referral.objects.none()
    now = timezone.now()
    rule = Q(status__in=OPEN_STATUSES)
    # Each sending unit has its own grace period; there are only a few distinct values.
    grace_values = Organisation.objects.filter(kind=OrganisationKind.SERVICE_UNIT).values_list(
        "referral_grace_days", flat=True
    )
    for days in set(grace_values):
        rule |= Q(
            status__in=CLOSED_STATUSES,
            case__unit__referral_grace_days=days,
            closed_at__gt=now - dt.timedelta(days=days),
        )
    return Referral.objects.filter(to_agency_id=user.organisation_id).filter(rule)


def can_view_referral(user, referral):
    if case_scope(user) != "referrals" or referral.to_agency_id != user.organisation_id:
        return False
    if referral.status in OPEN_STATUSES:
        return True
    if referral.status in CLOSED_STATUSES and referral.closed_at:
        grace = dt.timedelta(days=referral.case.unit.referral_grace_days)
        return referral.closed_at + grace > timezone.now()
    return False
