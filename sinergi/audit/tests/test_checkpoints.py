"""The periodic checkpoint, the upgrade of an unkeyed trail, and what keying costs a write."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sinergi.audit.chain import GENESIS, legacy_hash
from sinergi.audit.checkpoints import read_checkpoints
from sinergi.audit.models import AuditChainHead, AuditEvent
from sinergi.audit.services import audit_record
from sinergi.audit.tasks import write_audit_checkpoint
from sinergi.audit.verify import verify_chain

from .tampering import rechain, tamper

key_the_chain = importlib.import_module("sinergi.audit.migrations.0005_key_the_chain").key_the_chain


def _write(personas, n, action="test.event"):
    for i in range(n):
        audit_record(actor=personas.kepala, action=action, details={"n": i})


def test_the_periodic_task_checkpoints_only_a_moved_head(personas):
    _write(personas, 3)
    first = write_audit_checkpoint.enqueue().return_value
    assert first == {"ok": True, "written": True, "last_id": 3}
    assert write_audit_checkpoint.enqueue().return_value == {"ok": True, "written": False, "last_id": 3}
    _write(personas, 2)
    assert write_audit_checkpoint.enqueue().return_value == {"ok": True, "written": True, "last_id": 5}
    assert [c.last_id for c in read_checkpoints().valid] == [3, 5]


def test_the_periodic_task_walks_only_what_is_new(personas, django_assert_max_num_queries):
    _write(personas, 3)
    write_audit_checkpoint.enqueue()
    _write(personas, 40)
    # The head, the checkpointed event, the new events, the highest id and the head again:
    # the same few queries whatever the trail's length.
    with django_assert_max_num_queries(6):
        assert write_audit_checkpoint.enqueue().return_value["last_id"] == 43


def test_the_periodic_task_refuses_a_broken_trail(personas, caplog):
    _write(personas, 4)
    write_audit_checkpoint.enqueue()
    _write(personas, 2)
    tamper(("UPDATE audit_auditevent SET action = 'case.view' WHERE id = 6", []))
    with caplog.at_level("ERROR", logger="sinergi.audit"):
        result = write_audit_checkpoint.enqueue().return_value
    assert result["ok"] is False and "BROKEN at event #6" in result["problem"]
    assert "audit checkpoint refused" in caplog.text
    assert [c.last_id for c in read_checkpoints().valid] == [4]


def test_the_scheduler_queues_the_checkpoint(personas):
    _write(personas, 1)
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "queued audit checkpoint" in out.getvalue()
    assert read_checkpoints().newest.last_id >= 1


def test_a_write_costs_one_mac_and_no_extra_query(personas, django_assert_num_queries):
    _write(personas, 1)
    # Lock the head (get_or_create: its SELECT ... FOR UPDATE in a savepoint), insert the event,
    # move the head: the 5 queries of the unkeyed chain, the key derived once per process.
    with django_assert_num_queries(5):
        audit_record(actor=None, action="test.cost", username="x")


def _legacy_trail(n):
    """Events as releases before the keyed chain wrote them (unkeyed SHA-256)."""
    prev_hash = GENESIS
    for i in range(1, n + 1):
        event = AuditEvent(
            id=i, occurred_at=timezone.now(), action="old", details={"n": i}, changes={}, prev_hash=prev_hash
        )
        event.hash = legacy_hash(event, prev_hash)
        event.save(force_insert=True)
        prev_hash = event.hash
    AuditChainHead.objects.update_or_create(id=1, defaults={"last_event_id": n, "last_hash": prev_hash})


class _Editor:
    connection = connection


def test_an_upgraded_unkeyed_trail_verifies_and_stays_closed(personas):
    _legacy_trail(4)
    old_head = AuditChainHead.objects.get(id=1).last_hash
    key_the_chain(apps, _Editor())
    marker = AuditEvent.objects.get(id=5)
    assert marker.action == "audit.chain_keyed" and marker.key_version is not None
    assert marker.details == {"unkeyed_events": 4, "unkeyed_head": old_head}
    key_the_chain(apps, _Editor())  # a second run adds nothing
    _write(personas, 2)
    result = verify_chain()
    assert result.ok and (result.checked, result.unkeyed) == (7, 4)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "7 events verified, 4 of them from before the chain was keyed" in out.getvalue()


def test_nothing_is_added_to_an_empty_or_keyed_trail(personas):
    key_the_chain(apps, _Editor())
    assert not AuditEvent.objects.exists()
    _write(personas, 1)
    key_the_chain(apps, _Editor())
    assert AuditEvent.objects.count() == 1


def test_an_unkeyed_trail_never_upgraded_does_not_verify(personas):
    _legacy_trail(3)
    result = verify_chain()
    assert not result.ok and "no event is keyed" in result.reason


@pytest.mark.parametrize("event_id", [1, 4])
def test_the_unkeyed_part_is_still_tamper_evident(personas, event_id):
    _legacy_trail(4)
    key_the_chain(apps, _Editor())
    tamper(("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event_id]))
    result = verify_chain()
    assert not result.ok and result.broken_event_id == event_id


def test_the_unkeyed_part_rechained_does_not_fit_the_first_keyed_event(personas):
    _legacy_trail(4)
    key_the_chain(apps, _Editor())

    def rewrite(event, prev_hash):
        event.action = "case.view" if event.id == 2 else event.action
        return legacy_hash(event, prev_hash)

    rechain(2, rewrite, upto=4)
    result = verify_chain()
    assert not result.ok and result.broken_event_id == 5 and "content was changed" in result.reason


def test_without_checkpoints_the_command_says_what_it_cannot_see(personas):
    _write(personas, 2)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "No signed checkpoint" in out.getvalue() and "cannot be detected" in out.getvalue()
