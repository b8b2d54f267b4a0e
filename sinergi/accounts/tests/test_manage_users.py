"""The users list and a user's page (/pengaturan/pengguna/)."""

from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.choices import Role
from sinergi.testing.factories import UserFactory

LIST = reverse("accounts:user_list")


def detail_url(user):
    return reverse("accounts:user_detail", args=[user.public_id])


def listed(response):
    return {u.username for u in response.context["page"].object_list}


# --- the list --------------------------------------------------------------------------------


def test_it_works(personas, login):
    response = login(personas.kepala).get(LIST)
    assert response.status_code == 200
    names = listed(response)
    # The own unit and the partner agency that works with it...
    assert {"kepala", "pendamping", "datin", "mitra"} <= names
    # ...not another unit, not a partner of nobody, not the people who oversee the unit.
    assert not names & {"orang_luar", "kepala_luar", "mitra_lain", "admin", "auditor", "kepala_provinsi"}


def test_admin_sees_every_user(personas, login):
    response = login(personas.admin).get(LIST)
    assert listed(response) >= {"orang_luar", "kepala_luar", "mitra_lain", "auditor", "kepala"}


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_filters(personas, login):
    client = login(personas.admin)
    by_role = listed(client.get(LIST, {"role": Role.KEPALA_UPTD}))
    assert by_role == {"kepala", "kepala_luar", "kepala_provinsi"}
    by_org = listed(client.get(LIST, {"organisation": personas.orgs.partner.public_id}))
    assert by_org == {"mitra"}
    personas.petugas.is_active = False
    personas.petugas.save()
    assert listed(client.get(LIST, {"active": "0"})) == {"petugas"}
    assert "petugas" not in listed(client.get(LIST, {"active": "1"}))
    assert "orang_luar" in listed(client.get(LIST, {"q": "ORANG_"}))


def test_nonsense_filters_are_ignored(personas, login):
    response = login(personas.kepala).get(LIST, {"organisation": "tidak-ada", "role": "raja", "active": "x"})
    assert response.status_code == 200
    assert "pendamping" in listed(response)


def test_a_kepala_cannot_filter_on_another_unit(personas, login):
    response = login(personas.kepala).get(LIST, {"organisation": personas.orgs.other_unit.public_id})
    assert "orang_luar" not in listed(response)


def test_locked_users_get_a_badge_and_a_filter(personas, login):
    personas.pendamping.locked_until = timezone.now() + timedelta(minutes=15)
    personas.pendamping.save()
    client = login(personas.kepala)
    assert listed(client.get(LIST, {"locked": "1"})) == {"pendamping"}
    html = client.get(LIST).content.decode()
    assert html.count('class="badge warn"') == 1


def test_the_list_costs_the_same_for_30_users(personas, login, django_assert_max_num_queries):
    client = login(personas.kepala)
    client.get(LIST)  # the first request also records the session
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    UserFactory.create_batch(30, organisation=personas.orgs.unit, role=Role.PENDAMPING)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) > 30


def test_the_list_reads_well_on_a_phone(personas, login):
    html = login(personas.kepala).get(LIST).content.decode()
    assert 'name="viewport"' in html
    assert "accounts/manage.css" in html
    assert " style=" not in html and "<script>" not in html


# --- a user's page ---------------------------------------------------------------------------


def test_detail_works(personas, login):
    response = login(personas.kepala).get(detail_url(personas.pendamping))
    assert response.status_code == 200
    assert response.context["has_mfa"] is False
    assert response.context["session_count"] == 0
    html = response.content.decode()
    assert personas.pendamping.username in html
    assert reverse("accounts:user_disable", args=[personas.pendamping.public_id]) in html


def test_detail_shows_mfa_and_sessions(personas, login, client):
    Authenticator.objects.create(user=personas.pendamping, type=Authenticator.Type.TOTP, data={})
    from django.test import Client

    other = Client()
    other.force_login(personas.pendamping)
    other.get("/")  # the user-sessions middleware records the session
    response = login(personas.kepala).get(detail_url(personas.pendamping))
    assert response.context["has_mfa"] is True
    assert response.context["session_count"] == 1


def test_the_nav_shows_settings_only_to_managers(personas, login):
    assert LIST in login(personas.kepala).get("/").content.decode()
    assert LIST not in login(personas.pendamping).get("/").content.decode()
