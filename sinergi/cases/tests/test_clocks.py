"""Every clock's start and stop, the working-day calendar, the states and the unit's own policy."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.audit.models import AuditEvent
from sinergi.cases.clocks import outreach_needed
from sinergi.core.models import Holiday
from sinergi.deadlines.choices import ClockKind, DeadlineState, DeadlineStatus, TimeUnit
from sinergi.deadlines.models import ClockPolicy, Deadline, DeadlineExtension
from sinergi.deadlines.policy import due_after
from sinergi.deadlines.selectors import deadline_state, deadlines_for_case, overdue_case_ids
from sinergi.deadlines.services import (
    clock_policy_set,
    deadline_cancel,
    deadline_cancel_all,
    deadline_extend,
    deadline_handover,
    deadline_start,
    deadline_stop,
)
from sinergi.testing.cases import register_case, victim

from .clock_helpers import VICTIM_NAME, classify_tpks, wib

H = dt.timedelta(hours=1)


def clocks(case):
    return {d.kind: d for d in Deadline.objects.filter(case=case)}


# --- starts at registration and classification --------------------------------------------------


@pytest.mark.parametrize(("risk", "hours"), [("tinggi", 1), ("sedang", 6), ("rendah", 24), ("", 6)])
def test_registration_starts_first_response_by_risk_and_assessment(personas, risk, hours):
    reported = wib(2026, 3, 2, 9, 0)
    with time_machine.travel(reported + H, tick=False):
        case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)], risk=risk, reported_at=reported)
    found = clocks(case)
    assert found["first_response"].due_at == reported + hours * H
    assert found["first_response"].risk == risk
    assert found["assessment"].due_at == reported + dt.timedelta(days=7)
    # Monday 09:00 + 3 working days = Thursday 09:00.
    assert found["complaint_follow_up"].due_at == wib(2026, 3, 5, 9, 0)
    assert "outreach" not in found  # a walk-in is at the unit already
    events = AuditEvent.objects.filter(
        action="deadline.start", case_id=case.public_id, object_type="deadline"
    )
    assert events.count() == 3


def test_the_complaint_is_followed_up_when_the_case_moves_on_to_its_assessment(personas):
    from sinergi.cases.workflow import case_move

    reported = wib(2026, 3, 6, 16, 0)  # a Friday afternoon: due Wednesday 16:00
    with time_machine.travel(reported, tick=False):
        case = register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)], risk="sedang", reported_at=reported
        )
    assert clocks(case)["complaint_follow_up"].due_at == wib(2026, 3, 11, 16, 0)
    with time_machine.travel(wib(2026, 3, 9, 10, 0), tick=False):
        case = case_move(actor=personas.kepala, case=case, to_step="identifikasi")
        assert clocks(case)["complaint_follow_up"].stopped_at is None  # screening is not the follow-up
    with time_machine.travel(wib(2026, 3, 12, 10, 0), tick=False):
        case_move(actor=personas.kepala, case=case, to_step="asesmen")
    follow_up = clocks(case)["complaint_follow_up"]
    assert follow_up.stopped_at == wib(2026, 3, 12, 10, 0)
    assert follow_up.status == DeadlineStatus.MET_LATE


def test_high_risk_remote_report_also_starts_outreach(personas):
    reported = wib(2026, 3, 2, 22, 0)
    with time_machine.travel(reported + H, tick=False):
        case = register_case(
            personas.petugas,
            victims=[victim(VICTIM_NAME)],
            risk="tinggi",
            channel="telepon",
            reported_at=reported,
        )
    assert clocks(case)["outreach"].due_at == reported + dt.timedelta(
        minutes=210
    )  # Payakumbuh: 30 min + 1 h + 2 h


@pytest.mark.parametrize(
    ("channel", "risk", "needed"),
    [
        ("telepon", "tinggi", True),
        ("whatsapp", "tinggi", True),
        ("pihak_lain", "tinggi", True),
        ("sapa129", "tinggi", True),
        ("daring", "tinggi", True),
        ("datang_langsung", "tinggi", False),
        ("penjangkauan", "tinggi", False),
        ("rujukan", "tinggi", False),
        ("telepon", "sedang", False),
    ],
)
def test_the_outreach_rule(channel, risk, needed):
    from sinergi.cases.models import Case

    assert outreach_needed(Case(channel=channel, risk=risk)) is needed


def test_tpks_classification_starts_the_police_report_clock_from_the_report(personas):
    reported = wib(2026, 3, 2, 9, 0)
    with time_machine.travel(reported + 5 * H, tick=False):
        case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)], reported_at=reported)
        assert "tpks_police_report" not in clocks(case)
        case = classify_tpks(personas.petugas, case)
    clock = clocks(case)["tpks_police_report"]
    assert clock.started_at == reported
    assert clock.due_at == reported + 72 * H  # 3×24 hours, weekends included


def test_tpks_clock_starts_once_even_after_it_was_met(personas):
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
        case = classify_tpks(personas.petugas, case)
        deadline_stop(kind="tpks_police_report", case=case, stopped_at=wib(2026, 3, 2, 11, 0))
        case.refresh_from_db()
        classify_tpks(personas.petugas, case)
    assert Deadline.objects.filter(case=case, kind="tpks_police_report").count() == 1


def test_non_tpks_classification_starts_nothing(personas):
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    from sinergi.testing.cases import classify

    classify(actor=personas.petugas, case=case, version=case.version, pkdrt_types=["fisik"])
    assert "tpks_police_report" not in clocks(case)


# --- start, stop, cancel, extend ---------------------------------------------------------------


def test_start_is_idempotent_while_the_clock_runs(personas):
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    first = clocks(case)["first_response"]
    again = deadline_start(kind="first_response", unit=case.unit, case=case, started_at=wib(2026, 1, 1, 0, 0))
    assert again.pk == first.pk
    assert Deadline.objects.filter(case=case, kind="first_response").count() == 1


@pytest.mark.parametrize("kind", ClockKind.values)
def test_every_clock_stops_met_or_met_late(personas, kind):
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    start = wib(2026, 3, 2, 9, 0)
    deadline_cancel(kind=kind, case=case)  # registration's own clocks out of the way
    clock = deadline_start(kind=kind, unit=case.unit, case=case, started_at=start)
    assert clock.status == DeadlineStatus.OPEN
    met = deadline_stop(kind=kind, case=case, stopped_at=start + dt.timedelta(minutes=30))
    assert met.status == DeadlineStatus.MET
    assert deadline_state(met) == DeadlineState.MET
    again = deadline_start(kind=kind, unit=case.unit, case=case, started_at=start)
    late = deadline_stop(kind=kind, case=case, stopped_at=again.due_at + H)
    assert late.pk != met.pk and late.status == DeadlineStatus.MET_LATE
    assert deadline_state(late) == DeadlineState.MET_LATE
    assert deadline_stop(kind=kind, case=case, stopped_at=start) is None  # nothing running
    actions = list(
        AuditEvent.objects.filter(object_id__in=[met.public_id, late.public_id]).values_list(
            "action", flat=True
        )
    )
    assert actions.count("deadline.start") == 2 and actions.count("deadline.stop") == 2


def test_cancel_and_cancel_all(personas):
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)], risk="tinggi", channel="telepon")
    assert deadline_cancel(kind="outreach", case=case).status == DeadlineStatus.CANCELLED
    assert deadline_cancel(kind="outreach", case=case) is None
    # first response, complaint follow-up, assessment
    assert deadline_cancel_all(case=case, reason="closed") == 3
    assert not Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).exists()
    assert AuditEvent.objects.filter(action="deadline.cancel", case_id=case.public_id).count() == 4


def test_extension_needs_a_reason_and_a_later_time_and_is_audited(personas):
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    clock = deadline_start(kind="shelter_stay", unit=case.unit, case=case, started_at=wib(2026, 3, 2, 9, 0))
    with pytest.raises(ValidationError) as err:
        deadline_extend(actor=personas.petugas, deadline=clock, due_at=clock.due_at + 48 * H, reason=" ")
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        deadline_extend(
            actor=personas.petugas, deadline=clock, due_at=clock.due_at - H, reason="Menunggu rumah aman"
        )
    assert "due_at" in err.value.message_dict
    refused = AuditEvent.objects.filter(action="deadline.extend", outcome="denied", object_id=clock.public_id)
    assert refused.count() == 2
    assert refused.first().details["reason"] == "extension_refused"
    new_due = clock.due_at + 48 * H
    deadline_extend(
        actor=personas.petugas,
        deadline=clock,
        due_at=new_due,
        reason="Pelaku masih mencari korban di sekitar rumah",
    )
    clock.refresh_from_db()
    assert clock.due_at == new_due and clock.was_extended
    extension = DeadlineExtension.objects.get(deadline=clock)
    assert extension.reason.startswith("Pelaku") and extension.actor == personas.petugas
    assert AuditEvent.objects.filter(
        action="deadline.extend", outcome="ok", object_id=clock.public_id
    ).exists()


def test_extension_refused_to_who_may_not_edit_the_case(personas):
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    clock = clocks(case)["assessment"]
    for name in ("pendamping_lain", "orang_luar", "datin"):
        with pytest.raises(PermissionDenied):
            deadline_extend(
                actor=getattr(personas, name),
                deadline=clock,
                due_at=clock.due_at + H,
                reason="alasan yang cukup",
            )


def test_subject_clocks_and_handover_to_the_case(personas):
    subject = personas.pendamping_lain  # any model with a public_id stands in for a portal report
    start = wib(2026, 3, 2, 9, 0)
    with time_machine.travel(start + H, tick=False):
        report_clock = deadline_start(
            kind="first_response", unit=personas.orgs.unit, subject=subject, started_at=start, risk="tinggi"
        )
        assert report_clock.case is None and report_clock.due_at == start + H
        assert deadline_start(
            kind="first_response", unit=personas.orgs.unit, subject=subject, started_at=start
        ).pk == (report_clock.pk)
        case = register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)]
        )  # starts its own first response later
        moved = deadline_handover(subject=subject, case=case)
    assert [d.pk for d in moved] == [report_clock.pk]
    running = Deadline.objects.get(case=case, kind="first_response", status=DeadlineStatus.OPEN)
    assert running.pk == report_clock.pk and running.subject_type == ""
    assert (
        Deadline.objects.filter(case=case, kind="first_response", status=DeadlineStatus.CANCELLED).count()
        == 1
    )


def test_a_clock_needs_a_known_kind_and_an_owner(personas):
    with pytest.raises(ValueError):
        deadline_start(
            kind="nope",
            unit=personas.orgs.unit,
            case=None,
            subject=personas.kepala,
            started_at=wib(2026, 1, 1),
        )
    with pytest.raises(ValueError):
        deadline_start(kind="review", unit=personas.orgs.unit, started_at=wib(2026, 1, 1))


# --- the calendar --------------------------------------------------------------------------------


def _clear_holidays(first, last):
    Holiday.objects.filter(date__gte=first, date__lte=last).delete()


@pytest.mark.django_db
def test_working_days_skip_the_weekend():
    _clear_holidays(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    friday = wib(2026, 3, 6, 10, 0)
    assert due_after(friday, 3, TimeUnit.WORKING_DAYS) == wib(2026, 3, 11, 10, 0)  # Mon, Tue, Wed
    assert due_after(friday, 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 9, 10, 0)  # Monday
    saturday = wib(2026, 3, 7, 15, 30)
    assert due_after(saturday, 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 9, 15, 30)


@pytest.mark.django_db
def test_working_days_skip_a_holiday():
    _clear_holidays(dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    Holiday.objects.create(date=dt.date(2026, 8, 17), name="Hari Kemerdekaan")  # a Monday
    friday = wib(2026, 8, 14, 9, 0)
    # Mon 17 (holiday) skipped: Tue 18, Wed 19, Thu 20.
    assert due_after(friday, 3, TimeUnit.WORKING_DAYS) == wib(2026, 8, 20, 9, 0)


def test_complaint_follow_up_across_a_weekend_and_a_holiday_with_the_clock_moving(personas):
    _clear_holidays(dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    Holiday.objects.create(date=dt.date(2026, 8, 17), name="Hari Kemerdekaan")
    start = wib(2026, 8, 14, 9, 0)  # Friday
    with time_machine.travel(start, tick=False):
        case = register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)], reported_at=start
        )  # registration starts the clock
    clock = Deadline.objects.get(case=case, kind="complaint_follow_up")
    assert clock.due_at == wib(2026, 8, 20, 9, 0)
    with time_machine.travel(wib(2026, 8, 18, 9, 0), tick=False):  # Tuesday: one working day gone
        assert deadline_state(clock) == DeadlineState.ON_TIME
    with time_machine.travel(wib(2026, 8, 19, 12, 0), tick=False):  # within the 1 working-day warning
        assert deadline_state(clock) == DeadlineState.DUE_SOON
    with time_machine.travel(wib(2026, 8, 20, 9, 1), tick=False):
        assert deadline_state(clock) == DeadlineState.OVERDUE
        assert case.pk in set(overdue_case_ids(unit=case.unit))


def test_referral_response_is_one_working_day_or_two_hours_when_high_risk(personas):
    _clear_holidays(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    friday = wib(2026, 3, 6, 14, 0)
    low = deadline_start(
        kind="referral_response", unit=case.unit, case=case, started_at=friday, risk="rendah"
    )
    assert low.due_at == wib(2026, 3, 9, 14, 0)
    deadline_cancel(kind="referral_response", case=case)
    high = deadline_start(
        kind="referral_response", unit=case.unit, case=case, started_at=friday, risk="tinggi"
    )
    assert high.due_at == friday + 2 * H


def test_review_runs_three_calendar_months():
    assert due_after(wib(2026, 1, 31, 10, 0), 3, TimeUnit.MONTHS) == wib(2026, 4, 30, 10, 0)
    assert due_after(wib(2026, 11, 15, 10, 0), 3, TimeUnit.MONTHS) == wib(2027, 2, 15, 10, 0)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("outreach", dt.timedelta(minutes=210)),
        ("assessment", dt.timedelta(days=7)),
        ("tpks_police_report", 72 * H),
        ("shelter_stay", dt.timedelta(days=7)),
    ],
)
def test_default_durations(personas, kind, expected):
    case = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    deadline_cancel(kind=kind, case=case)
    start = wib(2026, 3, 6, 23, 0)
    assert deadline_start(kind=kind, unit=case.unit, case=case, started_at=start).due_at == start + expected


# --- states --------------------------------------------------------------------------------------


def test_states_move_with_the_clock(personas):
    start = wib(2026, 3, 2, 9, 0)
    with time_machine.travel(start, tick=False):
        case = register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)], risk="sedang", reported_at=start
        )  # 6 h, warned 1 h before
        clock = clocks(case)["first_response"]
        assert deadline_state(clock) == DeadlineState.ON_TIME
    with time_machine.travel(start + 5 * H + dt.timedelta(minutes=1), tick=False):
        assert deadline_state(clock) == DeadlineState.DUE_SOON
    with time_machine.travel(start + 6 * H + dt.timedelta(minutes=1), tick=False):
        assert deadline_state(clock) == DeadlineState.OVERDUE
        shown = {d.kind: d.state for d in deadlines_for_case(case)}
        assert shown["first_response"] == DeadlineState.OVERDUE
        assert shown["assessment"] == DeadlineState.ON_TIME
        stopped = deadline_stop(kind="first_response", case=case, stopped_at=start + 7 * H)
    assert deadline_state(stopped) == DeadlineState.MET_LATE


# --- the unit's own policy -----------------------------------------------------------------------


def test_a_unit_policy_overrides_the_default_for_that_unit_only(personas):
    clock_policy_set(
        actor=personas.kepala,
        unit=personas.orgs.unit,
        kind="first_response",
        risk="tinggi",
        amount=30,
        time_unit=TimeUnit.HOURS,
        warning_minutes=600,
    )
    ClockPolicy.objects.create(
        unit=personas.orgs.unit,
        kind="assessment",
        amount=5,
        time_unit=TimeUnit.WORKING_DAYS,
        warning_minutes=60,
    )
    reported = wib(2026, 3, 6, 10, 0)  # Friday
    _clear_holidays(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with time_machine.travel(reported + H, tick=False):
        mine = register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)], risk="tinggi", reported_at=reported
        )
        theirs = register_case(
            personas.kepala_luar, victims=[victim(VICTIM_NAME)], risk="tinggi", reported_at=reported
        )
    assert clocks(mine)["first_response"].due_at == reported + 30 * H
    assert clocks(mine)["first_response"].warning_minutes == 600
    assert clocks(mine)["assessment"].due_at == wib(2026, 3, 13, 10, 0)
    assert clocks(theirs)["first_response"].due_at == reported + H
    assert AuditEvent.objects.filter(
        action="deadline.policy", object_id=personas.orgs.unit.public_id
    ).exists()


def test_only_the_units_kepala_sets_its_policy(personas):
    for name in ("pendamping", "admin", "kepala_luar", "datin"):
        with pytest.raises(PermissionDenied):
            clock_policy_set(
                actor=getattr(personas, name),
                unit=personas.orgs.unit,
                kind="review",
                risk="",
                amount=2,
                time_unit=TimeUnit.MONTHS,
                warning_minutes=60,
            )


def test_a_risk_change_retimes_the_running_first_response(personas):
    from sinergi.deadlines.services import deadline_retime_for_risk

    reported = wib(2026, 3, 2, 9, 0)
    with time_machine.travel(reported + H, tick=False):
        case = register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)], risk="rendah", reported_at=reported
        )
    assert clocks(case)["first_response"].due_at == reported + 24 * H
    case.risk = "tinggi"
    case.save(update_fields=["risk"])
    [clock] = deadline_retime_for_risk(case=case, actor=personas.kepala)
    assert clock.due_at == reported + H and clock.risk == "tinggi"
    assert clocks(case)["assessment"].due_at == reported + dt.timedelta(days=7)  # not risk-dependent
    assert AuditEvent.objects.filter(action="deadline.retime", object_id=clock.public_id).exists()
    assert deadline_retime_for_risk(case=case) == []  # already at this risk


def test_editing_the_incident_risk_retimes_the_first_response(personas):
    from sinergi.cases.record import case_update_incident

    reported = wib(2026, 3, 2, 9, 0)
    with time_machine.travel(reported + 10 * dt.timedelta(minutes=1), tick=False):
        case = register_case(
            personas.petugas, victims=[victim(VICTIM_NAME)], risk="rendah", reported_at=reported
        )
        case_update_incident(actor=personas.petugas, case=case, version=case.version, risk="tinggi")
    assert clocks(case)["first_response"].due_at == reported + H
