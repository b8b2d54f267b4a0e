"""Intake in a few screens: the walk-in case of the case-record journey (two victims, the father of
one and husband of the other) registered on a 360 × 740 phone in at most three screens of scrolling,
the error summary focused and linked to its fields, the no-JavaScript "add a victim" keeping what was
typed, and no serious or critical axe violation in both languages."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.cases.models import Case

from .test_accessibility import assert_no_serious_violations
from .test_case_record import ADULT_VICTIM, CASE_URL, FATHER, GIRL, birth_date_of_a_nine_year_old

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
MAX_SCREENS = 3


class Taps:
    """Counts what the officer does: each field filled or chosen and each button pressed."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def fill(self, selector, value):
        self.count += 1
        self.page.locator(selector).fill(value)

    def choose(self, selector, value):
        self.count += 1
        self.page.locator(selector).select_option(value)

    def press(self, selector):
        self.count += 1
        self.page.locator(selector).click()


def screens(page):
    return page.evaluate("document.documentElement.scrollHeight") / PHONE["height"]


def test_the_walk_in_case_takes_at_most_three_screens(new_page, log_in, browser_errors):
    page = new_page(viewport=PHONE)
    browser_errors.attach(page)
    log_in(page, "petugas")
    page.goto("/kasus/baru/")
    # Only SAPA 129 reports are asked for a ticket; the perpetrator forms open on demand.
    expect(page.locator("#id_sapa_ticket")).to_be_hidden()
    expect(page.locator("#id_pelaku-0-name")).to_be_hidden()
    expect(page.locator("#id_korban-1-name")).to_be_hidden()
    assert_no_serious_violations(page, "the registration page")
    controls = page.locator("#register-form").locator(
        "input:visible, select:visible, textarea:visible, button:visible"
    )
    print(f"\nvisible controls on a new registration page: {controls.count()}")
    page.locator("#id_channel").select_option("sapa129")
    expect(page.locator("#id_sapa_ticket")).to_be_visible()

    taps = Taps(page)
    # The required screening comes first.
    taps.choose("#id_channel", "datang_langsung")
    expect(page.locator("#id_sapa_ticket")).to_be_hidden()
    taps.choose("#id_case_type", "ampk")
    taps.choose("#id_risk", "sedang")
    taps.choose("#id_jurisdiction", "kab_kota")
    taps.fill(
        "#id_summary", "Ibu datang bersama anaknya; anak bercerita tentang kekerasan seksual oleh ayahnya."
    )
    taps.fill("#id_korban-0-name", ADULT_VICTIM)
    taps.choose("#id_korban-0-sex", "perempuan")
    taps.fill("#id_korban-0-age_years", "34")
    taps.press('#register-form button[data-add="korban"]')
    expect(page.locator("#id_korban-1-name")).to_be_focused()
    taps.fill("#id_korban-1-name", GIRL)
    taps.choose("#id_korban-1-sex", "perempuan")
    taps.fill("#id_korban-1-birth_date", birth_date_of_a_nine_year_old().isoformat())
    taps.press('#register-form button[data-add="pelaku"]')
    # The second victim opened the perpetrator's relationship to her; there is no third one.
    expect(page.locator("#id_pelaku-0-relationship_2")).to_be_visible()
    expect(page.locator("#id_pelaku-0-relationship_3")).to_be_hidden()
    taps.fill("#id_pelaku-0-name", FATHER)
    taps.choose("#id_pelaku-0-sex", "laki_laki")
    taps.fill("#id_pelaku-0-age_years", "41")
    taps.choose("#id_pelaku-0-relationship", "suami_istri")
    taps.choose("#id_pelaku-0-relationship_2", "orang_tua")
    filled = screens(page)
    taps.press("#register-form button.primary")

    expect(page).to_have_url(CASE_URL)
    case = Case.objects.get(public_id=CASE_URL.search(page.url).group(1))
    assert case.persons.filter(role="korban").count() == 2
    assert case.persons.filter(role="pelaku").count() == 1
    print(f"\nwalk-in registration: {filled:.2f} screens at 360x740, {taps.count} taps")
    assert filled <= MAX_SCREENS, f"{filled:.2f} screens"


def test_the_error_summary_takes_focus_and_links_to_each_field(page, log_in):
    log_in(page, "petugas")
    for language in ("id", "en"):
        page.goto("/kasus/baru/")
        if language == "en":
            page.get_by_role("button", name="English", exact=True).click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        page.locator("#id_channel").select_option("datang_langsung")
        page.locator("#register-form button.primary").click()

        summary = page.locator("#error-summary")
        expect(page.locator("#error-summary-heading")).to_be_focused()
        links = summary.locator("a")
        assert links.count() >= 3  # case type, risk, what happened
        expect(summary.locator('a[href="#id_risk"]')).to_have_count(1)
        summary.locator('a[href="#id_risk"]').click()
        expect(page.locator("#id_risk")).to_be_focused()
        assert_no_serious_violations(page, f"the registration page with errors ({language})")


def test_without_javascript_adding_a_victim_keeps_what_was_typed(new_page, log_in):
    page = new_page(java_script_enabled=False)
    log_in(page, "petugas")
    page.goto("/kasus/baru/")
    page.locator("#id_channel").select_option("datang_langsung")
    page.locator("#id_summary").fill("Datang sendiri.")
    page.locator("#id_korban-0-name").fill(ADULT_VICTIM)
    page.locator('#register-form button[data-add="korban"]').click()
    expect(page.locator("#id_korban-1-name")).to_be_visible()
    expect(page.locator("#id_korban-0-name")).to_have_value(ADULT_VICTIM)
    expect(page.locator("#id_summary")).to_have_value("Datang sendiri.")
    expect(page.locator("#id_channel")).to_have_value("datang_langsung")
    expect(page.locator("#error-summary")).to_have_count(0)  # nothing was submitted yet
    expect(page.locator("#id_pelaku-0-name")).to_be_hidden()
    assert re.search(r"/kasus/baru/$", page.url)


def test_enter_in_a_field_registers_and_never_adds_a_person(page, log_in):
    log_in(page, "petugas")
    page.goto("/kasus/baru/")
    page.locator("#id_korban-0-name").fill(ADULT_VICTIM)
    page.locator("#id_korban-0-name").press("Enter")
    # The form was sent (the summary lists the missing screening); no second victim was opened.
    expect(page.locator("#error-summary-heading")).to_be_focused()
    expect(page.locator("#id_korban-1-name")).to_be_hidden()
    expect(page.locator("#id_korban-0-name")).to_have_value(ADULT_VICTIM)
