"""Sinergi's own error pages in every mode: with DEBUG on (the demo) no technical page shows the
routes, a traceback or a setting, unless a developer sets SINERGI_TECHNICAL_ERRORS."""

import logging

import pytest
from django.test import Client

TECHNICAL_MARKS = ("URLconf", "Traceback", "urlpatterns", "DEBUG = True", "public_id&gt;", "sinergi.urls")


def assert_own_page(response, status, text):
    html = response.content.decode()
    assert response.status_code == status
    assert text in html
    for mark in TECHNICAL_MARKS:
        assert mark not in html, mark


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.SINERGI_TECHNICAL_ERRORS = False
    return settings


def test_a_wrong_url_with_debug_on_is_the_own_404(client, db, debug_on):
    response = client.get("/tidak-ada/sama-sekali/")
    assert_own_page(response, 404, "Halaman tidak ditemukan")
    # The page passed through the other middleware: headers as on every page.
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"


def test_an_anonymous_404_carries_the_quick_exit(client, db, debug_on):
    html = client.get("/tidak-ada/").content.decode()
    assert "data-quick-exit" in html and 'href="/keluar/"' in html


def test_a_staff_404_is_in_the_staff_layout(personas, login, debug_on):
    response = login(personas.kepala).get("/tidak-ada/")
    assert_own_page(response, 404, "Halaman tidak ditemukan")
    assert "data-quick-exit" not in response.content.decode()


def test_a_404_raised_by_a_view_with_debug_on(personas, login, debug_on):
    response = login(personas.kepala).get("/kasus/bukan-kasus-siapa-pun/")
    assert_own_page(response, 404, "Halaman tidak ditemukan")


def test_a_missing_slash_is_still_redirected(client, db, debug_on):
    response = client.get("/lapor")
    assert response.status_code == 301 and response["Location"] == "/lapor/"


@pytest.mark.urls("sinergi.core.tests.urls_failing")
def test_an_uncaught_error_with_debug_on_is_the_own_500(db, debug_on, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/uji/rusak/")
    assert_own_page(response, 500, "Terjadi kesalahan")
    assert "boom" not in response.content.decode()
    assert "data-quick-exit" in response.content.decode()
    # Still logged for the operator, with the traceback.
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.urls("sinergi.core.tests.urls_failing")
def test_a_suspicious_request_with_debug_on_is_the_own_400(client, db, debug_on):
    response = client.get("/uji/curiga/")
    assert_own_page(response, 400, "tidak dapat dipahami")
    assert "tampered" not in response.content.decode()


def test_a_csrf_failure_with_debug_on_is_the_own_page(db, debug_on):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/lapor/", {"narrative": "x"})
    assert_own_page(response, 403, "Formulir ini sudah kedaluwarsa")
    assert "data-quick-exit" in response.content.decode()


def test_a_developer_may_ask_for_the_technical_pages(client, db, settings):
    settings.DEBUG = True
    settings.SINERGI_TECHNICAL_ERRORS = True
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_with_debug_off_the_handlers_answer(client, db, settings):
    settings.DEBUG = False
    assert_own_page(client.get("/tidak-ada/"), 404, "Halaman tidak ditemukan")
