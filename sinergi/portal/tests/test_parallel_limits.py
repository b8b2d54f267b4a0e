"""Parallel requests cannot check more PINs than the limit allows (issue 15, item 3).

Twenty threads, each with its own database connection, try a wrong PIN for one tracking code at
the same moment; the PIN check is slowed so that every thread is inside it together. Before the
counters were atomic and taken first, all twenty read "0 of 5" and all twenty PINs were checked.
"""

import threading
import time
from types import SimpleNamespace

import pytest

from sinergi.portal import services
from sinergi.portal.services import public
from sinergi.testing.parallel import all_at_once

from .helpers import make_report

THREADS = 20
LIMIT = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_wrong_pins_are_checked_at_most_the_limit(personas, settings, monkeypatch):
    settings.SINERGI_PORTAL_LIMITS = {"track_code": (LIMIT, 3600), "track_ip": (1000, 900)}
    report, _pin = make_report(personas.orgs.unit)
    checks, lock = [], threading.Lock()
    real_check = public.check_password

    def slow_check(raw, encoded):
        with lock:
            checks.append(raw)
        time.sleep(0.2)  # every thread is past the limit's test before any has counted
        return real_check(raw, encoded)

    monkeypatch.setattr(public, "check_password", slow_check)
    outcomes = []

    def guess(n):
        try:
            services.report_lookup(code=report.display_code, pin=f"{n:06d}", ip=f"10.9.0.{n}")
        except services.TrackRefused as refused:
            with lock:
                outcomes.append(refused.reason)

    all_at_once(THREADS, guess)
    assert len(outcomes) == THREADS
    assert len(checks) == LIMIT, f"{len(checks)} PINs checked for one code, limit {LIMIT}"
    assert sorted(outcomes) == sorted(["wrong"] * LIMIT + ["locked_code"] * (THREADS - LIMIT))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_reports_from_one_address_pass_at_most_the_limit(personas, settings, monkeypatch):
    from django.test import Client
    from django.urls import reverse

    from sinergi.portal import views_public

    from .helpers import report_data

    settings.SINERGI_PORTAL_LIMITS = {"report_ip": (LIMIT, 3600), "report_global": (1000, 3600)}
    entered, lock = [], threading.Lock()

    def slow_submit(**kwargs):
        with lock:
            entered.append(kwargs["idempotency_key"])
        time.sleep(0.3)  # every request is in flight together
        # "Stored" (without touching the database): each keeps its slots, so however late a
        # thread arrives, no more than the limit can ever get here.
        return SimpleNamespace(display_code="ABC-DEF-GHJ", danger_now=False), "123456", True

    monkeypatch.setattr(views_public.services, "report_submit", slow_submit)
    statuses = []

    def send(n):
        response = Client().post(reverse("portal:report"), report_data(), REMOTE_ADDR="10.8.0.1")
        with lock:
            statuses.append(response.status_code)

    all_at_once(THREADS, send)
    assert len(statuses) == THREADS
    assert len(entered) == LIMIT, f"{len(entered)} reports went on to be stored, limit {LIMIT}"
    assert statuses.count(429) == THREADS - LIMIT
