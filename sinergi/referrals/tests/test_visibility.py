"""The partner's visibility rule: the list (referrals_visible_to) and the one-object check
(can_view_referral) agree, for every state, closing time and grace period."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.referrals.choices import ReferralStatus
from sinergi.referrals.models import Referral
from sinergi.referrals.policies import can_view_referral
from sinergi.referrals.selectors import referrals_visible_to

pytestmark = pytest.mark.django_db


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from(ReferralStatus.values),
    closed_hours_ago=st.one_of(st.none(), st.integers(min_value=0, max_value=24 * 20)),
    grace=st.integers(min_value=0, max_value=10),
    other_agency=st.booleans(),
)
def test_list_and_object_rule_agree(world, status, closed_hours_ago, grace, other_agency):
    unit = world.case.unit
    unit.referral_grace_days = grace
    unit.save(update_fields=["referral_grace_days"])
    closed = timezone.now() - dt.timedelta(hours=closed_hours_ago) if closed_hours_ago is not None else None
    referral = Referral.objects.create(
        case=world.case,
        victim=world.victim,
        to_agency=world.p.orgs.other_partner if other_agency else world.partner,
        status=status,
        closed_at=closed,
    )
    referral = Referral.objects.select_related("case__unit").get(pk=referral.pk)
    for user in (world.p.mitra, world.p.mitra_lain, world.p.pendamping, world.p.kepala):
        listed = referrals_visible_to(user).filter(pk=referral.pk).exists()
        assert listed == can_view_referral(user, referral), (user.username, status, closed_hours_ago, grace)
    referral.delete()
