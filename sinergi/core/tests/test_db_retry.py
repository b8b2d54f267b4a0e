"""A transaction aborted for a deadlock or a serialization conflict runs again, a bounded number
of times; any other database error is raised at once."""

import contextlib
from types import SimpleNamespace

import pytest
from django.db import OperationalError

from sinergi.core import db


class _Cause(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _conflict(sqlstate):
    exc = OperationalError(f"conflict {sqlstate}")
    exc.__cause__ = _Cause(sqlstate)
    return exc


def _failing(errors):
    calls = []

    @db.atomic_with_retry
    def work():
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "done"

    return work, calls


@pytest.fixture(autouse=True)
def outside_a_transaction(monkeypatch):
    """As a request runs, with no database: the retry is about the calls, not about SQL."""
    monkeypatch.setattr(db, "connections", {db.DEFAULT_DB_ALIAS: SimpleNamespace(in_atomic_block=False)})
    monkeypatch.setattr(db.transaction, "atomic", contextlib.nullcontext)


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_a_conflict_runs_the_transaction_again(sqlstate, caplog):
    work, calls = _failing([_conflict(sqlstate)])
    assert work() == "done" and len(calls) == 2
    assert sqlstate in caplog.text


def test_it_gives_up_after_the_bounded_attempts():
    work, calls = _failing([_conflict("40P01") for _ in range(db.CONFLICT_ATTEMPTS + 1)])
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == db.CONFLICT_ATTEMPTS


def test_other_database_errors_are_not_retried():
    work, calls = _failing([OperationalError("server closed the connection unexpectedly")])
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 1


def test_inside_an_outer_transaction_it_does_not_retry(monkeypatch):
    monkeypatch.setattr(db, "connections", {db.DEFAULT_DB_ALIAS: SimpleNamespace(in_atomic_block=True)})
    work, calls = _failing([_conflict("40001")])
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 1
