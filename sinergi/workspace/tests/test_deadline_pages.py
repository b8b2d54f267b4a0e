"""My work (home), the unit board, the clock settings, extending a deadline, the case-list filter
and the case page's deadlines panel: per view it works, hides from outsiders, refuses without
the right; plus query budgets."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.audit.services import audit_record
from sinergi.cases.models import CaseAssignment
from sinergi.cases.policies import can_edit_case
from sinergi.cases.selectors import case_clocks
from sinergi.cases.services import case_assign
from sinergi.cases.tests.clock_helpers import VICTIM_NAME, wib
from sinergi.deadlines.models import ClockPolicy, Deadline, DeadlineExtension, UnitWorkSettings
from sinergi.testing.cases import register_case, victim

START = wib(2026, 3, 2, 9, 0)
H = dt.timedelta(hours=1)
HOME = reverse("home")
BOARD = reverse("workspace:board")
POLICY = reverse("deadlines:policy")


def _case(personas, **extra):
    with time_machine.travel(START, tick=False):
        return register_case(personas.petugas, victims=[victim(VICTIM_NAME)], reported_at=START, **extra)


def _give_to_pendamping(personas, case):
    CaseAssignment.objects.create(
        case=case, user=personas.pendamping, team_role="lead", assigned_by=personas.kepala
    )


# --- my work (home) ------------------------------------------------------------------------------


def test_my_work_lists_overdue_today_and_soon(personas, login):
    case = _case(personas, risk="sedang")  # first response 6 h (warned after 5 h), assessment 7 days
    client = login(personas.petugas)
    with time_machine.travel(START + 2 * H, tick=False):
        page = client.get(HOME).content.decode()
    assert 'id="work-today"' in page and case.registration_number in page
    with time_machine.travel(START + 7 * H, tick=False):
        response = client.get(HOME)
    overdue = [d.kind for d in response.context["overdue"]]
    assert overdue == ["first_response"]
    with time_machine.travel(START + dt.timedelta(days=5, hours=12), tick=False):
        response = client.get(HOME)
    assert [d.kind for d in response.context["due_soon"]] == ["assessment"]
    assert VICTIM_NAME.split()[0] not in response.content.decode()


def test_my_work_shows_only_the_users_clocks(personas, login):
    case = _case(personas)
    with time_machine.travel(START + 7 * H, tick=False):
        for name in ("pendamping_lain", "orang_luar", "kepala_luar"):
            response = login(getattr(personas, name)).get(HOME)
            assert response.status_code == 200
            assert response.context["overdue"] == []
            assert case.registration_number not in response.content.decode()


def test_a_named_responsible_takes_the_clock_from_the_team(personas, login):
    case = _case(personas)
    _give_to_pendamping(personas, case)
    Deadline.objects.filter(case=case, kind="first_response").update(responsible=personas.pendamping)
    with time_machine.travel(START + 7 * H, tick=False):
        mine = login(personas.pendamping).get(HOME).context["overdue"]
        registrar = login(personas.petugas).get(HOME).context["overdue"]
    assert [d.kind for d in mine] == ["first_response"]
    assert registrar == []


def test_my_work_shows_new_assignments_and_approvals(personas, login):
    case = _case(personas)
    case_assign(actor=personas.kepala, case=case, user=personas.pendamping, team_role="lead")
    page = login(personas.pendamping).get(HOME)
    assert [a.case for a in page.context["new_assignments"]] == [case]
    from sinergi.cases.models import ApprovalRequest

    ApprovalRequest.objects.create(
        case=case, kind="penutupan", closure_reason="kebutuhan_terpenuhi", requested_by=personas.pendamping
    )
    page = login(personas.kepala).get(HOME)
    assert [a.case for a in page.context["approvals"]] == [case]
    assert 'id="work-approvals"' in page.content.decode()
    assert login(personas.pendamping).get(HOME).context["approvals"] == []


@pytest.mark.parametrize("name", ["admin", "auditor", "mitra", "pimpinan", "datin"])
def test_my_work_for_roles_without_cases(personas, login, name):
    _case(personas)
    response = login(getattr(personas, name)).get(HOME)
    assert response.status_code == 200
    assert response.context["works_on_cases"] is False
    assert 'id="work-overdue"' not in response.content.decode()


def _queries(client, url, at, budget):
    """Queries of one request at `at`, after a first one warmed the session; at most `budget`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(at, tick=False):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    assert len(captured) <= budget, [q["sql"][:120] for q in captured]
    return len(captured), response


