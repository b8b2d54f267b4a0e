import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from sinergi.audit.models import AuditEvent
from sinergi.audit.services import audit_record, summarise_changes
from sinergi.audit.verify import verify_chain


def _tamper(sql, params=()):
    """Change the table the way an attacker with database access would: around the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute(sql, params)


@pytest.fixture
def events(personas):
    for i in range(5):
        audit_record(actor=personas.kepala, action="test.event", details={"n": i})
    return list(AuditEvent.objects.order_by("id"))


def test_an_untouched_chain_verifies(events):
    result = verify_chain()
    assert result.ok and result.checked == len(events)
    call_command("verify_audit")


def test_events_link_to_each_other(events):
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.id == before.id + 1


def test_an_altered_row_is_named(events):
    target = events[2]
    _tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.view", target.id])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == target.id
    with pytest.raises(CommandError, match=f"#{target.id}"):
        call_command("verify_audit")


def test_a_removed_row_is_detected(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[1].id


def test_a_removed_newest_row_is_detected(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].id])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[-1].id


def test_the_database_refuses_updates(events):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET outcome = 'ok' WHERE id = %s", [events[0].id])


def test_postgres_refuses_deletes(events):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite allows DELETE (Django's test flush needs it); the chain detects it")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[0].id])


def test_personal_values_are_summarised_away():
    summary = summarise_changes({"full_name": ("Siti Aminah", "Siti A."), "status": ("draft", "aktif")})
    assert summary == {"full_name": "changed", "status": ["draft", "aktif"]}


def test_actor_and_context_are_recorded(personas, client):
    client.force_login(personas.kepala)
    client.get("/", HTTP_USER_AGENT="uji-browser", REMOTE_ADDR="10.1.2.3")
    event = audit_record(actor=personas.kepala, action="test.context")
    assert event.actor_username == "kepala" and event.role == "kepala_uptd"
    assert event.organisation_id == personas.orgs.unit.pk


def test_request_context_reaches_the_event(personas, client):
    client.post(
        "/akun/login/", {"login": "kepala", "password": "salah-sandi-sekali"}, HTTP_USER_AGENT="uji-browser"
    )
    failed = AuditEvent.objects.filter(action="auth.login_failed").latest("id")
    assert failed.outcome == "failed" and failed.actor_username == "kepala"
    assert failed.user_agent == "uji-browser" and failed.ip == "127.0.0.1" and failed.request_id
