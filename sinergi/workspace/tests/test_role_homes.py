"""A home page per role (issue 14 item 4): what each role sees first, its one primary button, that
a home lists nothing the user cannot open, and query budgets that do not grow with the cases."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CaseAssignment, CasePerson
from sinergi.coordination.models import ActionItem, Meeting
from sinergi.portal.tests.helpers import make_report
from sinergi.referrals.tests.conftest import build_world, make_sent
from sinergi.testing.cases import case_row, register_case


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def primary(response):
    return response.context["primary"]


def team_case(personas, user=None, *, name="Zubaidah Quraisyin", age=16, lead=True):
    """An open case of the unit with one victim, `user` (pendamping) its lead."""
    case = case_row(personas.orgs.unit, status="aktif", risk="sedang", reported_at=timezone.now())
    CasePerson.objects.create(
        case=case, role="korban", name=name, sex="perempuan", age_years=age, is_child=age < 18
    )
    if lead:
        CaseAssignment.objects.create(
            case=case, user=user or personas.pendamping, team_role="lead", assigned_by=personas.kepala
        )
    return case


def queries(client):
    home(client)  # the first request of a session records the session (django-allauth usersessions)
    with CaptureQueriesContext(connection) as ctx:
        home(client)
    return len(ctx.captured_queries)


# --- intake officer ----------------------------------------------------------------------------


def test_intake_sees_danger_reports_first_and_opens_them_with_the_primary_button(personas, login):
    calm, _pin = make_report(personas.orgs.unit)
    danger, _pin = make_report(personas.orgs.unit, danger_now=True)
    register_case(personas.petugas)  # at intake, the officer on its team
    response = home(login(personas.petugas))
    reports = list(response.context["reports"])
    assert [r.pk for r in reports] == [danger.pk, calm.pk]
    assert reports[0].left.endswith("left")
    assert primary(response).url == f"/pengaduan/{danger.public_id}/"
    assert len(response.context["to_complete"]) == 1
    assert response.content.decode().count('class="button primary"') == 1


def test_intake_of_another_unit_sees_none_of_it(personas, login):
    make_report(personas.orgs.unit, danger_now=True)
    response = home(login(personas.kepala_luar))
    assert not response.context["alarms"] and not response.context["no_lead"]


# --- case worker -------------------------------------------------------------------------------


def test_the_case_worker_sees_initials_age_step_and_next_deadline(personas, login):
    from sinergi.deadlines.services import deadline_start

    mine = team_case(personas)
    deadline_start(kind="assessment", unit=mine.unit, case=mine, started_at=timezone.now())
    team_case(personas, personas.pendamping_lain, name="Rina Lestari")  # not mine
    response = home(login(personas.pendamping))
    rows = list(response.context["my_cases"])
    assert [c.pk for c in rows] == [mine.pk]
    assert (rows[0].initials, rows[0].age, rows[0].next_kind) == ("Z.Q.", 16, "assessment")
    page = response.content.decode()
    assert "Z.Q." in page and "Zubaidah" not in page and "16 years" in page
    assert primary(response).url == f"/kasus/{mine.public_id}/"
    # Showing initials and ages is a read of victim data: audited, naming the cases.
    event = AuditEvent.objects.get(action="case.list", actor_id=personas.pendamping.pk)
    assert event.details == {"page": "home", "cases": [mine.public_id]}


def test_a_case_worker_without_cases_is_sent_to_the_case_list(personas, login):
    response = home(login(personas.pendamping_lain))
    assert primary(response).url == "/kasus/?mine=on"
    assert not AuditEvent.objects.filter(action="case.list").exists()


# --- head of unit ------------------------------------------------------------------------------


def test_the_kepala_sees_cases_without_a_lead_and_names_one_first(personas, login):
    led = team_case(personas)
    nobody = team_case(personas, lead=False)
    other = case_row(personas.orgs.other_unit, status="aktif")  # another unit's: never listed
    response = home(login(personas.kepala))
    listed = {c.pk for c in response.context["no_lead"]}
    assert nobody.pk in listed and led.pk not in listed and other.pk not in listed
    first = response.context["no_lead"][0]
    assert primary(response).url == f"/kasus/{first.public_id}/tim/"


def test_a_danger_now_report_comes_before_everything_for_the_kepala(personas, login):
    team_case(personas, lead=False)
    danger, _pin = make_report(personas.orgs.unit, danger_now=True)
    response = home(login(personas.kepala))
    assert primary(response).url == f"/pengaduan/{danger.public_id}/"
    assert "Danger now" in response.content.decode()


# --- partner -----------------------------------------------------------------------------------


def test_the_partner_sees_referrals_waiting_with_the_time_left(personas, login):
    world = build_world(personas)
    sent = make_sent(world)
    response = home(login(personas.mitra))
    rows = list(response.context["waiting_referrals"])
    assert [r.pk for r in rows] == [sent.pk]
    assert rows[0].left and not rows[0].late
    assert primary(response).url == f"/rujukan/{sent.public_id}/"
    assert world.victim.name not in response.content.decode()
    # The other partner agency sees none of it.
    other = home(login(personas.mitra_lain))
    assert not other.context["waiting_referrals"]
    assert primary(other).url == "/rujukan/"


def test_the_partner_sees_its_overdue_action_items(personas, login):
    item = ActionItem.objects.create(
        unit=personas.orgs.unit,
        description="Kirim data layanan",
        assignee_organisation=personas.orgs.partner,
        due_date=timezone.localdate() - dt.timedelta(days=2),
        created_by=personas.kepala,
    )
    response = home(login(personas.mitra))
    assert [i.pk for i in response.context["overdue_items"]] == [item.pk]
    assert primary(response).url == f"/tindak-lanjut/{item.public_id}/"


# --- leadership --------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 7, 15, 3, tzinfo=dt.UTC), tick=False)
def test_leadership_sees_this_year_against_last_year_and_the_next_rakor(personas, login):
    now = timezone.now()
    march = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    for _n in range(6):
        Case.objects.filter(pk=team_case(personas, age=12).pk).update(reported_at=march)
    team_case(personas, age=12)  # this month: not counted until the month is over
    last_year = case_row(personas.orgs.unit, status="aktif", reported_at=march.replace(year=2025))
    CasePerson.objects.create(case=last_year, role="korban", name="X", sex="perempuan", age_years=30)
    meeting = Meeting.objects.create(
        kind="rakor",
        title="Rakor triwulan",
        unit=personas.orgs.unit,
        starts_at=now + dt.timedelta(days=3),
        period_start=timezone.localdate() - dt.timedelta(days=90),
        period_end=timezone.localdate(),
        created_by=personas.kepala,
    )
    response = home(login(personas.pimpinan))
    # The leadership is an aggregate-only reader: whole closed months (until 30 June), and a
    # count under five hidden, with no change computed from it.
    assert response.context["counted_until"] == dt.date(2026, 6, 30)
    figures = {h.label: (h.this_year, h.last_year, h.change) for h in response.context["headlines"]}
    assert figures == {"Cases": (6, "<5", None), "Victims": (6, "<5", None), "Child victims": (6, 0, 6)}
    assert response.context["next_rakor"] == meeting
    assert primary(response).url == f"/rapat/{meeting.public_id}/"
    page = response.content.decode()
    assert "Zubaidah" not in page and "Z.Q." not in page  # aggregates only


# --- query budgets: the same number of queries at two data sizes -------------------------------


def _grow(personas, n):
    for i in range(n):
        team_case(personas, name=f"Korban {i}", lead=i % 2 == 0)
        make_report(personas.orgs.unit, danger_now=i % 3 == 0)


@pytest.mark.parametrize("persona", ["petugas", "pendamping", "kepala", "mitra", "pimpinan"])
def test_a_home_costs_the_same_with_more_cases(personas, login, persona):
    world = build_world(personas)
    make_sent(world)
    _grow(personas, 2)
    client = login(getattr(personas, persona))
    small = queries(client)
    _grow(personas, 14)  # past the home lists' cap
    make_sent(world)
    assert queries(client) == small
