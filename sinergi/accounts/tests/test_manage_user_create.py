"""Creating an account and handing over its one-time set-password link."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sinergi.accounts import services
from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent

CREATE = reverse("accounts:user_create")
NEW_PASSWORD = "Rendang-Padang-2024!"


def new_user_data(organisation, **overrides):
    return {
        "username": "siti.pendamping",
        "full_name": "Siti Aminah Rahmawati",
        "organisation": organisation.public_id,
        "role": Role.PENDAMPING,
        "position": "Pendamping hukum",
        "phone": "0812-3456-7890",
        "email": "siti@example.org",
        **overrides,
    }


def link_from(response):
    match = re.search(r'id="set-password-link"[^>]*value="([^"]+)"', response.content.decode())
    assert match, "the page shows no set-password link"
    return match.group(1).replace("&amp;", "&").removeprefix("http://testserver")


def test_it_works(personas, login):
    client = login(personas.kepala)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, new_user_data(personas.orgs.unit))
    assert response.status_code == 200
    user = User.objects.get(username="siti.pendamping")
    assert (user.role, user.organisation, user.is_active) == (Role.PENDAMPING, personas.orgs.unit, True)
    assert not user.has_usable_password()
    assert link_from(response).startswith("/pengaturan/sandi/")
    assert response.context["valid_days"] == 3


def test_the_whole_journey_kepala_creates_a_pendamping_who_logs_in(personas, login):
    response = login(personas.kepala).post(CREATE, new_user_data(personas.orgs.unit))
    link = link_from(response)

    newcomer = Client()
    page = newcomer.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.wsgi_request.path
    response = newcomer.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")

    # The link worked once; now it is refused.
    assert newcomer.get(link).status_code == 404
    again = newcomer.post(form_url, {"new_password1": "Lain-Sekali-99", "new_password2": "Lain-Sekali-99"})
    assert again.status_code == 404

    response = newcomer.post(reverse("account_login"), {"login": "siti.pendamping", "password": NEW_PASSWORD})
    assert response.status_code == 302  # home, or the MFA set-up when MFA is required
    user = User.objects.get(username="siti.pendamping")
    assert newcomer.session[SESSION_KEY] == str(user.pk)


def test_it_is_audited_without_personal_values(personas, login):
    login(personas.kepala).post(CREATE, new_user_data(personas.orgs.unit))
    user = User.objects.get(username="siti.pendamping")
    event = AuditEvent.objects.get(action="user.create")
    assert (event.actor_id, event.object_id, event.outcome) == (personas.kepala.pk, user.public_id, "ok")
    assert event.changes["role"] == ["", Role.PENDAMPING]
    assert event.changes["full_name"] == "changed"
    flat = repr(event.changes) + repr(event.details)
    for personal in ("Siti Aminah", "0812-3456-7890", "siti@example.org", "Pendamping hukum"):
        assert personal not in flat


@pytest.mark.parametrize("persona", ["pendamping", "mitra", "datin"])
def test_it_refuses_without_permission(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, new_user_data(personas.orgs.unit)).status_code == 403
    assert not User.objects.filter(username="siti.pendamping").exists()


def test_it_hides_other_units_from_a_kepala(personas, login):
    client = login(personas.kepala)
    form = client.get(CREATE).context["form"]
    offered = set(form.fields["organisation"].queryset)
    assert offered == {personas.orgs.unit, personas.orgs.partner}
    response = client.post(CREATE, new_user_data(personas.orgs.other_unit))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="siti.pendamping").exists()


def test_a_kepala_cannot_create_an_admin_or_auditor(personas, login):
    client = login(personas.kepala)
    for role in (Role.ADMIN_SISTEM, Role.AUDITOR):
        response = client.post(CREATE, new_user_data(personas.orgs.unit, role=role))
        assert response.status_code == 200
        assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="siti.pendamping").exists()
    with pytest.raises(ValidationError) as err:
        services.user_create(
            actor=personas.kepala,
            username="admin2",
            full_name="X",
            role=Role.ADMIN_SISTEM,
            organisation=personas.orgs.unit,
        )
    assert "role" in err.value.message_dict


def test_a_kepala_adds_focal_points_of_partners_of_the_unit_only(personas, login):
    client = login(personas.kepala)
    ok = client.post(CREATE, new_user_data(personas.orgs.partner, role=Role.MITRA, username="polres.dua"))
    assert ok.status_code == 200
    assert User.objects.get(username="polres.dua").organisation == personas.orgs.partner
    with pytest.raises(ValidationError) as err:
        services.user_create(
            actor=personas.kepala,
            username="rsud.dua",
            full_name="Y",
            role=Role.MITRA,
            organisation=personas.orgs.other_partner,
        )
    assert "organisation" in err.value.message_dict


def test_admin_can_create_anywhere(personas, login):
    client = login(personas.admin)
    for org, role, username in [
        (personas.orgs.other_unit, Role.KEPALA_UPTD, "kepala.baru"),
        (personas.orgs.other_partner, Role.MITRA, "rsud.baru"),
        (personas.orgs.province, Role.AUDITOR, "auditor.baru"),
    ]:
        response = client.post(CREATE, new_user_data(org, role=role, username=username))
        assert response.status_code == 200, response.context["form"].errors
        assert User.objects.get(username=username).organisation == org


def test_bad_input_shows_errors_next_to_fields_and_keeps_what_was_typed(personas, login):
    client = login(personas.kepala)
    response = client.post(CREATE, new_user_data(personas.orgs.unit, username="Pendamping"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "username" in response.context["form"].errors
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_helptext id_username_error"' in html
    assert 'id="id_username_error"' in html
    assert 'value="Siti Aminah Rahmawati"' in html
    assert 'value="0812-3456-7890"' in html

    response = client.post(CREATE, new_user_data(personas.orgs.partner, role=Role.PENDAMPING))
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert 'value="siti.pendamping"' in response.content.decode()
    assert not User.objects.filter(username="siti.pendamping").exists()


@pytest.mark.parametrize("username", ["ab", "siti aminah", "siti@rumah", "a" * 151])
def test_usernames_are_checked(personas, username):
    with pytest.raises(ValidationError) as err:
        services.user_create(
            actor=personas.admin,
            username=username,
            full_name="Z",
            role=Role.PENDAMPING,
            organisation=personas.orgs.unit,
        )
    assert "username" in err.value.message_dict


def test_usernames_are_stored_in_lowercase(personas):
    user, _path = services.user_create(
        actor=personas.admin,
        username="  Budi.S ",
        full_name="Budi",
        role=Role.PSIKOLOG,
        organisation=personas.orgs.unit,
    )
    assert user.username == "budi.s"


def test_creating_asks_for_a_fresh_login(personas, login):
    response = login(personas.kepala, fresh=False).get(CREATE)
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
