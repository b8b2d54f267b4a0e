"""The "danger now" alarm in the browser: a reporter on a phone says someone is in danger now; the
intake officer and the kepala get a red banner at the top of every page (the report's code, the
minutes left, one-tap actions), a case worker does not; the officer takes it with one tap and lands
on the number to call; the banner is gone for both, and the queue says who took it.
"""

import re

import pytest
from playwright.sync_api import expect

from sinergi.audit.models import AuditEvent
from sinergi.portal.models import Report

from .test_portal import assert_no_serious_violations, phone, send_danger_now_report  # noqa: F401

pytestmark = pytest.mark.e2e

BANNER = ".danger-alarms"


def test_danger_now_rings_until_someone_takes_it(phone, new_page, log_in, live_server):  # noqa: F811
    code, _pin = send_danger_now_report(phone)
    report = Report.objects.get(tracking_code=code.replace("-", ""))

    officer = log_in(new_page(viewport={"width": 360, "height": 740}, is_mobile=True), "petugas")
    kepala = log_in(new_page(), "kepala")
    worker = log_in(new_page(), "pendamping")

    for page, path in ((officer, "/"), (officer, "/kasus/"), (kepala, "/"), (kepala, "/notifikasi/")):
        page.goto(path)
        banner = page.locator(BANNER)
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(f"Bahaya sekarang: laporan {code}")
        expect(banner).to_contain_text(re.compile(r"\d+ menit lagi"))
        # It is the first thing on the page, above the header.
        assert page.evaluate("() => document.querySelector('.danger-alarms').getBoundingClientRect().top") < 5
    assert_no_serious_violations(officer, "a page with the danger-now banner")
    worker.goto("/")
    expect(worker.locator(BANNER)).to_have_count(0)

    # The queue and the notification say it the same way.
    kepala.goto("/pengaduan/")
    expect(kepala.locator("table.queue tbody tr").first).to_contain_text("belum diambil")
    kepala.goto("/notifikasi/")
    expect(kepala.locator("main")).to_contain_text(f"Bahaya sekarang: laporan {code}")

    # One tap: taken, and the officer is on the report with the contact in view. The reporter of
    # this journey chose no contact (anonymous), so the banner offered outreach and registering.
    officer.goto("/")
    expect(officer.locator(BANNER).get_by_role("button", name="Ambil & telepon")).to_have_count(0)
    officer.locator(BANNER).get_by_role("button", name="Ambil & jangkau").click()
    expect(officer).to_have_url(re.compile(rf"/pengaduan/{report.public_id}/#tempat$"))
    expect(officer.locator(BANNER)).to_have_count(0)
    expect(officer.locator("main")).to_contain_text("Diambil oleh")
    assert AuditEvent.objects.filter(action="portal.report.take", object_id=report.public_id).count() == 1

    kepala.goto("/")
    expect(kepala.locator(BANNER)).to_have_count(0)
    kepala.goto("/pengaduan/")
    expect(kepala.locator("table.queue tbody tr").first).to_contain_text("diambil oleh")
