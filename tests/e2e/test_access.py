"""Access journeys: a partner sees only what was referred to it, refusals reach the unit's head,
and a province head's break-glass is shown on the case and notified.

Uses the demo data (sinergi.demo.accounts): three cases of UPTD PPA Kota Payakumbuh — 0001
referred to the police (chronology shared), 0002 referred to the hospital, 0003 restricted.
"""

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from sinergi.accounts.models import User
from sinergi.cases.models import Case
from sinergi.referrals.models import Referral

pytestmark = pytest.mark.e2e

CASE_REFERRED_TO_POLICE = "DEMO-1376-2026-0001"
CASE_REFERRED_TO_HOSPITAL = "DEMO-1376-2026-0002"
BREAK_GLASS_REASON = "Korban menghubungi provinsi pada malam hari; kepala UPTD kota tidak dapat dihubungi."


def shown_as(username):
    """How the pages name a demo account: full name and position."""
    return User.objects.get(username=username).name_and_position


def demo_case(registration_number):
    return Case.objects.get(registration_number=registration_number)


@contextmanager
def refused_document_load(page, browser_errors, status):
    """Navigate to a page the server answers with `status`, as the test expects.

    Chromium logs every 4xx document load as a console error ("Failed to load resource: the server
    responded with a status of 403"), which the harness turns into a failure at the end of the
    test. Only that one message is taken back out of the collector; any other error stays.
    """
    refusal = f"status of {status}"
    before = len(browser_errors.messages)
    with page.expect_console_message(lambda m: m.type == "error" and refusal in m.text):
        yield
    # The harness's listener was attached first, so it has already recorded the message.
    new = browser_errors.messages[before:]
    del browser_errors.messages[before:]
    browser_errors.messages.extend(m for m in new if refusal not in m)


def log_out(page):
    page.locator('header form[action="/akun/logout/"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/akun/login/"))


def partner_tries_a_case_it_was_not_sent(page, browser_errors, case):
    """A partner opening a case URL directly gets the plain 404 page, as for any hidden object."""
    with refused_document_load(page, browser_errors, 404):
        response = page.goto(f"/kasus/{case.public_id}/")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("404")
    expect(page.locator("main")).not_to_contain_text(case.pseudonym)


def filter_audit_by_user(page, username):
    page.locator('nav.main-nav a[href="/audit/"]').click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
    page.locator("#id_user").fill(username)
    page.locator("main form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/audit/\?.*user={username}"))
    return page.locator("main table tbody tr")


def test_partner_sees_only_its_referral_and_no_case(page, log_in, browser_errors):
    police_case = demo_case(CASE_REFERRED_TO_POLICE)
    hospital_case = demo_case(CASE_REFERRED_TO_HOSPITAL)
    referral = Referral.objects.get(case=police_case)

    log_in(page, "polres")
    # A partner's menu has its referrals, and no cases.
    expect(page.locator('nav.main-nav a[href="/kasus/"]')).to_have_count(0)
    page.locator('nav.main-nav a[href="/rujukan/"]').click()
    expect(page).to_have_url(re.compile(r"/rujukan/$"))
    # The inbox has a table per state (new, overdue, in service, closed); one referral in all.
    rows = page.locator("main table tbody tr:has(a)")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(police_case.pseudonym)
    expect(page.locator("main")).not_to_contain_text(hospital_case.pseudonym)

    rows.first.get_by_role("link", name=police_case.pseudonym).click()
    expect(page).to_have_url(re.compile(rf"/rujukan/{referral.public_id}/$"))
    expect(page.locator("h1")).to_contain_text(police_case.pseudonym)
    shared = page.locator('section[aria-labelledby="shared-heading"]')
    expect(shared).to_be_visible()
    # The case code, and the one section the sender chose to share: the chronology.
    expect(shared.locator("li")).to_have_count(2)
    expect(shared.locator("li").nth(1)).to_have_text(re.compile(r"kronologi|chronology", re.IGNORECASE))
    # What was shared is listed by name only; the registration number never reaches the partner.
    expect(page.locator("main")).not_to_contain_text(CASE_REFERRED_TO_POLICE)

    partner_tries_a_case_it_was_not_sent(page, browser_errors, hospital_case)

    page.goto("/")
    log_out(page)
    log_in(page, "kepala")
    rows = filter_audit_by_user(page, "polres")
    # The partner opened a referral of the unit's case: that shows in the unit's audit trail.
    opened = rows.filter(has=page.locator("code", has_text="referral.view"))
    expect(opened).to_have_count(1)
    expect(opened).to_have_class(re.compile(r"\boutcome-ok\b"))
    expect(opened).to_contain_text(police_case.public_id)


def test_kepala_sees_a_partners_refused_attempt_on_a_case(page, log_in, browser_errors):
    hospital_case = demo_case(CASE_REFERRED_TO_HOSPITAL)

    log_in(page, "polres")
    partner_tries_a_case_it_was_not_sent(page, browser_errors, hospital_case)
    page.goto("/")
    log_out(page)

    log_in(page, "kepala")
    rows = filter_audit_by_user(page, "polres")
    expect(rows.and_(page.locator("tr.outcome-denied"))).to_have_count(1, timeout=2_000)

    page.goto(f"/kasus/{hospital_case.public_id}/")
    panel = page.locator('section[aria-labelledby="access-heading"]')
    # People by full name and position (docs/audit.md).
    expect(panel).to_contain_text(shown_as("polres"), timeout=2_000)


def confirm_password(page, password):
    """Break-glass asks for the password again: a login alone does not count (security.py)."""
    expect(page).to_have_url(re.compile(r"/akun/reauthenticate/\?next="))
    page.locator("#id_password").fill(password)
    page.locator('main form[action="/akun/reauthenticate/"] button[type="submit"]').click()


def test_province_head_breaks_the_glass_and_the_unit_head_is_told(page, log_in, demo, live_server):
    case = demo_case(CASE_REFERRED_TO_POLICE)

    log_in(page, "kepala_sumbar")
    page.locator('nav.main-nav a[href="/kasus/"]').click()
    expect(page).to_have_url(re.compile(r"/kasus/$"))
    # The province head sees no case of the city's unit in the list...
    expect(page.locator("main")).not_to_contain_text(case.pseudonym)
    # ...and gets one only through emergency access, with a password and a written reason.
    page.locator('main a[href="/kasus/akses-darurat/"]').click()
    confirm_password(page, demo.password)
    expect(page).to_have_url(re.compile(r"/kasus/akses-darurat/$"))
    page.locator("#id_reference").fill(CASE_REFERRED_TO_POLICE)
    page.locator("#id_reason").fill(BREAK_GLASS_REASON)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/kasus/{case.public_id}/")
    banner = page.locator("main .notice.warn")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(shown_as("kepala_sumbar"))
    expect(page.locator("h1")).to_contain_text(case.pseudonym)

    log_out(page)
    log_in(page, "kepala")
    bell = page.locator('nav.main-nav a[href="/notifikasi/"]')
    expect(bell.locator(".badge")).to_be_visible()
    expect(bell.locator(".badge")).to_have_text(re.compile(r"^\s*1\b"))
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifikasi/$"))
    notification = page.locator("main .notification-list li.unread")
    expect(notification).to_have_count(1)
    expect(notification).to_contain_text(case.pseudonym)
    expect(notification).to_contain_text(shown_as("kepala_sumbar"))

    notification.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/kasus/{case.public_id}/")
    expect(page.locator("main .notice.warn")).to_contain_text(shown_as("kepala_sumbar"))
