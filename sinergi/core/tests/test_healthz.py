from unittest import mock

from django.db import OperationalError


def test_it_works_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_it_reports_an_unreachable_database(client, db):
    with mock.patch(
        "sinergi.core.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    # The reason is given without leaking the server's error text.
    assert b"refused" not in response.content


def test_it_refuses_other_methods(client, db):
    assert client.post("/healthz").status_code == 405


def test_head_is_allowed_for_load_balancers(client, db):
    assert client.head("/healthz").status_code == 200


def test_it_reports_an_unreachable_cache_as_degraded(client, db):
    with mock.patch("sinergi.core.views.cache.get", side_effect=ConnectionError("refused")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}
