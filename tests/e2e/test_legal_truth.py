"""Legal truth per victim (issue 13's journey): a mother (beaten) and her daughter of 12 (raped) by
the father, recorded with PKDRT only. The daughter's incident is TPKS, derived with its reason;
mediation is refused; the 3×24 h police-report clock runs; the mother's incident is not TPKS; the
SIMFONI export has one row per victim with the relationship of that pair; the GBVIMS table counts
two incidents.

The browser does the officer's work and reads the case and mediation pages; the export and the
GBVIMS table are then read from the same functions their pages use (in this process, as the live
server runs here), since their cells are suppressed below 5 on screen.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.cases.models import Case, CasePerson
from sinergi.deadlines.models import Deadline
from sinergi.reports import aggregates, simfoni
from sinergi.reports.gbvims import gbvims_incidents

from .helpers import add_person, register_submit

pytestmark = pytest.mark.e2e

MOTHER = "Rina Marlina"
GIRL = "Putri Ayu"
FATHER = "Bambang Sutrisno"
CASE_URL = re.compile(r"/kasus/([^/?#]+)/(?:#.*)?$")


def submit(page):
    page.locator("main form.case-form button[type=submit]").click()


def birth_date_of_a_twelve_year_old():
    today = timezone.localdate()
    return dt.date(today.year - 13, today.month, 1) + dt.timedelta(days=40)


def classify(page, public_id, victim, *, pkdrt, gbvims):
    url = f"/kasus/{public_id}/klasifikasi/{victim.public_id}/"
    page.goto(url)
    page.locator(f'input[name="pkdrt_types"][value="{pkdrt}"]').check()
    page.locator('input[name="gbvims_gbv"][value="ya"]').check()
    for key, answer in gbvims.items():
        page.locator(f'input[name="gbvims_{key}"][value="{"ya" if answer else "tidak"}"]').check()
    submit(page)
    expect(page).to_have_url(re.compile(rf"/kasus/{public_id}/#classification$"))


def year_incidents(unit):
    """The GBVIMS table's incidents of this year (before small-cell suppression)."""
    today = timezone.localdate()
    period = aggregates.Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    return gbvims_incidents(aggregates.Scope.of([unit], period, consented=True))


def statistics_consent(page, public_id, victim, *, guardian=""):
    """The victim's consent to non-identifiable statistics (a child's by her grandmother)."""
    page.goto(f"/kasus/{public_id}/persetujuan/")
    page.locator("#id_victim").select_option(victim.public_id)
    page.locator("#id_purpose").select_option("statistik")
    page.locator("#id_lawful_basis").select_option("consent")
    if guardian:
        page.locator("#id_given_by").select_option("wali")
        page.locator("#id_guardian_name").fill(guardian)
        page.locator("#id_guardian_partner_of_perpetrator").select_option("0")
        page.locator("#id_child_assent").select_option("setuju")
    else:
        page.locator("#id_given_by").select_option("korban")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/kasus/{public_id}/#consents$"))


def test_a_mother_and_her_daughter_are_two_incidents_and_the_daughters_is_tpks(page, log_in):
    log_in(page, "petugas")
    unit = get_user_model().objects.get(username="petugas").organisation
    incidents_before = year_incidents(unit)
    page.goto("/kasus/baru/")
    page.locator("#id_channel").select_option("datang_langsung")
    page.locator("#id_summary").fill("Ibu dipukul suaminya; anak perempuannya diperkosa ayahnya.")
    page.locator("#id_korban-0-name").fill(MOTHER)
    page.locator("#id_korban-0-sex").select_option("perempuan")
    page.locator("#id_korban-0-age_years").fill("36")
    add_person(page, "korban")
    page.locator("#id_korban-1-name").fill(GIRL)
    page.locator("#id_korban-1-sex").select_option("perempuan")
    page.locator("#id_korban-1-birth_date").fill(birth_date_of_a_twelve_year_old().isoformat())
    add_person(page, "pelaku")
    page.locator("#id_pelaku-0-name").fill(FATHER)
    page.locator("#id_pelaku-0-sex").select_option("laki_laki")
    page.locator("#id_pelaku-0-age_years").fill("41")
    page.locator("#id_pelaku-0-relationship").select_option("suami_istri")
    page.locator("#id_pelaku-0-relationship_2").select_option("orang_tua")
    page.locator("#id_case_type").select_option("ampk")
    page.locator("#id_risk").select_option("sedang")
    page.locator("#id_jurisdiction").select_option("kab_kota")
    register_submit(page)
    expect(page).to_have_url(CASE_URL)
    public_id = CASE_URL.search(page.url).group(1)
    case = Case.objects.get(public_id=public_id)
    victims = {p.name: p for p in CasePerson.objects.filter(case=case, role="korban")}
    mother, girl = victims[MOTHER], victims[GIRL]
    assert (girl.age_at_incident, girl.is_child) == (12, True)

    # PKDRT only: no TPKS offence is ticked for either of them.
    classify(
        page,
        public_id,
        mother,
        pkdrt="fisik",
        gbvims={"penetration": False, "sexual_contact": False, "physical_assault": True},
    )
    classify(page, public_id, girl, pkdrt="seksual", gbvims={"penetration": True})

    # The daughter's incident is TPKS, derived, with the article; the mother's is not.
    expect(page.locator(f"#incident-{girl.public_id} [data-tpks]")).to_have_attribute("data-tpks", "ya")
    expect(page.locator(f"#incident-{girl.public_id} [data-tpks]")).to_contain_text("UU TPKS Ps 4(2)(h)")
    expect(page.locator(f"#incident-{mother.public_id} [data-tpks]")).to_have_attribute("data-tpks", "tidak")
    expect(page.locator('main ul.flags [data-flag="tpks_no_mediation"]')).to_be_visible()
    for victim in (mother, girl):
        victim.refresh_from_db()
        assert victim.tpks_offences == []

    # The police-report clock runs for the case.
    clock = Deadline.objects.get(case=case, kind="tpks_police_report", status="open")
    assert clock.due_at - clock.started_at == dt.timedelta(hours=72)

    # Mediation is refused: the page says why and a submission opens nothing.
    page.goto(f"/kasus/{public_id}/layanan/mediasi/baru/")
    expect(page.locator("main")).to_contain_text("Ps 23")
    assert not case.mediations.exists()

    # SIMFONI: one row per victim, the relationship of that pair.
    today = timezone.localdate()
    victims = simfoni.victims_in_period([case.unit], today - dt.timedelta(days=1), today)
    by_victim = {victim.pk: values for victim, values, _fp in simfoni.records(victims.filter(case=case))}
    assert (by_victim[mother.pk]["hubungan_pelaku"], by_victim[girl.pk]["hubungan_pelaku"]) == (
        ["suami_istri"],
        ["orang_tua"],
    )
    assert len(by_victim) == 2
    assert (by_victim[mother.pk]["tpks"], by_victim[girl.pk]["tpks"]) == ("tidak", "ya")

    # GBVIMS (statistics count only victims who consented to them): two incidents.
    statistics_consent(page, public_id, mother)
    statistics_consent(page, public_id, girl, guardian="Nenek Rosmaini")
    # Two incidents, one per survivor (a rape and a physical assault).
    incidents = year_incidents(unit)
    new = sorted(incidents, key=str)
    for old in incidents_before:
        new.remove(old)
    assert sorted(t for t, _month, _contexts in new) == ["physical_assault", "rape"]
    contexts = {t: set(c) for t, _month, c in new}
    assert "intimate_partner_violence" in contexts["physical_assault"]
    assert "child_sexual_abuse" in contexts["rape"]
