"""The cascading region picker: htmx loads each level under the strict CSP, and the choice is saved."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.cases.models import Case

from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.e2e


def test_kepala_picks_a_kelurahan_through_the_cascade(page, log_in):
    case = Case.objects.get(registration_number="DEMO-1376-2026-0002")
    log_in(page, "kepala")
    page.goto(f"/kasus/{case.public_id}/kejadian/")
    page.select_option("#id_incident_region", "")  # the Payakumbuh list and the picker exclude each other
    page.select_option("#id_elsewhere_province", "13")
    # Only Payakumbuh's kecamatan and kelurahan are loaded in the demo (load_regions adds the rest).
    expect(page.locator('#id_elsewhere_regency option[value="13.76"]')).to_have_count(1)
    page.select_option("#id_elsewhere_regency", "13.76")
    expect(page.locator('#id_elsewhere_district option[value="13.76.02"]')).to_have_count(1)
    page.select_option("#id_elsewhere_district", "13.76.02")
    expect(page.locator('#id_elsewhere_village option[value="13.76.02.1002"]')).to_have_count(1)
    page.select_option("#id_elsewhere_village", "13.76.02.1002")
    page.locator("form.case-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kasus/{case.public_id}/"))
    case.refresh_from_db()
    assert case.incident_region_id == "13.76.02.1002"  # Napar, Payakumbuh Utara


def test_a_home_address_gets_the_same_picker(page, log_in):
    case = Case.objects.get(registration_number="DEMO-1376-2026-0002")
    victim = case.persons.filter(role="korban").first()
    log_in(page, "kepala")
    page.goto(f"/kasus/{case.public_id}/orang/{victim.public_id}/")
    assert_no_serious_violations(page, "the person form with the region picker")
    page.select_option("#id_elsewhere_province", "13")
    expect(page.locator('#id_elsewhere_regency option[value="13.76"]')).to_have_count(1)
    page.select_option("#id_elsewhere_regency", "13.76")
    expect(page.locator('#id_elsewhere_district option[value="13.76.05"]')).to_have_count(1)
    page.select_option("#id_elsewhere_district", "13.76.05")
    page.locator("#id_region").fill("")
    page.locator("form.case-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kasus/{case.public_id}/"))
    victim.refresh_from_db()
    assert victim.region_id == "13.76.05"  # Payakumbuh Selatan

    page.goto(f"/kasus/{case.public_id}/orang/{victim.public_id}/")
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_no_serious_violations(page, "the person form with the region picker in English")
