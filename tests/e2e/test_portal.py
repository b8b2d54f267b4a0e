"""Public portal journey on a cheap phone's screen (360 px): an anonymous "danger now" report, its
code and PIN, the status page; the intake officer sees it first in the queue and verifies it into
a case; the reporter then reads `diproses`; the quick exit leaves no public page in the tab's
history. Plus axe on every public page.

Elements are found by id, name and URL, so the checks hold whether or not the catalogue has the
portal's Indonesian texts yet.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from sinergi.cases.models import Case
from sinergi.notifications.models import Notification
from sinergi.portal.models import Report

from .helpers import BrowserErrors

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - depends on the environment
    Axe = None
    if os.environ.get("CI"):
        raise

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
PUBLIC_PATHS = ("/bantuan/", "/lapor/", "/lacak/", "/lacak/status/", "/aman/")
NARRATIVE = "Tetangga kami memukul istrinya malam ini, anak-anak menangis dan dia mengancam dengan pisau."
CASE_URL = re.compile(r"/kasus/([^/?#]+)/(?:#.*)?$")


# A refused form is answered 400 (or 429), which chromium logs as a failed resource load.
FORM_REFUSAL = re.compile(r"Failed to load resource: the server responded with a status of (400|429)")


@pytest.fixture
def phone(new_page):
    """A page in a phone-sized browser; browser errors (CSP violations) fail the test."""
    errors = BrowserErrors()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    errors.attach(page)
    yield page
    real = [m for m in errors.messages if not FORM_REFUSAL.search(m)]
    assert not real, "\n".join(real)


def history_urls(page):
    """Every URL in the tab's session history (the Navigation API lists this origin's entries;
    history.length counts all of them, so nothing of another origin hides in between)."""
    urls = page.evaluate("() => navigation.entries().map((e) => e.url)")
    others = page.evaluate("() => history.length") - len(urls)
    assert others in (0, 1), urls
    if others:
        # Before ours: the blank page every new tab starts on. Step onto it to be sure.
        page.evaluate("() => navigation.traverseTo(navigation.entries()[0].key).finished")
        page.go_back()
        assert page.url == "about:blank", page.url
        urls.insert(0, page.url)
    return urls


def is_public_page(url):
    return any(path in url for path in PUBLIC_PATHS)


def send_danger_now_report(page):
    page.goto("/bantuan/")
    page.locator('main a[href="/lapor/"]').first.click()
    expect(page).to_have_url(re.compile(r"/lapor/$"))
    page.locator('input[name="reporter_relation"][value="other"]').check()
    page.locator('input[name="danger_now"][value="ya"]').check()
    page.locator("#id_narrative").fill(NARRATIVE)
    page.locator('input[name="harm_types"][value="fisik"]').check()
    page.locator("#id_victim_age_group").select_option("18-59")
    # "Do not contact me" is the default: an anonymous report.
    expect(page.locator('input[name="contact_method"][value="none"]')).to_be_checked()
    page.locator("form.report-form button[type=submit]").click()
    code = page.locator("#tracking-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$"))
    return code.inner_text(), page.locator("#tracking-pin").inner_text()


def open_status(page, code, pin):
    page.locator('main a[href="/lacak/"]').first.click()
    expect(page).to_have_url(re.compile(r"/lacak/$"))
    page.locator("#id_code").fill(code)
    page.locator("#id_pin").fill(pin)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/lacak/status/$"))


def test_report_track_verify_and_quick_exit(phone, new_page, log_in, live_server):
    from sinergi.portal.selectors import portal_unit
    from sinergi.portal.services import report_submit

    unit = portal_unit()
    assert unit is not None and unit.short_name == "UPTD PPA Payakumbuh"
    # An older, calmer report is already waiting: the urgent one must still come first.
    report_submit(
        unit=unit,
        idempotency_key=None,
        reporter_relation="self",
        narrative="Saya ingin konsultasi tentang hak asuh anak.",
        anonymous=True,
    )

    # --- the reporter, on a phone --------------------------------------------------------------
    code, pin = send_danger_now_report(phone)
    assert re.fullmatch(r"\d{6}", pin)
    report = Report.objects.get(tracking_code=code.replace("-", ""))
    assert report.danger_now and report.anonymous and report.contact_detail == ""
    assert Notification.objects.filter(kind="portal.danger_now", recipient__username="petugas").exists()
    assert code not in phone.url and pin not in phone.url

    open_status(phone, code, pin)
    expect(phone.locator("#report-status")).to_have_attribute("data-status", "menunggu")
    assert code.replace("-", "") not in phone.url

    # --- the intake officer -------------------------------------------------------------------
    officer = new_page()
    log_in(officer, "petugas")
    officer.goto("/pengaduan/")
    first_row = officer.locator("table.queue tbody tr").first
    expect(first_row).to_have_class(re.compile(r"\bdanger-now\b"))
    expect(first_row.locator("td").first).to_have_text(code)
    first_row.locator("a").first.click()
    expect(officer.locator("main")).to_contain_text(NARRATIVE)
    officer.locator(f'main a[href="/pengaduan/{report.public_id}/jadikan-kasus/"]').click()
    expect(officer.locator("#id_risk")).to_have_value("tinggi")
    officer.locator("main form button[type=submit]").click()
    expect(officer).to_have_url(CASE_URL)
    case = Case.objects.get(public_id=CASE_URL.search(officer.url).group(1))
    assert (case.channel, case.risk, case.chronology) == ("daring", "tinggi", NARRATIVE)
    report.refresh_from_db()
    assert report.case == case and report.status == "diproses"

    # --- the reporter sees the change, then leaves quickly ----------------------------------------
    phone.reload()
    expect(phone.locator("#report-status")).to_have_attribute("data-status", "diproses")
    phone.keyboard.press("Escape")
    expect(phone).to_have_url(re.compile(r"/keluar/$"))
    expect(phone.locator("h1")).to_contain_text("Resep")

    urls = history_urls(phone)
    assert not [u for u in urls if is_public_page(u)], f"public pages left in the history: {urls}"
    # Nor can the status page be reopened from the session.
    phone.goto("/lacak/status/")
    expect(phone).to_have_url(re.compile(r"/lacak/$"))


def test_quick_exit_button_without_keyboard(phone):
    phone.goto("/aman/")
    phone.locator('main a[href="/bantuan/"], header a[href="/bantuan/"]').first.click()
    expect(phone).to_have_url(re.compile(r"/bantuan/$"))
    phone.locator("a[data-quick-exit]").click()
    expect(phone).to_have_url(re.compile(r"/keluar/$"))
    urls = history_urls(phone)
    assert not [u for u in urls if is_public_page(u)], urls


def test_the_report_form_works_without_javascript(new_page, demo):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/lapor/")
    page.locator('input[name="reporter_relation"][value="self"]').check()
    page.locator("#id_narrative").fill("Saya dikurung di rumah oleh suami saya.")
    page.locator("form.report-form button[type=submit]").click()
    expect(page.locator("#tracking-code")).to_be_visible()
    # The quick exit is a plain link to the neutral page.
    page.locator("a[data-quick-exit]").click()
    expect(page).to_have_url(re.compile(r"/keluar/$"))


def test_a_mistake_keeps_what_was_typed(phone, demo):
    phone.goto("/lapor/")
    phone.locator("#id_narrative").fill("Teks yang tidak boleh hilang.")
    phone.locator('input[name="contact_method"][value="telepon"]').check()
    phone.locator("form.report-form button[type=submit]").click()
    expect(phone.locator("#form-errors")).to_be_visible()
    expect(phone.locator("#id_narrative")).to_have_value("Teks yang tidak boleh hilang.")
    expect(phone.locator('input[name="contact_method"][value="telepon"]')).to_be_checked()
    assert not Report.objects.exists()


# --- accessibility -----------------------------------------------------------------------------------


def assert_no_serious_violations(page, what):
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    report = "\n".join(
        f"  - {v['id']} ({v['impact']}): {v['help']} — {', '.join(t for n in v['nodes'] for t in n['target'])}"
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical violations on {what}:\n{report}"


@pytest.mark.skipif(Axe is None, reason="axe-playwright-python is not installed")
def test_every_public_page_is_accessible(phone, demo):
    for path in ("/bantuan/", "/lapor/", "/lacak/", "/aman/", "/keluar/"):
        phone.goto(path)
        assert_no_serious_violations(phone, path)

    phone.goto("/lapor/")
    phone.locator("form.report-form button[type=submit]").click()
    expect(phone.locator("#form-errors")).to_be_visible()
    assert_no_serious_violations(phone, "the report form showing errors")

    phone.locator('input[name="reporter_relation"][value="self"]').check()
    phone.locator("#id_narrative").fill("Saya butuh bantuan.")
    phone.locator("form.report-form button[type=submit]").click()
    code = phone.locator("#tracking-code").inner_text()
    pin = phone.locator("#tracking-pin").inner_text()
    assert_no_serious_violations(phone, "the receipt with the code and PIN")

    phone.goto("/lacak/")
    phone.locator("#id_code").fill(code)
    phone.locator("#id_pin").fill("000000")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#form-errors")).to_be_visible()
    assert_no_serious_violations(phone, "the tracking form showing an error")
    phone.locator("#id_pin").fill(pin)
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#report-status")).to_be_visible()
    assert_no_serious_violations(phone, "the status page")

    phone.locator("form.language-switch button[value=en]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert_no_serious_violations(phone, "the status page in English")
