"""The base UI: error pages, security headers, language, deny-by-default."""

import pytest
from django.urls import reverse


def test_anonymous_is_sent_to_login(client, db):
    # The root is the public front door (sinergi/workspace/tests/test_front_door.py); any staff page
    # still sends anonymous to the login.
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_works_for_a_logged_in_user(personas, login):
    response = login(personas.kepala).get("/")
    assert response.status_code == 200
    assert personas.orgs.unit.name in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_login_page_is_indonesian_by_default(client, db):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Masuk ke Sinergi" in html


def test_language_switch_to_english_and_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/akun/login/"})
    assert response.status_code == 302
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in to Sinergi" in html
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get(reverse("account_login")).content.decode()


def test_no_public_sign_up(client, db):
    response = client.get(reverse("account_signup"))
    # allauth shows a "sign-up closed" page instead of a form.
    assert b'name="password1"' not in response.content


def test_404_is_a_friendly_page_without_details(client, personas, login, settings):
    settings.DEBUG = False
    response = login(personas.kepala).get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_500_shows_no_stack_trace(client, db, settings):
    settings.DEBUG = False
    from sinergi.core.views import server_error

    response = server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in html and "Terjadi kesalahan" in html


@pytest.mark.parametrize("view", ["bad_request", "permission_denied"])
def test_4xx_pages_render(rf, db, view):
    from sinergi.core import views

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = getattr(views, view)(request, Exception())
    assert response.status_code in {400, 403}
    assert b"Traceback" not in response.content


def test_csrf_failure_has_a_clear_page(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "kepala", "password": "x" * 12})
    assert response.status_code == 403
    assert "Formulir ini sudah kedaluwarsa" in response.content.decode()


def test_security_headers(client, db):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Request-ID"]


def test_no_external_assets(client, personas, login):
    html = login(personas.kepala).get("/").content.decode()
    for marker in ("http://", "https://", "//cdn", "unpkg", "jsdelivr"):
        assert marker not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_login_with_a_huge_field_is_refused_cleanly(client, db):
    response = client.post(reverse("account_login"), {"login": "a" * 100_000, "password": "b" * 100_000})
    assert response.status_code in {200, 400}
