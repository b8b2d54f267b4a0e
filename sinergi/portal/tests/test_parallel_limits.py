"""Parallel requests cannot check more PINs than the limit allows (issue 15, item 3).

Twenty threads, each with its own database connection, try a wrong PIN for one tracking code at
the same moment; the PIN check is slowed so that every thread is inside it together. Before the
counters were atomic and taken first, all twenty read "0 of 5" and all twenty PINs were checked.
"""

import threading
import time

import pytest
from django.db import connection

from sinergi.portal import services
from sinergi.portal.services import public

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
    start = threading.Barrier(THREADS)
    outcomes = []

    def guess(n):
        try:
            start.wait()
            services.report_lookup(code=report.display_code, pin=f"{n:06d}", ip=f"10.9.0.{n}")
        except services.TrackRefused as refused:
            with lock:
                outcomes.append(refused.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == THREADS
    assert len(checks) == LIMIT, f"{len(checks)} PINs checked for one code, limit {LIMIT}"
    assert sorted(outcomes) == sorted(["wrong"] * LIMIT + ["locked_code"] * (THREADS - LIMIT))
