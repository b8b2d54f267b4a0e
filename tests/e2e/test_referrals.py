"""Referral journey (issue 6): `pendamping` refers a victim to Polres sharing the identity but not
the chronology; `polres` logs in, sees the identity and no chronology, accepts, records the
service and completes; the case shows the whole trail; after completion (the unit's grace period
is set to 0 days for the journey) `polres` can no longer open the referral.

Elements are found by id, name and URL; no translated text is read.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.accounts.models import Organisation
from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson
from sinergi.referrals.models import Referral

pytestmark = pytest.mark.e2e

try:
    from .test_accessibility import assert_no_serious_violations
except Exception:  # noqa: BLE001 - axe is a dev dependency; without it the journey still runs

    def assert_no_serious_violations(page, what):
        return None


CASE_NUMBER = "DEMO-1376-2026-0002"  # adult victim, `pendamping` leads it (sinergi.demo.accounts)
REFERRAL_URL = re.compile(r"/kasus/[^/]+/rujukan/([^/]+)/$")
TRAIL = (
    "referral.create",
    "consent.record",
    "referral.send",
    "referral.accept",
    "referral.service",
    "referral.complete",
)


def test_refer_to_polres_accept_serve_complete_and_access_ends(page, new_page, browser_errors, log_in, demo):
    unit = demo.orgs["uptd"]
    Organisation.objects.filter(pk=unit.pk).update(referral_grace_days=0)
    case = Case.objects.get(unit=unit, registration_number=CASE_NUMBER)
    victim = CasePerson.objects.filter(case=case, role="korban").first()
    chronology = case.chronology
    assert victim.name and chronology

    # 1. The case worker drafts the referral from the case page.
    log_in(page, "pendamping")
    page.goto(f"/kasus/{case.public_id}/")
    page.locator("#referral-links a").click()
    page.locator(f'main a[href="/kasus/{case.public_id}/rujukan/baru/"]').click()
    assert_no_serious_violations(page, "the referral form")
    page.locator("#id_victim").select_option(victim.public_id)
    page.locator('input[name="services"][value="penegakan_hukum"]').check()
    page.locator("#id_to_agency").select_option(demo.orgs["polres"].public_id)
    page.locator('input[name="shared_sections"][value="identitas"]').check()
    expect(page.locator('input[name="shared_sections"][value="kronologi"]')).not_to_be_checked()
    page.locator("#referral-form button[type=submit]").click()
    expect(page).to_have_url(REFERRAL_URL)
    referral_id = REFERRAL_URL.search(page.url).group(1)

    # Sending without consent is refused, and says so.
    page.locator("#send-button").click()
    expect(page.locator("#action-error")).to_be_visible()
    expect(page.locator("#referral-status .badge")).to_have_attribute("data-status", "draft")

    # 2. Consent to this referral, then send.
    assert_no_serious_violations(page, "a draft referral refused for lack of consent")
    page.locator("#id_consent-lawful_basis").select_option("consent")
    page.locator("#id_consent-given_by").select_option("korban")
    page.locator("#consent-form button[type=submit]").click()
    expect(page.locator("#consent-recorded")).to_be_visible()
    page.locator("#send-button").click()
    expect(page.locator("#referral-status .badge")).to_have_attribute("data-status", "terkirim")

    # 3. Polres logs in: the identity is there, the chronology is not.
    polres = new_page()
    browser_errors.attach(polres)
    log_in(polres, "polres")
    polres.goto("/rujukan/")
    polres.locator(f'#inbox-section-new a[href="/rujukan/{referral_id}/"]').click()
    expect(polres.locator('[data-field="name"]')).to_have_text(victim.name)
    expect(polres.locator("#section-kronologi")).to_have_count(0)
    assert_no_serious_violations(polres, "the partner's view of a referral")
    assert chronology not in polres.content()
    assert AuditEvent.objects.filter(
        action="referral.view", actor_username="polres", object_id=referral_id
    ).exists()

    # 4. Accept, record the service, complete.
    polres.locator("#accept-button").click()
    expect(polres.locator("#referral-status .badge")).to_have_attribute("data-status", "diterima")
    polres.locator("#id_service-service").select_option("penegakan_hukum")
    polres.locator("#id_service-delivered_on").fill(timezone.localdate().isoformat())
    polres.locator("#id_service-note").fill("Laporan polisi dibuat dan BAP korban diambil.")
    polres.locator("#service-form button[type=submit]").click()
    expect(polres.locator("#referral-status .badge")).to_have_attribute("data-status", "dalam_layanan")
    polres.locator("#id_complete-outcome").select_option("terlayani")
    polres.locator("#complete-form button[type=submit]").click()
    # With no grace period the completed referral leaves the partner's view at once.
    expect(polres).to_have_url(re.compile(r"/rujukan/$"))
    assert Referral.objects.get(public_id=referral_id).status == "selesai"

    # 5. The case shows the whole trail: on the referral's page and on the case's timeline.
    page.goto(f"/kasus/{case.public_id}/rujukan/{referral_id}/")
    trail = page.locator("#trail").inner_html()
    for action in TRAIL:
        assert action in trail, action
    page.goto(f"/kasus/{case.public_id}/")
    timeline = page.locator("#timeline").inner_html()
    for action in ("referral.send", "referral.accept", "referral.complete"):
        assert action in timeline, action

    page.goto("/rujukan/mitra/")
    assert_no_serious_violations(page, "the partner directory")

    # 6. Completed and past the (zero-day) grace period: Polres can no longer open it.
    expect(polres.locator(f'a[href="/rujukan/{referral_id}/"]')).to_have_count(0)
    response = polres.context.request.get(f"/rujukan/{referral_id}/")
    assert response.status == 404
    assert AuditEvent.objects.filter(
        action="referral.view", actor_username="polres", object_id=referral_id, outcome="denied"
    ).exists()
