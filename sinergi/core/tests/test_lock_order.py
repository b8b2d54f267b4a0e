"""The lock-order check (sinergi.testing.lockorder) that watches every test's transactions on
PostgreSQL: it must see a lock taken out of order, and let the documented order pass."""

from types import SimpleNamespace

from sinergi.testing.lockorder import LockOrderWatch, locked_tables

CASE_LOCK = 'SELECT "cases_case"."id" FROM "cases_case" WHERE "cases_case"."id" = %s FOR UPDATE'
HEAD_LOCK = 'SELECT "audit_auditchainhead"."id" FROM "audit_auditchainhead" LIMIT 1 FOR UPDATE'
CLOCK_LOCK = 'SELECT "deadlines_deadline"."id" FROM "deadlines_deadline" WHERE "deadlines_deadline"."case_id" = %s FOR UPDATE'
REFERRAL_LOCK = (
    'SELECT "referrals_referral"."id" FROM "referrals_referral" INNER JOIN "cases_case" ON (1=1) '
    'WHERE "referrals_referral"."id" = %s FOR UPDATE OF "referrals_referral"'
)
AUDIT_INSERT = 'INSERT INTO "audit_auditevent" ("seq") VALUES (%s) RETURNING "audit_auditevent"."id"'


def _connection(savepoint):
    testcase = SimpleNamespace(_from_testcase=True)
    service = SimpleNamespace(_from_testcase=False)
    return SimpleNamespace(atomic_blocks=[testcase, service], savepoint_ids=[savepoint])


def _run(watch, statements, savepoint="s1_x1"):
    context = {"connection": _connection(savepoint)}
    for sql in statements:
        watch(lambda *args: None, sql, None, False, context)


def test_statements_that_lock_are_recognised():
    assert locked_tables(CASE_LOCK) == ("lock", ["cases_case"])
    assert locked_tables(REFERRAL_LOCK) == ("lock", ["referrals_referral"])  # OF: not the joined case
    assert locked_tables('UPDATE "cases_case" SET "risk" = %s WHERE "id" = %s') == ("lock", ["cases_case"])
    assert locked_tables(AUDIT_INSERT) == ("insert", ["audit_auditevent"])
    assert locked_tables('SELECT "cases_case"."id" FROM "cases_case"') is None


def test_the_documented_order_passes():
    watch = LockOrderWatch()
    _run(
        watch,
        [REFERRAL_LOCK, CASE_LOCK, CLOCK_LOCK, HEAD_LOCK, AUDIT_INSERT, 'UPDATE "deadlines_deadline" SET x'],
    )
    assert watch.violations == []


def test_a_clock_locked_after_the_audit_head_is_caught():
    watch = LockOrderWatch()
    _run(watch, [CASE_LOCK, HEAD_LOCK, AUDIT_INSERT, CLOCK_LOCK])
    assert len(watch.violations) == 1
    assert watch.violations[0].startswith(
        "deadlines_deadline (rank 4) locked after audit_auditchainhead (rank 5)"
    )


def test_the_case_locked_after_a_case_row_is_caught():
    watch = LockOrderWatch()
    _run(watch, [CLOCK_LOCK, CASE_LOCK])
    assert [v.split(",")[0] for v in watch.violations] == [
        "cases_case (rank 2) locked after deadlines_deadline (rank 4)"
    ]


def test_each_transaction_is_judged_on_its_own():
    watch = LockOrderWatch()
    _run(watch, [CASE_LOCK, HEAD_LOCK], savepoint="s1_x1")
    _run(watch, [REFERRAL_LOCK, CASE_LOCK], savepoint="s1_x2")  # a new service transaction
    assert watch.violations == []
