"""Acting on an account: edit, disable, new set-password link, MFA reset, unlock (POST only)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts import services
from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent

# A page only a logged-in user opens (the root is the public front door for anyone else).
STAFF_PAGE = reverse("notifications:list")


def url(name, user):
    return reverse(f"accounts:{name}", args=[user.public_id])


ACTIONS = ["user_disable", "user_password_link", "user_mfa_reset", "user_unlock"]


# --- the healthchecks trio for every action ------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_hide_other_units_users(personas, login, action):
    client = login(personas.kepala)
    for outsider in (personas.orang_luar, personas.mitra_lain, personas.admin):
        assert client.post(url(action, outsider)).status_code == 404
    assert User.objects.get(pk=personas.orang_luar.pk).is_active


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_need_the_csrf_token(personas, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.kepala)
    assert client.post(url(action, personas.petugas)).status_code == 403
    assert User.objects.get(pk=personas.petugas.pk).is_active


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_ask_for_a_fresh_login(personas, login, action):
    response = login(personas.kepala, fresh=False).post(url(action, personas.petugas))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert User.objects.get(pk=personas.petugas.pk).is_active


# --- disable ---------------------------------------------------------------------------------


def test_disable_ends_access(personas, login):
    victim_client = Client()
    victim_client.force_login(personas.pendamping)
    assert victim_client.get(STAFF_PAGE).status_code == 200

    response = login(personas.kepala).post(url("user_disable", personas.pendamping))
    assert response.status_code == 302
    assert response["Location"] == url("user_detail", personas.pendamping)
    assert not User.objects.get(pk=personas.pendamping.pk).is_active
    # The open session no longer works.
    assert victim_client.get(STAFF_PAGE).status_code == 302
    assert AuditEvent.objects.filter(action="user.disable", object_id=personas.pendamping.public_id).exists()


def test_nobody_disables_themselves(personas, login):
    login(personas.kepala).post(url("user_disable", personas.kepala))
    assert User.objects.get(pk=personas.kepala.pk).is_active


def test_admin_disables_anyone(personas, login):
    login(personas.admin).post(url("user_disable", personas.kepala_luar))
    assert not User.objects.get(pk=personas.kepala_luar.pk).is_active


# --- a new set-password link -----------------------------------------------------------------


def _link(response):
    return response.context["link"].removeprefix("http://testserver")


def test_a_new_link_replaces_a_lost_first_link(personas, login):
    _user, first = services.user_create(
        actor=personas.kepala,
        username="baru",
        full_name="Baru",
        role=Role.PSIKOLOG,
        organisation=personas.orgs.unit,
    )
    user = User.objects.get(username="baru")
    response = login(personas.kepala).post(url("user_password_link", user))
    assert response.status_code == 200
    second = _link(response)
    assert second != first
    anonymous = Client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second, follow=True).status_code == 200
    event = AuditEvent.objects.get(action="user.password_link")
    assert (event.object_id, event.details) == (user.public_id, {"first_password": True})


def test_no_link_for_a_disabled_account(personas, login):
    personas.pendamping.is_active = False
    personas.pendamping.save()
    response = login(personas.kepala).post(url("user_password_link", personas.pendamping))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="user.password_link").exists()


# --- MFA reset and unlock --------------------------------------------------------------------


def test_unlock(personas, login):
    personas.pendamping.locked_until = timezone.now() + timedelta(minutes=15)
    personas.pendamping.save()
    client = login(personas.kepala)
    assert client.get(url("user_detail", personas.pendamping)).context["is_locked"] is True
    response = client.post(url("user_unlock", personas.pendamping))
    assert response.status_code == 302
    assert client.get(url("user_detail", personas.pendamping)).context["is_locked"] is False
    assert AuditEvent.objects.filter(action="user.unlock", object_id=personas.pendamping.public_id).exists()


# --- edit ------------------------------------------------------------------------------------


def edit_data(**overrides):
    return {
        "full_name": "Dewi Kartika Sari",
        "role": Role.PSIKOLOG,
        "position": "Psikolog klinis",
        "phone": "0813-1111-2222",
        "email": "dewi@example.org",
        **overrides,
    }


def test_edit_works(personas, login):
    client = login(personas.kepala)
    assert client.get(url("user_edit", personas.pendamping)).status_code == 200
    response = client.post(url("user_edit", personas.pendamping), edit_data())
    assert response.status_code == 302
    user = User.objects.get(pk=personas.pendamping.pk)
    assert (user.full_name, user.role, user.phone) == ("Dewi Kartika Sari", Role.PSIKOLOG, "0813-1111-2222")
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes["role"] == [Role.PENDAMPING, Role.PSIKOLOG]
    assert event.changes["full_name"] == "changed"
    flat = repr(event.changes) + repr(event.details)
    for personal in ("Dewi", "0813-1111-2222", "dewi@example.org", "Psikolog klinis"):
        assert personal not in flat


def test_edit_hides_from_outsiders(personas, login):
    client = login(personas.kepala)
    assert client.get(url("user_edit", personas.orang_luar)).status_code == 404
    assert client.post(url("user_edit", personas.orang_luar), edit_data()).status_code == 404
    assert User.objects.get(pk=personas.orang_luar.pk).role == Role.PENDAMPING


def test_edit_keeps_what_was_typed_when_it_fails(personas, login):
    client = login(personas.kepala)
    for bad, field in [({"role": Role.MITRA}, "role"), ({"email": "bukan-email"}, "email")]:
        response = client.post(url("user_edit", personas.pendamping), edit_data(**bad))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        html = response.content.decode()
        assert 'value="Dewi Kartika Sari"' in html and 'value="0813-1111-2222"' in html
        assert f'aria-describedby="id_{field}_error"' in html
    user = User.objects.get(pk=personas.pendamping.pk)
    assert (user.role, user.full_name) == (Role.PENDAMPING, personas.pendamping.full_name)


def test_a_partner_user_stays_a_focal_point(personas):
    with pytest.raises(ValidationError) as err:
        services.user_update(actor=personas.admin, user=personas.mitra, **edit_data(role=Role.PENDAMPING))
    assert "role" in err.value.message_dict


def test_nobody_changes_their_own_role(personas):
    with pytest.raises(ValidationError) as err:
        services.user_update(actor=personas.kepala, user=personas.kepala, **edit_data(role=Role.PENDAMPING))
    assert "role" in err.value.message_dict
    assert User.objects.get(pk=personas.kepala.pk).role == Role.KEPALA_UPTD


def test_an_unchanged_save_writes_no_event(personas):
    user = personas.pendamping
    services.user_update(
        actor=personas.kepala,
        user=user,
        full_name=user.full_name,
        role=user.role,
        position=user.position,
        phone=user.phone,
        email=user.email,
    )
    assert not AuditEvent.objects.filter(action="user.update").exists()
