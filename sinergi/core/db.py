"""Transactions that the database may abort under load: run them again, a bounded number of times.

PostgreSQL aborts one of two transactions that wait on each other (deadlock, SQLSTATE 40P01) or
that cannot both commit under their isolation level (serialization failure, 40001). Both are
safe to run again from the start: nothing of the aborted attempt was kept. The lock order in
docs/development.md keeps deadlocks from happening at all; this is the net under it.
"""

import functools
import logging

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

logger = logging.getLogger("sinergi.db")

#: Attempts in all: a conflict that survives three fresh starts is not a passing one.
CONFLICT_ATTEMPTS = 3
_CONFLICT_SQLSTATES = {"40001", "40P01"}


def conflict_code(exc):
    """The SQLSTATE (or "locked" for SQLite's busy database) when `exc` is a conflict worth a
    fresh attempt, else None."""
    if not isinstance(exc, OperationalError):
        return None
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate in _CONFLICT_SQLSTATES:
        return sqlstate
    if "database is locked" in str(exc):
        return "locked"
    return None


def atomic_with_retry(func):
    """`@transaction.atomic`, run again from the start when the database aborts the transaction
    for a deadlock or a serialization conflict (at most CONFLICT_ATTEMPTS attempts in all).

    Called inside an outer transaction it cannot start again (the outer one is aborted too), so
    there it is a plain `transaction.atomic` and the outermost caller decides.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            with transaction.atomic():
                return func(*args, **kwargs)
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as exc:
                code = conflict_code(exc)
                if code is None or attempt == CONFLICT_ATTEMPTS:
                    raise
                logger.warning(
                    "transaction conflict %s in %s (attempt %d): running it again",
                    code,
                    func.__qualname__,
                    attempt,
                )
        raise AssertionError("unreachable")

    return wrapper
