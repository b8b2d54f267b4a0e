"""The lock order of docs/development.md, checked on every transaction the tests run on PostgreSQL.

Every service transaction must take its row locks in one order: the decided object (rank 1), the
case (2), the unit's registration counter (3), the case's own rows (4), the audit chain head last
(5). This watches the SQL each transaction sends (an execute wrapper): a `SELECT ... FOR UPDATE`
or an `UPDATE` locks rows of its table; a table first locked at a lower rank than one the
transaction already holds is a lock taken out of order, which can deadlock against a transaction
that follows the order (two transactions waiting for each other in a circle).

The check works per table, not per row: rows of a table the transaction already locked, updated
or inserted count as held (new rows are locked by their own transaction). It runs on PostgreSQL
only: SQLite sends no `FOR UPDATE` (one writer at a time). A service transaction is the outermost
atomic block inside the test's own blocks (Django's TestCase marks those `_from_testcase`).
"""

import re
import traceback

from django.db import connection

#: Rank of the tables that are not case rows (everything else is rank 4).
RANKS = {
    # 1. The object the action decides.
    "referrals_referral": 1,
    "referrals_casetransfer": 1,
    "referrals_incomingreferral": 1,
    "cases_approvalrequest": 1,
    "cases_nottpksdecision": 1,
    "portal_report": 1,
    "portal_reportevidence": 1,  # the report's own files
    "coordination_actionitem": 1,
    # 2. The case.
    "cases_case": 2,
    # 3. The unit's registration counter.
    "cases_registrationcounter": 3,
    # 5. The audit chain head, always last.
    "audit_auditchainhead": 5,
}
CASE_ROWS = 4

_FOR_UPDATE = re.compile(
    r"\bFOR (?:NO KEY )?UPDATE\b(?: OF (?P<of>[^;]+?))?(?: NOWAIT| SKIP LOCKED)?\s*$", re.S
)
_FROM = re.compile(r'\bFROM "(\w+)"')
_UPDATE = re.compile(r'^\s*UPDATE "(\w+)"')
_INSERT = re.compile(r'^\s*INSERT INTO "(\w+)"')
_QUOTED = re.compile(r'"(\w+)"')


def rank(table, sql=""):
    """The table's rank; the clocks of one subject without a case (a report's, a referral's
    response clock) belong to the object the action decides."""
    if table == "deadlines_deadline" and '"subject_type" =' in sql and '"case_id" =' not in sql:
        return 1
    return RANKS.get(table, CASE_ROWS)


def locked_tables(sql):
    """("lock" | "insert", [tables]) for a statement that locks or creates rows, else None."""
    match = _FOR_UPDATE.search(sql)
    if match:
        if match.group("of"):
            return "lock", _QUOTED.findall(match.group("of"))
        first = _FROM.search(sql)
        return "lock", [first.group(1)] if first else []
    match = _UPDATE.match(sql)
    if match:
        return "lock", [match.group(1)]
    match = _INSERT.match(sql)
    if match:
        return "insert", [match.group(1)]
    return None


class LockOrderWatch:
    """An execute wrapper that records every lock taken out of order, per service transaction."""

    def __init__(self):
        self.violations = []
        self._key = None
        self._held = {}  # table -> rank, in the current service transaction
        self._top = (0, "")  # the highest rank held and its table

    def _transaction_key(self, conn):
        blocks = conn.atomic_blocks
        for index, block in enumerate(blocks):
            if not getattr(block, "_from_testcase", False):
                # The block's savepoint id is unique for each time the block was entered.
                if index == 0 or index - 1 >= len(conn.savepoint_ids):
                    return None
                return conn.savepoint_ids[index - 1]
        return None

    def __call__(self, execute, sql, params, many, context):
        key = self._transaction_key(context["connection"])
        if key is None:
            self._key = None
        else:
            if key != self._key:
                self._key, self._held, self._top = key, {}, (0, "")
            found = locked_tables(sql)
            if found:
                self._note(*found, sql)
        return execute(sql, params, many, context)

    def _note(self, kind, tables, sql):
        for table in tables:
            if table in self._held:
                continue
            table_rank = rank(table, sql)
            if kind == "lock" and table_rank < self._top[0]:
                self.violations.append(
                    f"{table} (rank {table_rank}) locked after {self._top[1]} (rank {self._top[0]}), in "
                    + " < ".join(_where())
                )
            self._held[table] = table_rank
            if kind == "lock" and table_rank > self._top[0]:
                self._top = (table_rank, table)


def watch():
    """A context manager that yields the watch while it is installed on the default connection."""
    watcher = LockOrderWatch()
    return connection.execute_wrapper(watcher), watcher


def _where():
    """The app's own frames (innermost first) that sent the statement."""
    frames = [
        f"{frame.filename.split('sinergi/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_stack()
        if "/sinergi/" in frame.filename
        and "/testing/" not in frame.filename
        and "/tests/" not in frame.filename
    ]
    return list(reversed(frames))[:6]
