"""The case page on a phone (issue 14 item 5), at 360 px.

The summary comes first (code, victims' initials and ages, risk, flags, next deadline, next
action); the sections below are accordions: the ones with something in them open, the empty ones
folded; no table is wider than the screen (rows stack under 600 px); axe finds no serious or
critical violation in Indonesian and in English.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.accounts.models import User
from sinergi.cases import workflow
from sinergi.cases.choices import PersonRole
from sinergi.cases.record import consent_record
from sinergi.interventions.services import service_record
from sinergi.testing.cases import register_case, victim

from .test_case_management import accessible
from .test_role_homes import PHONE, no_horizontal_scroll, phone  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def screens(page):
    return page.evaluate("document.documentElement.scrollHeight / window.innerHeight")


@pytest.fixture
def busy_case(demo):
    """A high-risk case of two victims (one a child), a perpetrator, a reporter, a consent and a
    service: the case page with something in most sections."""
    petugas = User.objects.get(username="petugas")
    pendamping = User.objects.get(username="pendamping")
    kepala = User.objects.get(username="kepala")
    case = register_case(
        petugas,
        risk="tinggi",
        reported_at=timezone.now() - dt.timedelta(minutes=40),
        victims=[victim("Rina Wati Putri", age_years=12, sex="perempuan"), victim("Sari Dewi", age_years=34)],
        perpetrators=[{"name": "Budi", "sex": "laki_laki", "age_years": 40, "relationship": "orang_tua"}],
        reporter={"name": "Tetangga Baik", "reporter_kind": "tetangga"},
        summary="Ringkas",
        chronology="Kronologi yang panjang. " * 20,
    )
    workflow.case_set_lead(actor=kepala, case=case, user=pendamping)
    adult = case.persons.filter(role=PersonRole.KORBAN).order_by("id")[1]
    consent_record(actor=pendamping, case=case, victim=adult, purpose="layanan")
    service_record(
        actor=pendamping,
        case=case,
        victim=adult,
        uptd_service="pendampingan",
        category="kesehatan",
        status="diberikan",
        date=timezone.localdate(),
        provider_name="Puskesmas Payakumbuh",
        emergency=True,
    )
    return case


def test_the_case_page_fits_a_phone_summary_first(phone, busy_case):  # noqa: F811
    page = phone("pendamping")
    page.goto(f"/kasus/{busy_case.public_id}/")
    summary = page.locator("main #case-summary")
    expect(summary).to_be_visible()
    # The summary is the first thing of the page: above every section.
    first = page.evaluate(
        "[...document.querySelectorAll('main > *')].findIndex(e => e.id === 'case-summary')"
        " < [...document.querySelectorAll('main > *')].findIndex(e => e.matches('details.case-section'))"
    )
    assert first
    expect(summary.locator("[data-summary-victim]")).to_have_count(2)
    expect(summary).to_contain_text("R.W.P.")
    expect(summary).to_contain_text("12")
    expect(summary.locator('[data-flag="high_risk"]')).to_be_visible()
    expect(summary.locator("[data-summary-deadline]")).to_be_visible()
    expect(summary.locator("a#case-next-action")).to_be_visible()

    # Only the case management is open; the other sections fold, their titles say what they hold.
    expect(page.locator("main details#section-workflow")).to_have_attribute("open", "")
    folded = page.locator("main details.case-section:not([open])")
    expect(folded).to_have_count(7)
    before = screens(page)
    print(f"case page at 360 px, sections folded: {before:.1f} screens")  # noqa: T201 (docs/case-record.md)
    expect(page.locator("main #section-persons > summary .section-count")).to_have_text("(4)")
    expect(page.locator("main #section-documents > summary .section-empty")).to_be_visible()
    expect(page.locator("main #persons")).to_be_hidden()
    page.locator("main details#section-persons > summary").click()
    expect(page.locator("main #persons")).to_be_visible()

    # The next action opens the first-contact form of the workflow section.
    page.locator("main a#case-next-action").click()
    expect(page.locator("main #workflow form.first-contact")).to_be_visible()

    # Everything unfolded: still no sideways scroll, every table's rows stacked inside the screen.
    for _i in range(folded.count()):
        folded.first.locator("> summary").click()
    expect(page.locator("main details.case-section:not([open])")).to_have_count(0)
    no_horizontal_scroll(page, "the case page")
    # Every table cell fits inside the screen (stacked rows, no scroll container needed).
    widest = page.evaluate(
        "Math.max(0, ...[...document.querySelectorAll('main table')].map(t => t.scrollWidth))"
    )
    assert widest <= PHONE["width"], f"a table is {widest}px wide at 360 px"
    print(f"case page at 360 px, every section open: {screens(page):.1f} screens")  # noqa: T201
    accessible(page, "the case page on a phone (sections open)")

    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main #case-summary")).to_be_visible()
    no_horizontal_scroll(page, "the case page in English")
    accessible(page, "the case page on a phone in English (sections folded)")
    for _i in range(page.locator("main details.case-section:not([open])").count()):
        page.locator("main details.case-section:not([open])").first.locator("> summary").click()
    accessible(page, "the case page on a phone in English (sections open)")
