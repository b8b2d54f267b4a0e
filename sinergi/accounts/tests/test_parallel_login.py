"""Parallel logins cannot check more passwords than the lockout allows (issue 15, item 3).

Twenty threads, each with its own client and database connection, send a wrong password for one
account at once; the password check is slowed so that every thread is inside it together. Before
the attempt was counted first and atomically, all twenty read "0 of 5" and ten or more passwords
were checked before the lock. The same for a username that does not exist: its counter is as
atomic, so the answers cannot tell the two apart. (All threads come from one address: the lock
per address, client_lock.py.)
"""

import threading
import time

import pytest
from django.test import Client

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.testing.parallel import all_at_once

THREADS = 20
LOCKED_CODE = "account_locked"


def run_parallel(username, monkeypatch):
    checks, lock = [], threading.Lock()
    real_check = User.check_password

    def slow_check(self, raw):
        with lock:
            checks.append(raw)
        time.sleep(0.2)
        return real_check(self, raw)

    monkeypatch.setattr(User, "check_password", slow_check)
    pages = []

    def attempt(n):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        response = client.post("/akun/login/", {"login": username, "password": f"salah-{n}"})
        with lock:
            pages.append(response.status_code)

    all_at_once(THREADS, attempt)
    return checks, pages


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_wrong_passwords_are_checked_at_most_the_threshold(personas, settings, monkeypatch):
    checks, pages = run_parallel("petugas", monkeypatch)
    assert pages == [200] * THREADS
    # Each attempt's password is checked by both backends (Django's and allauth's): count attempts.
    checked = len(set(checks))
    assert checked == settings.SINERGI_LOCKOUT_THRESHOLD, f"{checked} attempts had their password checked"
    # The lock is this address's: the account itself is not locked for its owner elsewhere.
    personas.petugas.refresh_from_db()
    assert personas.petugas.locked_until is None
    refused = AuditEvent.objects.filter(action="auth.login_locked", actor_username="petugas").count()
    assert refused == THREADS - settings.SINERGI_LOCKOUT_THRESHOLD


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unknown_username_is_refused_the_same_way(personas, settings, monkeypatch):
    run_parallel("tidak-ada-orangnya", monkeypatch)
    failed = AuditEvent.objects.filter(action="auth.login_failed", actor_username="tidak-ada-orangnya")
    refused = AuditEvent.objects.filter(action="auth.login_locked", actor_username="tidak-ada-orangnya")
    assert (failed.count(), refused.count()) == (
        settings.SINERGI_LOCKOUT_THRESHOLD,
        THREADS - settings.SINERGI_LOCKOUT_THRESHOLD,
    )
    assert AuditEvent.objects.filter(action="auth.lockout", actor_username="tidak-ada-orangnya").count() == 1
