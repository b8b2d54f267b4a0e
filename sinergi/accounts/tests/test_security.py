"""Login lockout, re-authentication, and refusals that must be clear, audited and never a 500."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from sinergi.accounts import security
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.testing.fixtures import PASSWORD, choose_english

LOGIN = "/akun/login/"
LOCKED_TEXT = "This account is temporarily locked"


def _export_view(request):
    return HttpResponse("exported")


export_view = security.reauth_required(_export_view)


def _invalid_form_view(request):
    return HttpResponse("please correct the form", status=400)


def _bad_request_view(request):
    raise BadRequest("malformed")


# A URLconf for these tests: the project's URLs plus a guarded view and two kinds of 400.
urlpatterns = [
    path("uji/ekspor/", export_view, name="test_export"),
    path("uji/formulir/", _invalid_form_view),
    path("uji/rusak/", _bad_request_view),
    path("", include("sinergi.urls")),
]


def post_login(client, username, password, **extra):
    return choose_english(client).post(LOGIN, {"login": username, "password": password}, **extra)


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def fail(client, username, times):
    for _ in range(times):
        response = post_login(client, username, "salah-kata-sandi-sekali")
        assert response.status_code == 200


# --- lockout ---------------------------------------------------------------------------------


def test_wrong_password_gives_a_message_and_is_audited(client, personas):
    response = post_login(client, "petugas", "salah-kata-sandi-sekali")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert events("auth.login_failed", actor_username="petugas").count() == 1
    personas.petugas.refresh_from_db()
    assert personas.petugas.failed_login_count == 1


def test_five_failures_lock_the_account_for_that_address_only(client, personas, settings):
    fail(client, "petugas", 4)
    assert not events("auth.lockout").exists()
    fail(client, "petugas", 1)
    assert LOCKED_TEXT in post_login(client, "petugas", PASSWORD).content.decode()
    lockout = events("auth.lockout").get()
    assert lockout.details["scope"] == "address" and lockout.actor_username == "petugas"
    # Nobody can lock a person out from elsewhere: the owner, from her own address, logs in.
    personas.petugas.refresh_from_db()
    assert personas.petugas.locked_until is None
    assert post_login(client, "petugas", PASSWORD, REMOTE_ADDR="10.7.0.2").status_code == 302


def test_failures_from_many_addresses_lock_the_account_for_everyone(client, personas, settings):
    settings.SINERGI_LOCKOUT_GLOBAL_THRESHOLD = 12
    for n in range(3):
        for _ in range(4):
            post_login(client, "petugas", "salah-kata-sandi-sekali", REMOTE_ADDR=f"10.7.1.{n}")
    personas.petugas.refresh_from_db()
    assert personas.petugas.locked_until is not None
    remaining = personas.petugas.locked_until - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=settings.SINERGI_LOCKOUT_MINUTES)
    lockout = events("auth.lockout").get()
    assert lockout.outcome == "denied" and lockout.object_id == personas.petugas.public_id
    assert post_login(client, "petugas", PASSWORD, REMOTE_ADDR="10.7.2.1").status_code == 200


def test_the_right_password_is_refused_while_locked(client, personas, settings):
    settings.SINERGI_LOCKOUT_GLOBAL_THRESHOLD = 5  # the account lock and the address lock at once
    fail(client, "petugas", 5)
    response = post_login(client, "petugas", PASSWORD)
    assert response.status_code == 200
    assert LOCKED_TEXT in response.content.decode()
    assert SESSION_KEY not in client.session
    attempt = events("auth.login_locked").get()
    assert attempt.outcome == "denied" and attempt.object_id == personas.petugas.public_id
    # The refused attempt is not one more failure and does not restart the lock.
    personas.petugas.refresh_from_db()
    assert personas.petugas.failed_login_count == 0


def test_the_lock_ends_by_itself(client, personas, settings):
    settings.SINERGI_LOCKOUT_GLOBAL_THRESHOLD = 5
    fail(client, "petugas", 5)
    User.objects.filter(pk=personas.petugas.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = post_login(client, "petugas", PASSWORD, REMOTE_ADDR="10.7.3.1")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_lock_ends_with_time(client, personas, settings):
    import time_machine

    fail(client, "petugas", 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.SINERGI_LOCKOUT_MINUTES, seconds=5)):
        assert post_login(client, "petugas", PASSWORD).status_code == 302


def test_an_administrator_unlocks(client, personas, settings):
    settings.SINERGI_LOCKOUT_GLOBAL_THRESHOLD = 5
    fail(client, "petugas", 5)
    assert [u.username for u in security.locked_users()] == ["petugas"]
    security.user_unlock(actor=personas.admin, user=personas.petugas)
    assert list(security.locked_users()) == []
    unlock = events("user.unlock").get()
    assert unlock.actor_username == "admin" and unlock.object_id == personas.petugas.public_id
    assert unlock.details == {"was_locked": True}
    # Effective at once: allauth's own per-account throttle does not keep the door shut.
    response = post_login(client, "petugas", PASSWORD)
    assert response.status_code == 302


def test_unlock_needs_the_right_to_manage_the_user(personas):
    personas.petugas.locked_until = timezone.now() + timedelta(minutes=10)
    personas.petugas.save()
    with pytest.raises(PermissionDenied):
        security.user_unlock(actor=personas.pendamping, user=personas.petugas)
    with pytest.raises(PermissionDenied):
        security.user_unlock(actor=personas.kepala_luar, user=personas.petugas)
    assert events("user.unlock", outcome="denied").count() == 2
    personas.petugas.refresh_from_db()
    assert security.is_locked(personas.petugas)
    security.user_unlock(actor=personas.kepala, user=personas.petugas)
    personas.petugas.refresh_from_db()
    assert not security.is_locked(personas.petugas)


def test_success_resets_the_count(client, personas):
    fail(client, "petugas", 3)
    assert post_login(client, "petugas", PASSWORD).status_code == 302
    personas.petugas.refresh_from_db()
    assert personas.petugas.failed_login_count == 0
    client.post(reverse("account_logout"))
    # Four more failures do not lock: the count started again.
    fail(client, "petugas", 4)
    personas.petugas.refresh_from_db()
    assert personas.petugas.locked_until is None


def test_unknown_usernames_behave_like_real_ones(client, personas):
    fail(client, "tidak-ada-orangnya", 5)
    unknown = post_login(client, "tidak-ada-orangnya", PASSWORD).content.decode()
    fail(client, "petugas", 5)
    known = post_login(client, "petugas", PASSWORD).content.decode()
    assert LOCKED_TEXT in unknown and LOCKED_TEXT in known
    assert events("auth.lockout", actor_username="tidak-ada-orangnya").exists()


def test_locked_users_are_scoped_to_the_manager(personas):
    soon = timezone.now() + timedelta(minutes=10)
    User.objects.filter(pk__in=[personas.petugas.pk, personas.orang_luar.pk]).update(locked_until=soon)
    User.objects.filter(pk=personas.psikolog.pk).update(locked_until=timezone.now() - timedelta(minutes=1))
    assert {u.username for u in security.locked_users()} == {"petugas", "orang_luar"}
    assert {u.username for u in security.locked_users(personas.admin)} == {"petugas", "orang_luar"}
    assert {u.username for u in security.locked_users(personas.kepala)} == {"petugas"}
    assert list(security.locked_users(personas.pendamping)) == []


def test_failed_reauthentication_counts_too(personas, client):
    client.force_login(personas.petugas)
    for _ in range(5):
        client.post(reverse("account_reauthenticate"), {"password": "salah-kata-sandi-sekali"})
    personas.petugas.refresh_from_db()
    assert security.is_locked(personas.petugas)


# --- re-authentication -----------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_reauth_required_asks_for_the_password(personas, client):
    client.force_login(personas.datin)  # a login alone is not a re-authentication
    response = client.get("/uji/ekspor/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reauthenticate") + "?next=%2Fuji%2Fekspor%2F"

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "sinergi/sinergi.css" in html and 'name="password"' in html

    confirmed = client.post(response["Location"], {"password": PASSWORD, "next": "/uji/ekspor/"})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/uji/ekspor/"
    assert client.get("/uji/ekspor/").content == b"exported"


@pytest.mark.urls(__name__)
def test_reauth_lasts_five_minutes(personas, client, settings):
    import time_machine

    assert settings.ACCOUNT_REAUTHENTICATION_TIMEOUT == 300
    client.force_login(personas.datin)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert client.get("/uji/ekspor/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert client.get("/uji/ekspor/").status_code == 302


@pytest.mark.urls(__name__)
def test_reauth_wrong_password_is_refused(personas, client):
    client.force_login(personas.datin)
    response = client.post(
        reverse("account_reauthenticate"), {"password": "bukan-ini", "next": "/uji/ekspor/"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert client.get("/uji/ekspor/").status_code == 302


@pytest.mark.urls(__name__)
def test_reauth_required_sends_anonymous_users_to_login(client, db):
    response = client.get("/uji/ekspor/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.urls(__name__)
def test_reauth_for_htmx_is_a_full_page_redirect(personas, client):
    client.force_login(personas.datin)
    response = client.get("/uji/ekspor/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("account_reauthenticate"))


def test_reauth_required_keeps_view_markers():
    from sinergi.accounts.guards import require_permission

    view = require_permission("export.pseudonymous")(security.reauth_required(_export_view))
    assert view.sinergi_permission == "export.pseudonymous"
    assert security.reauth_required()(_export_view).sinergi_reauth_required is True


# --- refusals that must not be a 500 --------------------------------------------------------


def test_a_10_mb_login_field_is_a_400_and_audited(client, db):
    response = post_login(client, "x" * (10 * 1024 * 1024), "salah-kata-sandi-sekali")
    assert response.status_code == 400
    assert b"Traceback" not in response.content
    assert events("request.rejected").get().details["status"] == 400


@pytest.mark.urls(__name__)
def test_only_refused_requests_are_audited_not_invalid_forms(personas, login, settings):
    settings.DEBUG = False
    client = login(personas.datin)
    assert client.get("/uji/formulir/").status_code == 400
    assert not events("request.rejected").exists()
    response = client.get("/uji/rusak/")
    assert response.status_code == 400 and b"Traceback" not in response.content
    rejected = events("request.rejected").get()
    assert rejected.actor_username == "datin" and rejected.details["path"] == "/uji/rusak/"


def test_a_long_login_field_below_the_upload_limit_is_a_form_error(client, db):
    response = post_login(client, "x" * (512 * 1024), "salah-kata-sandi-sekali")
    assert response.status_code == 200
    assert response.context["form"].errors["login"]


def test_a_tampered_csrf_token_is_a_403_and_audited(db):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    response = client.post(LOGIN, {"login": "petugas", "password": PASSWORD, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert b"Traceback" not in response.content
    assert events("request.csrf_failed", outcome="denied").count() == 1


# --- configuration checks --------------------------------------------------------------------


def test_mfa_off_in_production_is_a_deploy_error(settings):
    settings.PRODUCTION, settings.SINERGI_MFA_REQUIRED = True, False
    assert [e.id for e in security.check_mfa_required_in_production()] == ["accounts.E001"]
    settings.SINERGI_MFA_REQUIRED = True
    assert security.check_mfa_required_in_production() == []
    settings.PRODUCTION, settings.SINERGI_MFA_REQUIRED = False, False
    assert security.check_mfa_required_in_production() == []


def test_unknown_exempt_roles_are_an_error(settings):
    settings.SINERGI_MFA_EXEMPT_ROLES = ("pimpinan",)
    assert security.check_security_settings() == []
    settings.SINERGI_MFA_EXEMPT_ROLES = ("pimpinan", "bos")
    assert [e.id for e in security.check_security_settings()] == ["accounts.E002"]
    settings.SINERGI_MFA_EXEMPT_ROLES = ()
    settings.SINERGI_LOCKOUT_THRESHOLD = 0
    assert [e.id for e in security.check_security_settings()] == ["accounts.E003"]


def test_check_deploy_refuses_production_without_mfa():
    from sinergi.core.crypto import generate_key_ring_json

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SINERGI_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        SINERGI_ENV="production",
        SINERGI_SECRET_KEY="k" * 30 + "-" + "q" * 30,
        SINERGI_ALLOWED_HOSTS="sinergi.example.go.id",
        SINERGI_DATA_KEYS=generate_key_ring_json(),
        SINERGI_MFA_REQUIRED="0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_email_password_reset_is_not_offered(client, personas):
    from django.urls import reverse

    from sinergi.audit.models import AuditEvent

    for url in (
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        "/akun/password/reset/key/1-bukan-kunci/",
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("account_reset_password"), {"email": personas.petugas.email or "x@example.org"}
    )
    assert response.status_code == 404
    tries = AuditEvent.objects.filter(action="auth.password_reset_email", outcome="denied")
    assert tries.count() == 4 and {e.details["reason"] for e in tries} == {"not_offered"}
