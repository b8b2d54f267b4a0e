"""Accepting a transfer into a unit while the unit registers a case: the two take their locks in
the one order (docs/development.md), so neither waits for the other in a circle.

Real parallel transactions need PostgreSQL; SQLite lets one writer at a time, so there is no
row-lock order to get wrong there.
"""

import threading
import time

import pytest
from django.db import connection, connections

from sinergi.cases.models import Case
from sinergi.cases.record import registration
from sinergi.referrals import transfers
from sinergi.testing.cases import register_case

from .conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASON = "Korban dan pelaku tinggal di dua kota berbeda; kasus lintas kabupaten/kota."


def _somebody_waits_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _in_thread(target, errors, results):
    def run():
        try:
            results.append(target())
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_transfer_accept_and_registration_in_the_same_unit_do_not_deadlock(personas, monkeypatch, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writing transaction at a time")
    world = build_world(personas)
    transfer = transfers.transfer_request(
        actor=personas.kepala, case=world.case, to_unit=personas.orgs.province, reason=REASON
    )
    holding, release = threading.Event(), threading.Event()
    real_next = registration.registration_number_next

    def next_and_hold(unit, year):
        # The registration holds the receiving unit's counter until the transfer waits for it.
        number = real_next(unit, year)
        holding.set()
        release.wait(30)
        return number

    monkeypatch.setattr(registration, "registration_number_next", next_and_hold)
    errors, results = [], []
    registering = _in_thread(lambda: register_case(personas.kepala_provinsi), errors, results)
    accepting = _in_thread(
        lambda: transfers.transfer_accept(actor=personas.kepala_provinsi, transfer=transfer), errors, results
    )
    registering.start()
    assert holding.wait(30), errors
    accepting.start()
    for _ in range(600):  # until the transfer is blocked behind the registration's lock
        if _somebody_waits_for_a_lock() or not accepting.is_alive():
            break
        time.sleep(0.05)
    release.set()
    registering.join(60)
    accepting.join(60)
    assert not errors, errors
    assert "transaction conflict" not in caplog.text  # no deadlock was needed to get through
    moved = Case.objects.get(pk=world.case.pk)
    registered = Case.objects.exclude(pk=world.case.pk).get()
    assert moved.unit_id == registered.unit_id == personas.orgs.province.pk
    assert {moved.registration_number[-4:], registered.registration_number[-4:]} == {"0001", "0002"}
