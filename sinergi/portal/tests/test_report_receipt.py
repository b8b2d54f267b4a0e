"""A stored report's receipt reaches the reporter: a resubmit of the same form shows the same code
and PIN, a failure after the commit still shows them, and an unreachable database gives a calm
503 with what she typed, never a 500."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sinergi.portal import throttle, views_public
from sinergi.portal.models import Report
from sinergi.portal.services import receipts

from .helpers import NARRATIVE, code_and_pin, report_data

pytestmark = pytest.mark.django_db

URL = reverse("portal:report")


@pytest.fixture
def unit(personas):
    return personas.orgs.unit


def _database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_resubmit_after_a_lost_answer_shows_the_same_receipt(client, unit):
    data = report_data()
    code, pin = code_and_pin(client.post(URL, data))
    # Her first answer never arrived (say the database restarted): she sends the same form again.
    again = Client().post(URL, data)
    assert again.status_code == 200 and code_and_pin(again) == (code, pin)
    assert Report.objects.count() == 1
    assert client.post(reverse("portal:track"), {"code": code, "pin": pin}).status_code == 302


def test_the_pin_is_random_and_the_form_key_is_not_kept_in_clear(client, unit):
    data = report_data()
    code, pin = code_and_pin(client.post(URL, data))
    stored = Report.objects.get()
    assert stored.idempotency_key != data["idempotency_key"]
    assert data["idempotency_key"] not in str(cache.get(receipts._cache_key(data["idempotency_key"])))
    assert pin not in str(cache.get(receipts._cache_key(data["idempotency_key"])))
    # The same form key with other words is a new report with its own, unrelated PIN.
    other = client.post(URL, {**data, "narrative": NARRATIVE + " Lagi."})
    assert Report.objects.count() == 1 and 'id="tracking-pin"' not in other.content.decode()


def test_the_form_key_alone_does_not_give_the_receipt(client, unit):
    data = report_data()
    client.post(URL, data)
    # Someone with the page as it was served (the key, not her words) resubmits it.
    html = Client().post(URL, {**data, "narrative": "apa saja"}).content.decode()
    assert 'id="tracking-pin"' not in html and 'id="tracking-code"' not in html
    assert Report.objects.count() == 1


def test_after_a_while_the_same_form_no_longer_shows_the_pin(client, unit):
    data = report_data()
    client.post(URL, data)
    cache.delete(receipts._cache_key(data["idempotency_key"]))  # RECEIPT_MINUTES have passed
    html = client.post(URL, data).content.decode()
    assert 'id="tracking-pin"' not in html and Report.objects.count() == 1


def test_a_failing_cache_still_shows_the_first_receipt(client, unit, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(receipts, "cache", SimpleNamespace(set=broken, get=broken))
    data = report_data()
    code, pin = code_and_pin(client.post(URL, data))
    assert Report.objects.get().display_code == code and len(pin) == 6
    assert 'id="tracking-pin"' not in client.post(URL, data).content.decode()


def test_nothing_of_the_limits_stands_between_the_commit_and_the_receipt(client, unit, monkeypatch):
    # The report's slots in the limits are taken before it is stored; after the commit no counter
    # is touched, so no counter failure can take her receipt away.
    def after_the_commit(*args, **kwargs):
        raise AssertionError("a rate counter was touched after the report was stored")

    real_submit = views_public.services.report_submit

    def submit_then_forbid_counters(**kwargs):
        stored = real_submit(**kwargs)
        for name in ("attempt", "refund"):
            monkeypatch.setattr(throttle, name, after_the_commit)
        return stored

    monkeypatch.setattr(views_public.services, "report_submit", submit_then_forbid_counters)
    response = client.post(URL, report_data())
    assert response.status_code == 200
    code, _pin = code_and_pin(response)
    assert Report.objects.get().display_code == code


def test_when_the_receipt_page_fails_the_plain_receipt_is_shown(client, unit, monkeypatch):
    real = views_public.render

    def render(request, template, *args, **kwargs):
        if template == "portal/receipt.html":
            raise OperationalError("the connection was lost after the commit")
        return real(request, template, *args, **kwargs)

    monkeypatch.setattr(views_public, "render", render)
    response = client.post(URL, report_data())
    assert response.status_code == 200
    code, pin = code_and_pin(response)
    assert Report.objects.get().display_code == code and len(pin) == 6


def test_an_unreachable_database_keeps_what_she_typed(unit):
    client = Client(raise_request_exception=False)
    client.get(URL)  # the form, while the database is up
    with connection.execute_wrapper(_database_down):
        response = client.post(URL, report_data())
    assert response.status_code == 503
    html = response.content.decode()
    with translation.override(settings.LANGUAGE_CODE):
        calm = str(views_public.DATABASE_DOWN_MESSAGE)
    assert NARRATIVE in html and calm in html and not Report.objects.exists()


@pytest.mark.parametrize("url", ["/", "/bantuan/", "/kasus/", "/healthz"])
def test_every_page_answers_503_while_the_database_is_unreachable(unit, personas, url):
    client = Client(raise_request_exception=False)
    client.force_login(personas.kepala)
    with connection.execute_wrapper(_database_down):
        response = client.get(url)
    assert response.status_code == 503, url
    assert b"Traceback" not in response.content
    if url != "/healthz":
        assert response["Retry-After"] and b"503" in response.content


def test_a_form_key_stored_in_clear_before_is_hashed_by_the_migration(unit):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sinergi.portal.migrations.0004_form_keys_kept_as_hashes")
    old, _pin = make_report_with_key(unit, "kunci-formulir-lama-0123456789ab")
    new = Report.objects.exclude(pk=old.pk).first()
    migration.hash_form_keys(apps, None)
    old.refresh_from_db()
    assert old.idempotency_key == receipts.form_key_digest("kunci-formulir-lama-0123456789ab")
    # A key already hashed stays as it is.
    assert Report.objects.get(pk=new.pk).idempotency_key == new.idempotency_key


def make_report_with_key(unit, raw_key):
    from .helpers import make_report

    report, pin = make_report(unit)
    Report.objects.filter(pk=report.pk).update(idempotency_key=raw_key)  # as stored before the hash
    Client().post(URL, report_data())  # and one stored the new way
    return report, pin
