"""The self-service e-mail password reset: off unless a unit turns it on, then only for verified
primary addresses, every request audited, the same answer for every address."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sinergi.accounts.email_reset import token_generator
from sinergi.accounts.models import Organisation
from sinergi.accounts.services import organisation_update, password_link_path
from sinergi.audit.models import AuditEvent

RESET = "/akun/password/reset/"
PASSWORD = "kata-sandi-baru-yang-panjang-9"


@pytest.fixture
def unit_allows(personas):
    Organisation.objects.filter(pk=personas.orgs.unit.pk).update(email_password_reset=True)
    return personas.orgs.unit


def verified(user, email, *, primary=True, is_verified=True):
    user.email = email
    user.save(update_fields=["email"])
    return EmailAddress.objects.create(user=user, email=email, verified=is_verified, primary=primary)


def reset_events():
    return AuditEvent.objects.filter(action="auth.password_reset_email").order_by("pk")


def ask(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(RESET, {"email": email})


def comparable(response):
    # The page without what differs on every response anyway (CSRF tokens, CSP nonces).
    return re.sub(r'(value|nonce)="[^"]*"', "", response.content.decode())


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


# --- off by default ------------------------------------------------------------------------------


def test_it_is_off_by_default(client, personas):
    verified(personas.petugas, "petugas@uji.example")
    assert client.get(RESET).status_code == 404
    assert client.post(RESET, {"email": "petugas@uji.example"}).status_code == 404
    assert mail.outbox == []
    assert [e.details["reason"] for e in reset_events()] == ["not_offered", "not_offered"]
    assert not Organisation.objects.filter(email_password_reset=True).exists()


def test_the_login_page_links_to_it_only_when_a_unit_allows_it(client, personas):
    assert RESET not in client.get("/akun/login/").content.decode()
    Organisation.objects.filter(pk=personas.orgs.unit.pk).update(email_password_reset=True)
    assert RESET in client.get("/akun/login/").content.decode()


# --- who gets a link -------------------------------------------------------------------------


def test_a_verified_address_gets_exactly_one_mail(
    client, personas, unit_allows, django_capture_on_commit_callbacks
):
    verified(personas.petugas, "petugas@uji.example")
    response = ask(client, "Petugas@Uji.example", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["petugas@uji.example"]
    assert reverse("password_reset_email_set", args=["x", "y"]).split("x/")[0] in mail.outbox[0].body
    event = reset_events().get()
    assert event.outcome == "ok" and event.object_id == personas.petugas.public_id
    assert "petugas@uji.example" not in str(event.details).lower()


@pytest.mark.parametrize(
    "case, reason",
    [
        ("unverified", "address_unverified"),
        ("typed_by_manager", "address_unverified"),
        ("not_primary", "address_not_primary"),
        ("other_unit", "unit_not_allowed"),
        ("disabled", "account_inactive"),
        ("admin", "admin_account"),
        ("no_password", "no_password"),
    ],
)
def test_no_mail_but_the_same_page(
    client, personas, unit_allows, django_capture_on_commit_callbacks, case, reason
):
    known = ask(client, "nobody@uji.example", django_capture_on_commit_callbacks)
    user = {"other_unit": personas.orang_luar, "admin": personas.admin}.get(case, personas.petugas)
    email = "orang@uji.example"
    if case == "unverified":
        verified(user, email, is_verified=False)
    elif case == "typed_by_manager":
        user.email = email
        user.save(update_fields=["email"])
    elif case == "not_primary":
        verified(user, "utama@uji.example")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=False)
    else:
        verified(user, email)
    if case == "disabled":
        user.is_active = False
        user.save(update_fields=["is_active"])
    if case == "no_password":
        user.set_unusable_password()
        user.save(update_fields=["password"])

    response = ask(client, email, django_capture_on_commit_callbacks)
    assert response.status_code == known.status_code == 200
    assert comparable(response) == comparable(known)
    assert mail.outbox == []
    first, second = reset_events()
    assert (first.outcome, first.details, first.object_id) == ("denied", {"reason": "unknown_address"}, "")
    assert (second.outcome, second.details["reason"], second.object_id) == ("denied", reason, user.public_id)


def test_a_partner_agency_follows_its_unit(client, personas, unit_allows, django_capture_on_commit_callbacks):
    verified(personas.mitra, "mitra@uji.example")  # Polres Uji works with the unit that allows it
    verified(personas.mitra_lain, "lain@uji.example")
    ask(client, "mitra@uji.example", django_capture_on_commit_callbacks)
    ask(client, "lain@uji.example", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["mitra@uji.example"]]
    assert [e.outcome for e in reset_events()] == ["ok", "denied"]


def test_only_a_service_unit_turns_it_on(personas):
    with pytest.raises(ValidationError) as refused:
        organisation_update(
            actor=personas.admin, organisation=personas.orgs.partner, email_password_reset=True
        )
    assert "email_password_reset" in refused.value.message_dict


def test_a_bad_address_gets_a_message_not_an_error(client, personas, unit_allows):
    response = client.post(RESET, {"email": "bukan alamat"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert reset_events().get().details == {"reason": "invalid_address"}


def test_requests_are_rate_limited(
    client, personas, unit_allows, settings, django_capture_on_commit_callbacks
):
    settings.SINERGI_PASSWORD_RESET_EMAIL_LIMITS = {"address": (2, 3600)}
    verified(personas.petugas, "petugas@uji.example")
    statuses = [
        ask(client, "petugas@uji.example", django_capture_on_commit_callbacks).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2
    assert reset_events().last().details == {"reason": "rate_limited"}


# --- the e-mailed link -----------------------------------------------------------------------


def _follow_link(client, message):
    response = client.get(link_in(message))
    assert response.status_code == 302  # the token moves into the session
    return response["Location"]


def test_the_link_sets_the_password_ends_sessions_and_is_audited(
    client, personas, unit_allows, django_capture_on_commit_callbacks
):
    user = personas.petugas
    verified(user, "petugas@uji.example")
    elsewhere = Client()
    elsewhere.force_login(user)
    assert SESSION_KEY in elsewhere.session

    ask(client, "petugas@uji.example", django_capture_on_commit_callbacks)
    page = _follow_link(client, mail.outbox[0])
    assert "tautan" in page and mail.outbox[0].body.split("/")[-2] not in page
    response = client.post(page, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="user.password_set", outcome="ok")
    assert event.object_id == user.public_id and event.details["via"] == "email_reset"
    assert event.details["sessions_ended"] >= 1
    assert SESSION_KEY not in elsewhere.session.load()
    # Used once: the same link is refused, audited.
    assert client.get(link_in(mail.outbox[0])).status_code == 404
    assert AuditEvent.objects.filter(action="user.password_set", outcome="denied").exists()


def test_the_links_do_not_open_each_others_pages(
    client, personas, unit_allows, django_capture_on_commit_callbacks
):
    verified(personas.petugas, "petugas@uji.example")
    ask(client, "petugas@uji.example", django_capture_on_commit_callbacks)
    token = link_in(mail.outbox[0]).rstrip("/").split("/")[-1]
    manager_path = password_link_path(personas.petugas)
    uidb64 = manager_path.rstrip("/").split("/")[-2]
    assert client.get(reverse("accounts:password_set", args=[uidb64, token])).status_code == 404
    manager_token = manager_path.rstrip("/").split("/")[-1]
    assert client.get(reverse("password_reset_email_set", args=[uidb64, manager_token])).status_code == 404


def test_the_link_stops_when_the_unit_turns_it_off(
    client, personas, unit_allows, django_capture_on_commit_callbacks
):
    verified(personas.petugas, "petugas@uji.example")
    ask(client, "petugas@uji.example", django_capture_on_commit_callbacks)
    Organisation.objects.filter(pk=unit_allows.pk).update(email_password_reset=False)
    assert client.get(link_in(mail.outbox[0])).status_code == 404


def test_the_link_expires(
    client, personas, unit_allows, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SINERGI_PASSWORD_RESET_EMAIL_MINUTES = 30
    verified(personas.petugas, "petugas@uji.example")
    ask(client, "petugas@uji.example", django_capture_on_commit_callbacks)
    later = token_generator._now() + dt.timedelta(minutes=29)
    monkeypatch.setattr(token_generator, "_now", lambda: later)
    assert client.get(link_in(mail.outbox[0])).status_code == 302
    later += dt.timedelta(minutes=2)
    assert client.get(link_in(mail.outbox[0])).status_code == 404


@pytest.mark.mfa
def test_two_step_verification_still_applies_after_the_reset(
    client, personas, unit_allows, django_capture_on_commit_callbacks
):
    user = personas.petugas
    verified(user, "petugas@uji.example")
    TOTP.activate(user, generate_totp_secret())
    ask(client, "petugas@uji.example", django_capture_on_commit_callbacks)
    page = _follow_link(client, mail.outbox[0])
    client.post(page, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    response = client.post("/akun/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session


def test_an_address_the_user_verified_on_their_account_page_gets_the_link(
    personas, login, unit_allows, django_capture_on_commit_callbacks
):
    own = login(personas.petugas)
    own.post(reverse("account_email"), {"action_add": "", "email": "sendiri@uji.example"})
    own.post(link_in(mail.outbox[0]).replace("http://testserver", ""))  # allauth's confirmation link
    assert EmailAddress.objects.get(user=personas.petugas).verified
    own.post(reverse("account_logout"))
    mail.outbox.clear()
    ask(Client(), "sendiri@uji.example", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["sendiri@uji.example"]]


def test_a_request_costs_the_same_few_queries_for_any_address(
    client, personas, unit_allows, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    verified(personas.petugas, "petugas@uji.example")
    client.get(RESET)
    for email in ("nobody@uji.example", "petugas@uji.example"):
        # The mail is built and sent by the task after the commit, outside the request.
        with django_assert_max_num_queries(14), django_capture_on_commit_callbacks(execute=False):
            assert client.post(RESET, {"email": email}).status_code == 200
