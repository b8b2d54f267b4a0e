import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sinergi.accounts.models import Organisation, OrganisationContact, User
from sinergi.demo.accounts import ACCOUNTS, demo_data_load

USERNAMES = {
    "admin",
    "kepala",
    "petugas",
    "pendamping",
    "psikolog",
    "datin",
    "pimpinan",
    "polres",
    "rsud",
    "kepala_sumbar",
}


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO = True
    settings.SINERGI_DEMO_PASSWORD = "demo-sandi-yang-panjang"
    settings.VAR_DIR = tmp_path


def test_demo_accounts_are_the_documented_ones():
    assert {a.username for a in ACCOUNTS} == USERNAMES


def test_demo_load_is_idempotent(db, demo):
    demo_data_load()
    counts = (Organisation.objects.count(), User.objects.count(), OrganisationContact.objects.count())
    from sinergi.cases.models import Case, CaseAssignment
    from sinergi.referrals.models import Referral

    work = (Case.objects.count(), CaseAssignment.objects.count(), Referral.objects.count())
    assert work == (3, 4, 2)
    demo_data_load()
    assert (Organisation.objects.count(), User.objects.count(), OrganisationContact.objects.count()) == counts
    assert (Case.objects.count(), CaseAssignment.objects.count(), Referral.objects.count()) == work
    assert set(User.objects.values_list("username", flat=True)) == USERNAMES
    kepala = User.objects.get(username="kepala")
    assert kepala.organisation.name == "UPTD PPA Kota Payakumbuh"
    assert kepala.organisation.parent.parent.name == "UPTD PPA Provinsi Sumatera Barat"
    assert User.objects.get(username="polres").organisation.agency_type == "kepolisian"
    for user in User.objects.all():
        user.full_clean()


def test_demo_refuses_outside_demo_mode(db, settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_demo")


def test_generated_demo_password_is_kept_in_var(db, settings, tmp_path):
    settings.DEMO = True
    settings.SINERGI_DEMO_PASSWORD = ""
    settings.VAR_DIR = tmp_path
    from sinergi.demo.accounts import demo_password

    first = demo_password()
    assert len(first) >= 12 and demo_password() == first
    assert (tmp_path / "demo_password").read_text() == first


def test_a_demo_account_can_log_in(client, db, demo):
    demo_data_load()
    response = client.post(
        reverse("account_login"), {"login": "kepala", "password": "demo-sandi-yang-panjang"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_message(client, db, demo):
    demo_data_load()
    response = client.post(reverse("account_login"), {"login": "kepala", "password": "salah-sandi-sekali"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert 'value="kepala"' in response.content.decode()


def test_the_high_risk_demo_case_has_its_protection_and_safety_plan(db, demo):
    from sinergi.cases.models import Case

    demo_data_load()
    case = Case.objects.get(registration_number="DEMO-1376-2026-0003")
    assert case.risk == "tinggi"
    kinds = sorted(case.protection_measures.values_list("kind", "status"))
    assert kinds == [("perintah_pengadilan", "diberikan"), ("polisi_pkdrt", "berakhir")]
    assert case.safety_plans.get().actions.count() == 2
