"""Reminders: before and at each deadline, in-app and by e-mail, once per threshold, without names."""

import datetime as dt
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command

from sinergi.cases.tests.clock_helpers import VICTIM_NAME, wib
from sinergi.deadlines.models import Deadline, DeadlineReminder
from sinergi.deadlines.services import deadline_assign, deadline_extend, deadline_start
from sinergi.notifications.models import Notification
from sinergi.testing.cases import register_case, victim
from sinergi.workspace.reminders import send_due_reminders
from sinergi.workspace.tasks import send_deadline_reminders

START = wib(2026, 3, 2, 9, 0)
MIN = dt.timedelta(minutes=1)


def _with_emails(*users):
    for user in users:
        user.email = f"{user.username}@uptd.example"
        user.save(update_fields=["email"])


def _high_risk_case(personas):
    with time_machine.travel(START, tick=False):
        return register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)], risk="tinggi", reported_at=START
        )  # first response: 1 h, warned 15 min


def _assert_no_names():
    texts = [n.message for n in Notification.objects.all()]
    texts += [m.subject for m in mail.outbox] + [m.body for m in mail.outbox]
    assert texts
    for text in texts:
        for part in VICTIM_NAME.split():
            assert part not in text


def test_due_soon_then_overdue_each_sent_once_without_names(personas):
    _with_emails(personas.petugas, personas.kepala)
    case = _high_risk_case(personas)
    with time_machine.travel(START + 30 * MIN, tick=False):
        assert send_due_reminders() == 0
    with time_machine.travel(START + 50 * MIN, tick=False):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0
    soon = Notification.objects.get(kind="deadline_due_soon")
    assert soon.recipient == personas.petugas  # the case team (the registrar); not yet the kepala
    assert case.registration_number in soon.message
    assert soon.link == f"/kasus/{case.public_id}/"
    assert [m.to for m in mail.outbox] == [[personas.petugas.email]]
    with time_machine.travel(START + 61 * MIN, tick=False):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0
    overdue = Notification.objects.filter(kind="deadline_overdue")
    assert {n.recipient for n in overdue} == {personas.petugas, personas.kepala}
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted([personas.petugas.email, personas.kepala.email])
    assert case.registration_number in mail.outbox[-1].subject
    _assert_no_names()


def test_an_extension_rearms_the_reminders(personas):
    case = _high_risk_case(personas)
    clock = deadline_start(kind="shelter_stay", unit=case.unit, case=case, started_at=START)
    late = clock.due_at + MIN
    with time_machine.travel(late, tick=False):
        send_due_reminders()
        assert DeadlineReminder.objects.filter(deadline=clock, threshold="overdue").count() == 1
        deadline_extend(
            actor=personas.petugas,
            deadline=clock,
            due_at=late + dt.timedelta(days=3),
            reason="Rumah aman belum siap",
        )
    with time_machine.travel(late + dt.timedelta(days=3) + MIN, tick=False):
        send_due_reminders()
    assert DeadlineReminder.objects.filter(deadline=clock, threshold="overdue").count() == 2


def test_the_responsible_person_is_reminded_instead_of_the_team(personas):
    case = _high_risk_case(personas)
    clock = Deadline.objects.get(case=case, kind="first_response")
    deadline_assign(deadline=clock, responsible=personas.pendamping)
    with time_machine.travel(START + 50 * MIN, tick=False):
        send_due_reminders()
    assert {n.recipient for n in Notification.objects.filter(kind="deadline_due_soon")} == {
        personas.pendamping
    }


def test_a_clock_without_a_case_reminds_the_units_intake_officers(personas):
    deadline_start(
        kind="first_response",
        unit=personas.orgs.unit,
        subject=personas.pendamping_lain,
        started_at=START,
        risk="tinggi",
    )
    with time_machine.travel(START + 50 * MIN, tick=False):
        send_due_reminders()
    assert {n.recipient for n in Notification.objects.all()} == {personas.petugas}


def test_stopped_clocks_are_not_reminded(personas):
    case = _high_risk_case(personas)
    from sinergi.deadlines.services import deadline_cancel_all

    deadline_cancel_all(case=case)
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert send_due_reminders() == 0


def test_the_task_and_the_commands(personas):
    _high_risk_case(personas)
    with time_machine.travel(START + 61 * MIN, tick=False):
        result = send_deadline_reminders.enqueue()  # the immediate backend runs it at once
        assert result.return_value == 1
    out = StringIO()
    # The assessment (7 days) and the complaint follow-up (3 working days) are now overdue.
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        call_command("send_deadline_reminders", "--now", stdout=out)
        assert "2 reminder(s) sent." in out.getvalue()
        call_command("send_deadline_reminders", stdout=out)
        call_command("run_scheduler", "--once", stdout=out)
    assert "queued deadline reminders" in out.getvalue()


def test_reminder_queries_do_not_grow_with_clocks(personas, django_assert_max_num_queries):
    for _ in range(3):
        _high_risk_case(personas)
    with time_machine.travel(START + 50 * MIN, tick=False):
        from sinergi.workspace.reminders import pending_reminders

        with django_assert_max_num_queries(3):
            pending = pending_reminders(START + 50 * MIN)
            assert len(pending) == 3


def test_clocks_of_a_closed_case_are_not_reminded_nor_listed(personas):
    from sinergi.deadlines.selectors import overdue_case_ids

    case = _high_risk_case(personas)
    deadline_start(
        kind="shelter_stay", unit=case.unit, case=case, subject=personas.pendamping_lain, started_at=START
    )
    case.status = "ditutup"
    case.save(update_fields=["status"])
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert send_due_reminders() == 0
        assert case.pk not in set(overdue_case_ids())
