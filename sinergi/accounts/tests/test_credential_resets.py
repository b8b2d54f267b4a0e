"""Resetting an account in use takes two people (sinergi.accounts.resets; docs/security.md).

The finding: the system administrator ("no case content") could take over any account with a
set-password link — the old password kept working, the owner was not told, and the new password
was audited as set by the owner."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts import resets
from sinergi.accounts.models import CredentialReset, User
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import Refusal
from sinergi.testing.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def url(name, user, *args):
    return reverse(f"accounts:{name}", args=[user.public_id, *args])


def _approve(client, reset):
    return client.post(url("user_reset_approve", reset.user, reset.public_id), {"confirm": "ya"})


def test_the_administrator_cannot_take_over_an_account_alone(personas, login):
    owner = personas.pendamping
    owner.email = "pendamping@example.org"
    owner.save(update_fields=["email"])
    owner_session = Client()
    owner_session.force_login(owner)

    # The administrator asks: nothing changes yet, and no link is shown.
    admin = login(personas.admin)
    response = admin.post(url("user_password_link", owner))
    assert response.status_code == 302
    reset = CredentialReset.objects.get(user=owner)
    assert User.objects.get(pk=owner.pk).check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="user.reset_request", actor_username="admin").exists()
    # Nor may the one who asked approve it.
    response = _approve(admin, reset)
    assert response.status_code == 302
    assert CredentialReset.objects.get(pk=reset.pk).approved_at is None
    assert User.objects.get(pk=owner.pk).check_password(PASSWORD)

    # The unit's head approves: the old password and every session end, the owner is told.
    response = _approve(login(personas.kepala), reset)
    assert response.status_code == 200
    link = response.context["link"].removeprefix("http://testserver")
    assert not User.objects.get(pk=owner.pk).has_usable_password()
    assert "_auth_user_id" not in owner_session.session  # logged out everywhere
    assert [m.to for m in mail.outbox] == [["pendamping@example.org"]]
    approved = AuditEvent.objects.get(action="user.reset_approve")
    assert approved.actor_username == "kepala" and approved.details["owner_notified"] is True

    # The new password set through the link is attributed to whoever issued the link.
    holder = Client()
    page = holder.get(link, follow=True)
    new = "kata-sandi-baru-yang-panjang-sekali"
    holder.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert User.objects.get(pk=owner.pk).check_password(new)
    event = AuditEvent.objects.filter(action="user.password_set").latest("id")
    assert event.actor_username == "kepala" and event.details["set_through_link"] is True
    assert event.details["requested_by"] == personas.admin.public_id


def test_a_reset_of_two_step_verification_waits_for_the_second_person(personas, login):
    Authenticator.objects.create(user=personas.pendamping, type=Authenticator.Type.TOTP, data={})
    login(personas.kepala).post(url("user_mfa_reset", personas.pendamping))
    assert Authenticator.objects.filter(user=personas.pendamping).exists()
    reset = CredentialReset.objects.get(user=personas.pendamping, kind="mfa")
    assert _approve(login(personas.admin), reset).status_code == 302
    assert not Authenticator.objects.filter(user=personas.pendamping).exists()
    event = AuditEvent.objects.get(action="user.reset_approve")
    assert event.details["removed"] == ["totp"] and event.details["owner_notified"] is False


def test_nobody_approves_a_reset_of_their_own_account(personas):
    reset = resets.reset_request(actor=personas.admin, user=personas.kepala, kind="password")
    assert not resets.may_approve(personas.kepala, reset)
    with pytest.raises(Refusal) as refused:
        resets.reset_approve(actor=personas.kepala, reset=reset)
    assert refused.value.reason == "own"
    with pytest.raises(Refusal):
        resets.reset_request(actor=personas.kepala, user=personas.kepala, kind="password")


def test_an_unapproved_request_lapses(personas):
    reset = resets.reset_request(actor=personas.admin, user=personas.pendamping, kind="password")
    # Asking twice gives the same open request.
    assert resets.reset_request(actor=personas.admin, user=personas.pendamping, kind="password") == reset
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        assert not resets.may_approve(personas.kepala, reset)
        with pytest.raises(Refusal) as refused:
            resets.reset_approve(actor=personas.kepala, reset=reset)
        assert refused.value.reason == "not_pending"
        assert not resets.pending_resets(personas.pendamping).exists()
    assert User.objects.get(pk=personas.pendamping.pk).check_password(PASSWORD)


def test_a_manager_of_another_unit_cannot_approve(personas, login):
    reset = resets.reset_request(actor=personas.admin, user=personas.pendamping, kind="password")
    assert _approve(login(personas.kepala_luar), reset).status_code == 404
    assert CredentialReset.objects.get(pk=reset.pk).approved_at is None
