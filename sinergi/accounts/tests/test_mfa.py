"""Two-factor authentication: required of every account, set up through allauth, audited."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sinergi.accounts import security
from sinergi.audit.models import AuditEvent
from sinergi.testing.factories import UserFactory
from sinergi.testing.fixtures import PASSWORD, choose_english

pytestmark = pytest.mark.mfa

ACTIVATE = "/akun/2fa/totp/activate/"


def totp_code(secret, offset=0):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def give_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def assert_our_layout_without_inline_code(html):
    assert "/static/sinergi/sinergi.css" in html
    # The CSP forbids inline script and style: every <script> must load a file, no style attributes.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html and " style=" not in html


# --- the requirement -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["kepala", "pendamping", "admin", "auditor", "mitra", "pimpinan"])
def test_an_account_without_an_authenticator_is_sent_to_set_one_up(personas, login, persona):
    response = login(getattr(personas, persona)).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") == ACTIVATE


def test_every_page_redirects_not_only_home(personas, login):
    client = login(personas.kepala)
    assert client.get(reverse("usersessions_list"))["Location"] == ACTIVATE
    assert client.post("/", {})["Location"] == ACTIVATE


def test_htmx_requests_get_a_full_page_redirect(personas, login):
    response = login(personas.kepala).get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == ACTIVATE


def test_the_way_out_stays_open(personas, login):
    client = login(personas.kepala)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert SESSION_KEY not in client.session


def test_an_account_with_totp_goes_through(personas, login):
    give_totp(personas.kepala)
    assert login(personas.kepala).get("/").status_code == 200


def test_recovery_codes_alone_are_not_enough(personas, login):
    Authenticator.objects.create(
        user=personas.kepala, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x", "used_mask": 0}
    )
    assert login(personas.kepala).get("/").status_code == 302


def test_a_role_can_be_exempted(personas, login, settings):
    settings.SINERGI_MFA_EXEMPT_ROLES = ("pimpinan",)
    assert login(personas.pimpinan).get("/").status_code == 200
    assert login(personas.kepala).get("/").status_code == 302


def test_the_requirement_can_be_switched_off_outside_production(personas, login, settings):
    settings.SINERGI_MFA_REQUIRED = False
    assert login(personas.kepala).get("/").status_code == 200


def test_demo_accounts_are_exempt_in_demo_mode_only(db, login, settings):
    demo_user = UserFactory(username="demo_kepala", is_demo=True)
    real_user = UserFactory(username="kepala_nyata")
    settings.DEMO = True
    assert login(demo_user).get("/").status_code == 200
    assert login(real_user).get("/").status_code == 302
    settings.DEMO = False
    assert login(demo_user).get("/").status_code == 302


# --- setting it up ---------------------------------------------------------------------------


def test_setting_up_an_authenticator_app_end_to_end(personas, client, django_capture_on_commit_callbacks):
    user = personas.pendamping
    client.force_login(user)
    assert client.get("/")["Location"] == ACTIVATE

    # allauth asks for the password first: a stolen session cannot enrol its own phone.
    response = client.get(ACTIVATE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    reauth_page = choose_english(client).get(response["Location"])
    assert_our_layout_without_inline_code(reauth_page.content.decode())
    response = client.post(response["Location"], {"password": PASSWORD, "next": ACTIVATE})
    assert response["Location"] == ACTIVATE

    page = choose_english(client).get(ACTIVATE)
    assert page.status_code == 200
    html = page.content.decode()
    assert_our_layout_without_inline_code(html)
    assert 'src="data:image/svg+xml;base64,' in html
    secret = client.session["mfa.totp.secret"]
    assert secret in html

    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]

    # allauth sends its "added" signals once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")

    codes_page = choose_english(client).get(response["Location"])
    assert codes_page.status_code == 200
    codes_html = codes_page.content.decode()
    assert_our_layout_without_inline_code(codes_html)
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap()
    shown = recovery.get_unused_codes()
    assert len(shown) == 10 and all(code in codes_html for code in shown)

    assert client.get("/").status_code == 200
    activated = AuditEvent.objects.filter(action="mfa.activated", actor_username=user.username)
    assert {e.details["type"] for e in activated} == {"totp", "recovery_codes"}


def test_mfa_pages_render_in_our_layout(personas, login):
    give_totp(personas.kepala)
    client = login(personas.kepala)
    for name in ("mfa_index", "usersessions_list", "account_change_password", "mfa_generate_recovery_codes"):
        response = choose_english(client).get(reverse(name))
        assert response.status_code == 200, name
        assert_our_layout_without_inline_code(response.content.decode())


# --- logging in with it ----------------------------------------------------------------------


def test_login_asks_for_the_code_and_ends_on_home(client, personas):
    secret = give_totp(personas.kepala)
    response = client.post(reverse("account_login"), {"login": "kepala", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session

    page = choose_english(client).get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert_our_layout_without_inline_code(page.content.decode())

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get("/")
    assert home.status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor_username="kepala").count() == 1


def test_a_recovery_code_also_logs_in(client, personas):
    give_totp(personas.kepala)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(personas.kepala).get_unused_codes()[0]
    client.post(reverse("account_login"), {"login": "kepala", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_codes_are_audited_and_lock_the_account(client, personas):
    secret = give_totp(personas.kepala)
    client.post(reverse("account_login"), {"login": "kepala", "password": PASSWORD})
    bad = "000000" if totp_code(secret) != "000000" else "111111"
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": bad})
        assert response.status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_failed", actor_username="kepala").count() == 5
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=personas.kepala.public_id).exists()

    # Locked: even the right code is refused now.
    response = choose_english(client).post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert "temporarily locked" in response.content.decode()
    assert SESSION_KEY not in client.session


# --- deactivation and reset ------------------------------------------------------------------


def test_deactivating_is_audited_and_asks_for_a_new_one(personas, client):
    give_totp(personas.kepala)
    client.force_login(personas.kepala)
    # allauth asks for the password (or a code) before removing a factor.
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=personas.kepala, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(action="mfa.deactivated", actor_username="kepala").exists()
    assert client.get("/")["Location"] == ACTIVATE


def test_mfa_reset_by_a_manager(personas, login):
    give_totp(personas.pendamping)
    security.mfa_reset(actor=personas.kepala, user=personas.pendamping)
    assert not Authenticator.objects.filter(user=personas.pendamping).exists()
    event = AuditEvent.objects.get(action="mfa.reset")
    assert event.actor_username == "kepala" and event.object_id == personas.pendamping.public_id
    assert login(personas.pendamping).get("/")["Location"] == ACTIVATE


def test_mfa_reset_needs_the_right(personas):
    give_totp(personas.pendamping)
    with pytest.raises(PermissionDenied):
        security.mfa_reset(actor=personas.petugas, user=personas.pendamping)
    assert Authenticator.objects.filter(user=personas.pendamping).exists()
