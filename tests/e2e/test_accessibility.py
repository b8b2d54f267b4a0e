"""axe-core on the pages built so far: no "serious" or "critical" violation.

axe-core's script ships inside the axe-playwright-python package (axe.min.js); nothing is fetched
at run time. The script is evaluated through the DevTools protocol, so the page's CSP stays as is.
"""

import os

import pytest
from playwright.sync_api import expect

from .helpers import submit_login

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - depends on the environment
    MISSING = (
        "axe-playwright-python is not installed: it belongs to the dev dependencies (pip install -e '.[dev]')"
    )
    if os.environ.get("CI"):
        raise ImportError(MISSING) from None
    pytest.skip(MISSING, allow_module_level=True)

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}


def assert_no_serious_violations(page, what):
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"  - {v['id']} ({v['impact']}): {v['help']} — {', '.join(t for n in v['nodes'] for t in n['target'])}"
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical violations on {what}:\n{report}"


def test_login_page_is_accessible(page, demo):
    page.goto("/akun/login/")
    expect(page.locator("#id_login")).to_be_visible()
    assert_no_serious_violations(page, "the login page")

    submit_login(page, "kepala", "bukan-kata-sandi-yang-benar")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_serious_violations(page, "the login page showing an error")


def test_email_reset_pages_are_accessible(page, demo):
    from sinergi.accounts.models import Organisation

    Organisation.objects.filter(pk=demo.orgs["uptd"].pk).update(email_password_reset=True)
    page.goto("/akun/login/")
    page.get_by_role("link", name="Atur ulang lewat surel").click()
    expect(page.locator("#id_email")).to_be_visible()
    assert_no_serious_violations(page, "the e-mail reset request page")
    page.locator("#id_email").fill("tidak-dikenal@contoh.invalid")
    page.get_by_role("button", name="Kirim tautan atur ulang").click()
    expect(page.get_by_role("heading", name="Periksa surel Anda")).to_be_visible()
    assert_no_serious_violations(page, "the e-mail reset 'check your e-mail' page")


def test_home_page_is_accessible(page, log_in):
    log_in(page)
    assert_no_serious_violations(page, "the home page")

    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_no_serious_violations(page, "the home page in English")


def test_axe_reports_a_missing_label(new_page, live_server):
    # The check above can fail: a field without its label is a "critical" violation.
    page = new_page()
    page.goto("/akun/login/")
    page.evaluate("() => document.querySelector('label[for=id_login]').remove()")
    with pytest.raises(AssertionError, match=r"label \(critical\)"):
        assert_no_serious_violations(page, "the login page without its username label")


def test_statistics_release_pages_are_accessible_in_both_languages(page, new_page, log_in):
    """The data officer's releases page, the public statistics of a release, and the leadership's
    aggregate-only dashboard (the notice, "<5" cells) pass axe in Indonesian and English."""
    log_in(page, "datin")
    page.goto("/laporan/rilis/")
    assert_no_serious_violations(page, "the statistics releases page")
    page.get_by_text("Terbitkan rilis", exact=True).click()
    page.get_by_role("button", name="Ya, terbitkan").click()
    expect(page.get_by_text("Rilis 1 telah diterbitkan.")).to_be_visible()
    assert_no_serious_violations(page, "the releases page after publishing")
    for language in ("Indonesian", "English"):
        if language == "English":
            page.get_by_role("button", name="English", exact=True).click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto("/statistik/")
        assert_no_serious_violations(page, f"the public statistics of a release ({language})")
    leadership = log_in(new_page(), "pimpinan")
    leadership.goto("/laporan/?start=2026-01-05&end=2026-01-05")
    expect(leadership.locator("#aggregate-only")).to_be_visible()
    assert_no_serious_violations(leadership, "the leadership's aggregate-only dashboard")