def test_my_work_query_budget(personas, login):
    client = login(personas.petugas)
    _case(personas)
    at = START + 7 * H
    few, _response = _queries(client, HOME, at, 18)  # 16 + the intake home: reports, cases at intake
    for _ in range(6):
        case = _case(personas)
        case_assign(actor=personas.kepala, case=case, user=personas.petugas, team_role="lead")
    many, response = _queries(client, HOME, at, few)
    assert len(response.context["overdue"]) == 7 and many == few


# --- the unit board ------------------------------------------------------------------------------


def test_the_board_shows_an_overdue_deadline_once_the_clock_moves_past_it(personas, login):
    case = _case(personas, risk="tinggi", channel="datang_langsung")  # first response due in 1 h
    _give_to_pendamping(personas, case)
    client = login(personas.kepala)
    with time_machine.travel(START + 30 * dt.timedelta(minutes=1), tick=False):
        response = client.get(BOARD)
    assert response.status_code == 200 and response.context["overdue"] == []
    with time_machine.travel(START + 2 * H, tick=False):
        response = client.get(BOARD)
    overdue = response.context["overdue"]
    assert [(d.case, d.kind) for d in overdue] == [(case, "first_response")]
    assert overdue[0].person_user == personas.pendamping  # no one named: the lead answers for it
    assert response.context["overdue_by_person"] == [{"user": personas.pendamping, "count": 1}]
    page = response.content.decode()
    assert case.registration_number in page and 'id="board-overdue"' in page
    assert VICTIM_NAME.split()[0] not in page


def test_the_boards_overdue_list_gives_its_total_and_says_when_it_is_cut(personas, login, monkeypatch):
    from sinergi.workspace import board

    monkeypatch.setattr(board, "LIST_LIMIT", 1)
    for _ in range(2):
        _case(personas, risk="tinggi", channel="datang_langsung")
    with time_machine.travel(START + 2 * H, tick=False):
        page = login(personas.kepala).get(BOARD).content.decode()
    part = page.split('id="board-overdue"')[1].split("</section>")[0]
    assert "(2)" in part.split("</h2>")[0]
    assert part.count("<li") == 1 and "Menampilkan 1 yang pertama" in part and "?overdue=on" in part


def test_the_board_counts_open_cases_by_step(personas, login):
    _case(personas)
    second = _case(personas)
    second.step = "asesmen"
    second.save(update_fields=["step"])
    steps = {s["step"]: s["count"] for s in login(personas.kepala).get(BOARD).context["steps"]}
    assert steps["penerimaan"] == 1 and steps["asesmen"] == 1 and steps["monev"] == 0


def test_the_board_flags_high_risk_cases_without_contact(personas, login):
    quiet = _case(personas, risk="tinggi")
    busy = _case(personas, risk="tinggi")
    _case(personas, risk="rendah")
    UnitWorkSettings.objects.create(unit=personas.orgs.unit, no_contact_days=5)
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        audit_record(
            actor=personas.petugas, action="note.add", object_type="case", object_id=busy.public_id, case=busy
        )
        audit_record(
            actor=personas.petugas,
            action="case.view",
            object_type="case",
            object_id=quiet.public_id,
            case=quiet,
        )
        response = login(personas.kepala).get(BOARD)
    assert [c.pk for c in response.context["no_contact"]] == [quiet.pk]
    assert response.context["no_contact_days"] == 5


def test_the_board_hides_other_units(personas, login):
    case = _case(personas, risk="tinggi")
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        response = login(personas.kepala_luar).get(BOARD)
    assert response.status_code == 200
    assert response.context["overdue"] == [] and response.context["no_contact"] == []
    assert case.registration_number not in response.content.decode()


