import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.coordination.models import ActionItem
from sinergi.coordination.selectors import is_overdue
from sinergi.coordination.services import action_item_send_reminders
from sinergi.coordination.tasks import send_action_item_reminders
from sinergi.notifications.models import Notification

from .conftest import VICTIM_NAME

pytestmark = pytest.mark.django_db


def _at(day, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_overdue_marking_follows_the_clock(personas, coord, login):
    due = coord.other_item.due_date
    with time_machine.travel(_at(due), tick=False):
        assert not is_overdue(coord.other_item)
        assert "overdue-badge" not in login(personas.kepala).get("/tindak-lanjut/").content.decode()
    with time_machine.travel(_at(due + dt.timedelta(days=1)), tick=False):
        assert is_overdue(coord.other_item)
        html = login(personas.kepala).get("/tindak-lanjut/").content.decode()
        assert html.count("overdue-badge") == 1
        overdue_only = login(personas.kepala).get("/tindak-lanjut/?tampil=terlambat").content.decode()
        assert coord.other_item.reference in overdue_only and coord.item.reference not in overdue_only


def test_a_done_item_is_never_overdue(personas, coord):
    ActionItem.objects.filter(pk=coord.other_item.pk).update(status="selesai")
    coord.other_item.refresh_from_db()
    assert not is_overdue(coord.other_item, coord.other_item.due_date + dt.timedelta(days=3))


def test_reminders_go_out_once_and_without_names(personas, coord, django_capture_on_commit_callbacks):
    personas.mitra_lain.email = "rsud@example.org"
    personas.mitra_lain.save()
    due = coord.other_item.due_date  # assigned to the other partner (mitra_lain)
    with time_machine.travel(_at(due - dt.timedelta(days=3)), tick=False):
        assert action_item_send_reminders() == (0, 0)
    with time_machine.travel(_at(due - dt.timedelta(days=1)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert action_item_send_reminders() == (1, 0)
        assert action_item_send_reminders() == (0, 0)  # once
    with time_machine.travel(_at(due + dt.timedelta(days=1)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert action_item_send_reminders() == (0, 1)
        assert action_item_send_reminders() == (0, 0)
    due_notes = Notification.objects.filter(kind="action_item_due")
    overdue_notes = Notification.objects.filter(kind="action_item_overdue")
    assert [n.recipient.username for n in due_notes] == ["mitra_lain"]
    assert sorted(n.recipient.username for n in overdue_notes) == ["kepala", "mitra_lain"]
    texts = [n.message for n in Notification.objects.all()] + [m.subject + m.body for m in mail.outbox]
    assert len(mail.outbox) == 2
    for text in texts:
        assert VICTIM_NAME not in text
        assert "Pemeriksaan kesehatan" not in text  # nor what the item says
        assert coord.other_item.reference in text
    assert AuditEvent.objects.filter(action="action_item.remind_overdue", actor_username="").count() == 1


def test_the_task_and_the_command_run_the_reminders(personas, coord):
    with time_machine.travel(_at(coord.other_item.due_date + dt.timedelta(days=2)), tick=False):
        result = send_action_item_reminders.enqueue()
        assert result.return_value == {"due": 0, "overdue": 1}
        call_command("send_action_item_reminders", stdout=io.StringIO())
    assert Notification.objects.filter(kind="action_item_overdue").count() == 2  # partner + kepala, once


def test_the_scheduler_queues_the_action_item_reminders(personas, coord):
    out = io.StringIO()
    with time_machine.travel(_at(coord.other_item.due_date + dt.timedelta(days=1)), tick=False):
        call_command("run_scheduler", "--once", stdout=out)
    assert "queued action item reminders" in out.getvalue()
    assert Notification.objects.filter(kind="action_item_overdue").exists()
