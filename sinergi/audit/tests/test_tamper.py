"""Issue 15, item 5: a database intruder can neither rewrite nor cut nor wipe the trail unseen.

Each tampering kind of the finding, on SQLite and PostgreSQL alike (CI runs both): the wipe of the
whole trail and its head, the cut of the newest events with the head moved back, a rewritten event
re-chained without the key (and with it, against a checkpoint), a forged checkpoint line, and
TRUNCATE on PostgreSQL. Before the keyed chain and the checkpoints every one of these verified as
"intact" (the TRUNCATE test: was not refused).
"""

import json
import stat
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from sinergi.audit.chain import chain_key, event_hash, legacy_hash
from sinergi.audit.checkpoints import checkpoint_path, read_checkpoints
from sinergi.audit.models import AuditEvent
from sinergi.audit.services import audit_record
from sinergi.audit.verify import verify_chain

from .tampering import head, rechain, set_head, tamper, unkeyed


@pytest.fixture
def events(personas):
    for i in range(6):
        audit_record(actor=personas.kepala, action="test.event", details={"n": i})
    return list(AuditEvent.objects.order_by("id"))


def checkpoint():
    call_command("verify_audit", "--checkpoint", stdout=StringIO())
    return read_checkpoints().newest


def verify_fails(match):
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit", stdout=StringIO())


def test_events_are_keyed_with_a_key_outside_the_database(events):
    version, key = chain_key()
    event = events[-1]
    assert event.key_version == version
    assert len(key) == 32
    assert event.hash == event_hash(event, event.prev_hash, key)
    assert event.hash != legacy_hash(event, event.prev_hash)


def test_a_wiped_trail_is_detected_against_the_checkpoint(events):
    made = checkpoint()
    assert made.last_id == len(events) == made.count
    tamper(("DELETE FROM audit_auditevent", []), ("DELETE FROM audit_auditchainhead", []))
    result = verify_chain(checkpoints=read_checkpoints().valid)
    assert not result.ok and result.broken_event_id == 1
    assert f"events #1 to #{len(events)} were removed" in result.reason
    verify_fails("were removed")


def test_cut_newest_events_with_the_head_moved_back_are_detected(events):
    checkpoint()
    kept = events[3]
    tamper(("DELETE FROM audit_auditevent WHERE id > %s", [kept.id]), set_head(kept.id, kept.hash))
    assert verify_chain().ok  # the chain alone cannot tell: that is what the checkpoint is for
    result = verify_chain(checkpoints=read_checkpoints().valid)
    assert not result.ok and result.broken_event_id == kept.id + 1
    verify_fails(f"events #{kept.id + 1} to #{len(events)} were removed")


def test_a_cut_trail_written_on_is_a_rewrite_at_the_checkpoint(personas, events):
    checkpoint()
    kept = events[2]
    tamper(("DELETE FROM audit_auditevent WHERE id > %s", [kept.id]), set_head(kept.id, kept.hash))
    for _ in range(len(events)):
        audit_record(actor=personas.kepala, action="test.after")
    verify_fails(f"BROKEN at event #{len(events)}: it is not the event of the checkpoint")


def test_a_rewritten_event_rechained_without_the_key_is_detected(events):
    target = events[2]

    def rewrite(event, prev_hash):
        if event.id == target.id:
            event.action = "case.view"
        return unkeyed(event, prev_hash)

    rechain(target.id, rewrite)
    result = verify_chain()
    assert not result.ok and result.broken_event_id == target.id
    assert "unkeyed but follows keyed events" in result.reason
    verify_fails(f"#{target.id}")


def test_the_whole_trail_rechained_without_the_key_is_detected(events):
    rechain(1, unkeyed)
    result = verify_chain()
    assert not result.ok and "no event is keyed" in result.reason


def test_a_rechain_with_a_guessed_key_is_detected(events):
    target = events[1]

    def guessed(event, prev_hash):
        if event.id == target.id:
            event.action = "case.view"
        return event_hash(event, prev_hash, b"k" * 32)

    rechain(target.id, guessed)
    result = verify_chain()
    assert not result.ok and result.broken_event_id == target.id
    assert "content was changed" in result.reason


def test_a_rechain_with_the_key_itself_is_caught_by_the_checkpoint(events):
    """Someone who also stole the key ring re-chains validly; a checkpoint taken before does not fit."""
    checkpoint()
    target = events[1]

    def with_the_key(event, prev_hash):
        if event.id == target.id:
            event.action = "case.view"
        return event_hash(event, prev_hash)

    rechain(target.id, with_the_key)
    assert verify_chain().ok
    result = verify_chain(checkpoints=read_checkpoints().valid)
    assert not result.ok and result.broken_event_id == len(events)
    verify_fails("it is not the event of the checkpoint")


def test_a_forged_checkpoint_line_is_reported(events):
    made = checkpoint()
    forged = {**json.loads(made.line()), "last_id": 99, "count": 99}
    with checkpoint_path().open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
        handle.write("not a checkpoint at all\n")
    stored = read_checkpoints()
    assert stored.valid == [made]
    assert "line 2" in stored.problems[0] and "signature is wrong" in stored.problems[0]
    assert "line 3" in stored.problems[1]
    verify_fails("line 2 .* signature is wrong")


def test_postgres_refuses_truncate(events):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; a DELETE is caught by the chain and the checkpoints")
    for table in ("audit_auditevent", "audit_auditchainhead"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(f"TRUNCATE {table}")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditchainhead")
    assert AuditEvent.objects.count() == len(events) and head().last_event_id == len(events)


def test_the_checkpoint_command_prints_what_it_signs(events, caplog):
    out = StringIO()
    with caplog.at_level("INFO", logger="sinergi.audit.checkpoint"):
        call_command("verify_audit", "--checkpoint", stdout=out)
    printed = out.getvalue()
    newest = read_checkpoints().newest
    assert f"Checkpoint written: {newest.line()}" in printed
    assert newest.line() in caplog.text  # the log sink gets the same line
    assert stat.S_IMODE(checkpoint_path().stat().st_mode) == 0o600
    # The next run holds the trail against it.
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert f"matches the newest of 1 signed checkpoints: {newest.describe()}" in out.getvalue()


def test_a_checkpoint_copied_from_the_log_sink_is_read(events, tmp_path):
    made = checkpoint()
    copy = tmp_path / "from-syslog.txt"
    copy.write_text(
        f"Dec  4 20:00:01 host sinergi[812]: INFO sinergi.audit.checkpoint audit checkpoint {made.line()}\n"
    )
    tamper(("DELETE FROM audit_auditevent", []), ("DELETE FROM audit_auditchainhead", []))
    with pytest.raises(CommandError, match="were removed"):
        call_command("verify_audit", "--checkpoint-file", str(copy), stdout=StringIO())


def test_an_event_under_a_key_the_ring_lacks_is_named(events):
    target = events[-1]
    tamper(("UPDATE audit_auditevent SET key_version = 9 WHERE id = %s", [target.id]))
    result = verify_chain()
    assert not result.ok and result.broken_event_id == target.id and "key version 9" in result.reason