@pytest.mark.parametrize("name", ["petugas", "pendamping", "admin", "datin", "pimpinan", "mitra", "auditor"])
def test_the_board_refuses_without_permission(personas, login, name):
    assert login(getattr(personas, name)).get(BOARD).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", details__permission="deadline.board").exists()


def test_the_board_query_budget(personas, login):
    client = login(personas.kepala)
    _give_to_pendamping(personas, _case(personas, risk="tinggi"))
    at = START + dt.timedelta(days=9)
    few, _response = _queries(client, BOARD, at, 23)  # +1: the protection clocks
    for _ in range(6):
        case = _case(personas, risk="tinggi")
        _give_to_pendamping(personas, case)
    many, response = _queries(client, BOARD, at, few)
    # first response, complaint follow-up and assessment of 7 cases
    assert len(response.context["overdue"]) == 21
    assert len(response.context["no_contact"]) == 7 and many == few


# --- clock settings ------------------------------------------------------------------------------


def _policy_post(client, **changes):
    form = client.get(POLICY).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return client.post(POLICY, data)


def test_the_kepala_sets_the_units_clocks(personas, login):
    client = login(personas.kepala)
    response = client.get(POLICY)
    assert response.status_code == 200 and 'data-kind="tpks_police_report"' in response.content.decode()
    response = _policy_post(
        client, first_response__tinggi__amount=2, assessment__semua__warning="12", no_contact_days=10
    )
    assert response.status_code == 302
    rows = {(p.kind, p.risk): (p.amount, p.time_unit, p.warning_minutes) for p in ClockPolicy.objects.all()}
    assert rows == {("first_response", "tinggi"): (2, "hours", 15), ("assessment", ""): (7, "days", 720)}
    assert UnitWorkSettings.objects.get(unit=personas.orgs.unit).no_contact_days == 10
    # Saving the defaults back removes the unit's own rows.
    _policy_post(client, first_response__tinggi__amount=1, assessment__semua__warning="48")
    assert not ClockPolicy.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tpks_police_report__semua__amount": 96}, "tpks_police_report__semua__amount"),
        (
            {"tpks_police_report__semua__unit": "working_days", "tpks_police_report__semua__amount": 3},
            "tpks_police_report__semua__unit",
        ),
        ({"shelter_stay__semua__amount": 10}, "shelter_stay__semua__amount"),
        ({"outreach__semua__amount": 0}, "outreach__semua__amount"),
        ({"outreach__semua__amount": 20000}, "outreach__semua__amount"),  # > 7 days of minutes
        ({"outreach__semua__warning": "12"}, "outreach__semua__warning"),
        ({"no_contact_days": 0}, "no_contact_days"),
    ],
)
def test_the_settings_refuse_bad_values(personas, login, changes, field):
    response = _policy_post(login(personas.kepala), **changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ClockPolicy.objects.exists()


def test_the_settings_are_per_unit(personas, login):
    _policy_post(login(personas.kepala_luar), review__semua__amount=1)
    assert ClockPolicy.objects.get().unit == personas.orgs.other_unit
    assert login(personas.kepala).get(POLICY).context["form"]["review__semua__amount"].value() == 3


# --- extending a deadline ------------------------------------------------------------------------


def _extend_url(deadline):
    return reverse("workspace:extend", args=[deadline.public_id])


def test_the_case_team_extends_a_deadline_with_a_reason(personas, login):
    case = _case(personas)
    _give_to_pendamping(personas, case)
    clock = Deadline.objects.get(case=case, kind="assessment")
    client = login(personas.pendamping)
    assert client.get(_extend_url(clock)).status_code == 200
    response = client.post(_extend_url(clock), {"due_at": "2026-03-12T09:00", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(
        _extend_url(clock), {"due_at": "2026-03-12T09:00", "reason": "Korban dirawat di rumah sakit"}
    )
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_at == wib(2026, 3, 12, 9, 0)
    assert DeadlineExtension.objects.get(deadline=clock).actor == personas.pendamping
    refused = AuditEvent.objects.filter(action="deadline.extend", outcome="denied", case_id=case.public_id)
    assert not refused.exists()  # the form stopped the empty reason before the service


def test_an_earlier_time_is_refused_and_audited(personas, login):
    case = _case(personas)
    clock = Deadline.objects.get(case=case, kind="assessment")
    response = login(personas.kepala).post(
        _extend_url(clock), {"due_at": "2026-03-03T09:00", "reason": "Alasan yang cukup panjang"}
    )
    assert response.status_code == 200 and "due_at" in response.context["form"].errors
    assert AuditEvent.objects.filter(
        action="deadline.extend", outcome="denied", case_id=case.public_id
    ).exists()


@pytest.mark.parametrize("name", ["pendamping_lain", "orang_luar", "kepala_luar"])
def test_extending_hides_from_outsiders(personas, login, name):
    case = _case(personas)
    clock = Deadline.objects.get(case=case, kind="assessment")
    assert login(getattr(personas, name)).get(_extend_url(clock)).status_code == 404
    denial = AuditEvent.objects.get(action="deadline.view", outcome="denied", actor_username=name)
    assert denial.case_id == case.public_id


# --- the case list filter and the case panel ------------------------------------------------------


def test_the_case_list_filters_cases_with_an_overdue_deadline(personas, login):
    late = _case(personas)
    with time_machine.travel(START + 3 * H, tick=False):
        fresh = register_case(personas.petugas, victims=[victim(VICTIM_NAME)])
    client = login(personas.kepala)
    with time_machine.travel(START + 7 * H, tick=False):
        response = client.get(reverse("cases:list"), {"overdue": "on"})
    assert [c.pk for c in response.context["page"]] == [late.pk]
    assert fresh.pk not in [c.pk for c in response.context["page"]]
    assert "overdue" in AuditEvent.objects.filter(action="case.search").latest("id").details["filters"]


def _clocks_panel(user, case, request):
    # The case page computes the clocks (the panel's template queries nothing).
    clocks = case_clocks(case, may_extend=can_edit_case(user, case))
    return Template('{% include "deadlines/_case_panel.html" %}').render(
        Context({"case": case, "case_clocks": clocks, "user": user, "request": request})
    )


def test_the_case_panel_lists_the_clocks(personas, rf):
    case = _case(personas, risk="tinggi", channel="telepon")
    request = rf.get("/")
    request.user = personas.petugas
    html = _clocks_panel(personas.petugas, case, request)
    for kind in ("first_response", "outreach", "assessment"):
        assert f'data-kind="{kind}"' in html
    assert (
        reverse("workspace:extend", args=[Deadline.objects.get(case=case, kind="outreach").public_id]) in html
    )
    html = _clocks_panel(personas.datin, case, request)
    assert "perpanjang" not in html


def test_the_kepalas_home_counts_the_units_overdue_deadlines(personas, login):
    _case(personas)
    with time_machine.travel(START + 7 * H, tick=False):
        response = login(personas.kepala).get(HOME)
        assert response.context["unit_overdue"] == 1
        assert 'id="work-unit-overdue"' in response.content.decode()
        assert login(personas.kepala_luar).get(HOME).context["unit_overdue"] == 0
        assert login(personas.petugas).get(HOME).context["unit_overdue"] == 0


def test_clocks_without_a_case_show_to_the_units_intake_officers(personas, login):
    from sinergi.deadlines.services import deadline_start
    from sinergi.workspace.mywork import subject_link

    deadline_start(
        kind="first_response",
        unit=personas.orgs.unit,
        subject=personas.pendamping_lain,
        started_at=START,
        risk="tinggi",
    )
    with time_machine.travel(START + 2 * H, tick=False):
        assert [d.kind for d in login(personas.petugas).get(HOME).context["overdue"]] == ["first_response"]
        assert [d.kind for d in login(personas.kepala).get(HOME).context["overdue"]] == ["first_response"]
        assert login(personas.psikolog).get(HOME).context["overdue"] == []  # does not register intake
        assert login(personas.kepala_luar).get(HOME).context["overdue"] == []
    report_clock = Deadline(subject_type="portal.report", subject_id="abcDEF123")
    assert subject_link(report_clock) == reverse("portal:report_detail", args=["abcDEF123"])
