"""Deadlines journey (issue 5): the kepala's board shows an overdue deadline once the clock moves
past it; the intake officer sees it on "my work"; the kepala changes a clock's duration.

The live server runs in this process, so `time_machine` moves its clock too (by minutes only:
the session's idle limit is 30 minutes).
"""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import expect

from sinergi.accounts.models import User
from sinergi.cases.record import case_register
from sinergi.deadlines.models import ClockPolicy

from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.e2e


def in_indonesian(msgid):
    with translation.override("id"):
        return translation.gettext(msgid)


def _high_risk_case(minutes_ago):
    petugas = User.objects.get(username="petugas", is_demo=True)
    return case_register(
        actor=petugas,
        victims=[{"name": "Sri Wahyuni", "sex": "perempuan", "age_years": 24}],
        channel="datang_langsung",
        case_type="ktp",
        risk="tinggi",
        reported_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_the_board_shows_a_deadline_that_the_clock_moved_past(page, new_page, log_in, demo):
    case = _high_risk_case(minutes_ago=50)  # first response due in 10 minutes
    log_in(page, "kepala")
    page.goto("/kerja/papan/")
    overdue = page.locator("#board-overdue")
    expect(overdue).not_to_contain_text(case.registration_number)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15), tick=True):
        page.reload()
        expect(overdue).to_contain_text(case.registration_number)
        expect(overdue.locator('[data-state="overdue"]').first).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("Sri Wahyuni")
        assert_no_serious_violations(page, "the unit board")

        officer = new_page()
        log_in(officer, "petugas")
        expect(officer.locator("#work-overdue")).to_contain_text(case.registration_number)
        assert_no_serious_violations(officer, "my work with an overdue deadline")
        officer.locator("#work-overdue a", has_text=case.registration_number).click()
        expect(officer).to_have_url(re.compile(rf"/kasus/{case.public_id}/$"))

    page.goto("/kerja/aturan/")
    assert_no_serious_violations(page, "the deadline settings")
    page.locator("#id_first_response__tinggi__amount").fill("2")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(
        in_indonesian("Deadline settings saved. They apply to deadlines started from now on.")
    )
    assert ClockPolicy.objects.get(kind="first_response", risk="tinggi").amount == 2

    page.locator("#id_tpks_police_report__semua__amount").fill("96")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .field-error").first).to_contain_text("3×24")
