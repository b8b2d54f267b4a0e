import pytest

from sinergi.referrals.models import Referral, ReferralPathway

pytestmark = pytest.mark.django_db


def test_demo_pathways_and_referrals_load_once(settings):
    from sinergi.demo.accounts import demo_data_load

    settings.DEMO = True
    settings.SINERGI_DEMO_PASSWORD = "demo-kata-sandi-uji-panjang"
    orgs = demo_data_load()
    count = ReferralPathway.objects.count()
    demo_data_load()
    assert ReferralPathway.objects.count() == count > 0
    first = ReferralPathway.objects.get(unit=orgs["uptd"], service="penegakan_hukum", position=1)
    assert first.agency == orgs["polres"]
    assert not Referral.objects.filter(victim__isnull=True).exists()
