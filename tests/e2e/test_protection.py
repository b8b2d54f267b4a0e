"""Protection journey (issue 16): a high-risk TPKS victim; the lead records the police's 14-day
temporary protection, makes the safety plan and prints the survivor's copy; on day 13 the kepala's
board warns that the protection ends; a breach is recorded and the case turns high risk with an
alert to the kepala.

The live server runs in this process, so `time_machine` moves its clock too; the jump of 13 days
outlives any session, so both sign in again on day 13.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.accounts.models import User
from sinergi.cases import workflow
from sinergi.cases.models import Case, ProtectionMeasure, SafetyPlan
from sinergi.cases.record import case_register
from sinergi.deadlines.models import Deadline
from sinergi.testing.cases import classify

from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.e2e

NAME = "Sekarwangi Tirtaningsih"


def _high_risk_tpks_case():
    petugas = User.objects.get(username="petugas", is_demo=True)
    kepala = User.objects.get(username="kepala", is_demo=True)
    pendamping = User.objects.get(username="pendamping", is_demo=True)
    case = case_register(
        actor=petugas,
        victims=[{"name": NAME, "sex": "perempuan", "age_years": 27}],
        channel="datang_langsung",
        case_type="ktp",
        risk="tinggi",
        reported_at=timezone.now() - dt.timedelta(hours=2),
    )
    workflow.case_set_lead(actor=kepala, case=case, user=pendamping)
    return classify(actor=pendamping, case=Case.objects.get(pk=case.pk), tpks_offences=["pelecehan_fisik"])


def test_protection_safety_plan_day_13_warning_and_a_breach(page, new_page, log_in, demo):
    case = _high_risk_tpks_case()
    code = case.registration_number
    assert Deadline.objects.get(case=case, kind="protection_request").status == "open"
    log_in(page, "pendamping")
    page.goto(f"/kasus/{case.public_id}/")
    expect(page.locator("#section-protection")).to_have_attribute("open", "")  # a plan is needed
    page.locator("#protection-link").click()
    expect(page).to_have_url(re.compile(rf"/kasus/{case.public_id}/perlindungan/$"))
    expect(page.locator('[data-clock="protection_request"]')).to_be_visible()
    expect(page.locator('[data-flag="safety_plan_missing"]')).to_be_visible()
    assert_no_serious_violations(page, "the protection page")

    # The police gave temporary protection today for 14 days.
    today = timezone.localdate()
    page.locator("#protection-add-1").click()
    page.locator("#id_kind").select_option("polisi_tpks")
    page.locator("#id_status").select_option("diberikan")
    page.locator("#id_requested_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_issuer_name").fill("Polres Payakumbuh Unit PPA")
    page.locator("#id_given_on").fill(today.isoformat())
    # First too long: 15 days is refused with the reason, and nothing is saved.
    page.locator("#id_until").fill((today + dt.timedelta(days=15)).isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .field-error").first).to_contain_text("14")
    assert not ProtectionMeasure.objects.filter(case=case).exists()
    page.locator("#id_until").fill((today + dt.timedelta(days=14)).isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kasus/{case.public_id}/perlindungan/$"))
    expect(page.locator("[data-measure]")).to_have_count(1)
    assert Deadline.objects.get(case=case, kind="protection_request").status == "met"

    # The safety plan, made with her.
    page.locator("#safety-plan-make-1").click()
    page.locator("#id_risks").fill("Pelaku tinggal dua rumah dari rumahnya.")
    page.locator("#id_safe_contacts").fill("Kakak perempuan")
    page.locator("#id_code_word").fill("Mangga muda")
    page.locator("#id_review_on").fill((today + dt.timedelta(days=14)).isoformat())
    page.locator("#id_actions-0-what").fill("Simpan nomor SAPA 129 di ponsel")
    page.locator("#id_actions-0-who").fill("Korban")
    page.locator("#id_actions-0-when").fill("Hari ini")
    assert_no_serious_violations(page, "the safety plan form")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kasus/{case.public_id}/perlindungan/$"))
    assert SafetyPlan.objects.filter(case=case).count() == 1

    # The survivor's copy: plain Indonesian, no name, no case code.
    page.locator("#safety-plan-print-1").click()
    expect(page.locator("h1")).to_have_text("Rencana keselamatan saya")
    expect(page.locator("main")).to_contain_text("Mangga muda")
    expect(page.locator("body")).not_to_contain_text(NAME)
    expect(page.locator("body")).not_to_contain_text(code)
    expect(page.locator("body")).not_to_contain_text(case.pseudonym)

    # Day 13: the kepala's board warns that the protection ends.
    with time_machine.travel(timezone.now() + dt.timedelta(days=13), tick=True):
        kepala = new_page()
        log_in(kepala, "kepala")
        kepala.goto("/kerja/papan/")
        board = kepala.locator("#board-protection")
        expect(board).to_contain_text(code)
        expect(board.locator('[data-state="due_soon"]').first).to_be_visible()
        expect(kepala.locator("main")).not_to_contain_text(NAME)
        assert_no_serious_violations(kepala, "the board with a protection ending")

    # Meanwhile the risk was re-evaluated as medium; then the perpetrator breaks the protection.
    pendamping = User.objects.get(username="pendamping", is_demo=True)
    victim = case.persons.get(role="korban")
    workflow.assessment_save(
        actor=pendamping,
        case=Case.objects.get(pk=case.pk),
        victim=victim,
        complete=True,
        risk="sedang",
        safety="Aman sementara.",
    )
    assert Case.objects.get(pk=case.pk).risk == "sedang"
    page = new_page()
    log_in(page, "pendamping")  # a new day, a new session
    page.goto(f"/kasus/{case.public_id}/perlindungan/")
    page.locator("#breach-add-1").click()
    page.locator("#id_measure").select_option(index=1)
    page.locator("#id_occurred_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_description").fill("Pelaku datang ke rumah dan mengancam.")
    page.locator("#id_reported_to_police").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-breach]")).to_have_count(1)
    page.goto(f"/kasus/{case.public_id}/")
    expect(page.locator('[data-flag="high_risk"]')).to_be_visible()
    assert Case.objects.get(pk=case.pk).risk == "tinggi"

    kepala = new_page()
    log_in(kepala, "kepala")
    kepala.goto("/notifikasi/")
    expect(kepala.locator("main")).to_contain_text(code)
    expect(kepala.locator("main")).not_to_contain_text(NAME)
