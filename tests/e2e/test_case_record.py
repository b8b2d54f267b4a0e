"""Case record journey: an intake officer registers a case with two victims and a perpetrator,
classifies it as TPKS, and records a child's consent, where the alleged perpetrator is not offered
and his wife is refused as the guardian.

Elements are found by name, id, CSS class and URL. Where a text must be read (the flags on the
case page, the refusal of the guardian), the expected text comes from the same translation
catalogue the live server uses (it runs in this process), so the check holds whether or not a
message has been translated yet; the flags are also read once in English.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson, Consent

from .helpers import add_person, open_section, register_submit

pytestmark = pytest.mark.e2e

ADULT_VICTIM = "Rina Marlina"
GIRL = "Putri Ayu"
FATHER = "Bambang Sutrisno"
MOTHER = "Sri Wahyuni"
GRANDMOTHER = "Nenek Rosmaini"
REGISTRATION_NUMBER = re.compile(r"PPA-1376-(\d{4})-(\d{4})")
CASE_URL = re.compile(r"/kasus/([^/?#]+)/(?:#.*)?$")

CHILD_VICTIM = "Child victim"
TPKS_NO_MEDIATION = "TPKS — mediation not allowed"
GUARDIAN_IS_PARTNER = (
    "This guardian is the spouse or partner of an alleged perpetrator and cannot consent for the "
    "child: choose another parent, relative or guardian, or record the lawful basis instead."
)


def in_indonesian(msgid):
    """The text the server renders for `msgid` in Indonesian (the msgid itself if untranslated)."""
    with translation.override("id"):
        return translation.gettext(msgid)


def birth_date_of_a_nine_year_old():
    """Ten years ago plus two months: nine years old today, whatever today is."""
    today = timezone.localdate()
    try:
        ten_years_ago = today.replace(year=today.year - 10)
    except ValueError:  # 29 February
        ten_years_ago = today.replace(year=today.year - 10, day=28)
    return ten_years_ago + dt.timedelta(days=60)


def submit(page):
    page.locator("main form.case-form button[type=submit]").click()


def flag_badges(page):
    return page.locator("main ul.flags .badge.warn")


def register_case(page):
    page.goto("/kasus/baru/")
    expect(page.locator("#id_channel")).to_be_visible()

    page.locator("#id_channel").select_option("datang_langsung")
    page.locator("#id_summary").fill(
        "Ibu datang bersama anaknya; anak bercerita tentang kekerasan seksual oleh ayahnya di rumah."
    )

    page.locator("#id_korban-0-name").fill(ADULT_VICTIM)
    page.locator("#id_korban-0-sex").select_option("perempuan")
    page.locator("#id_korban-0-age_years").fill("34")

    add_person(page, "korban")
    page.locator("#id_korban-1-name").fill(GIRL)
    page.locator("#id_korban-1-sex").select_option("perempuan")
    page.locator("#id_korban-1-birth_date").fill(birth_date_of_a_nine_year_old().isoformat())

    add_person(page, "pelaku")
    page.locator("#id_pelaku-0-name").fill(FATHER)
    page.locator("#id_pelaku-0-sex").select_option("laki_laki")
    page.locator("#id_pelaku-0-age_years").fill("41")
    # One relationship per victim: her husband, the girl's father.
    page.locator("#id_pelaku-0-relationship").select_option("suami_istri")
    page.locator("#id_pelaku-0-relationship_2").select_option("orang_tua")

    page.locator("#id_case_type").select_option("ampk")
    # Medium risk: a "high risk" flag would only crowd the flags checked below.
    page.locator("#id_risk").select_option("sedang")
    page.locator("#id_jurisdiction").select_option("kab_kota")
    register_submit(page)


def test_register_classify_and_record_a_childs_consent(page, log_in):
    log_in(page, "petugas")

    # --- register --------------------------------------------------------------------------
    register_case(page)
    expect(page).to_have_url(CASE_URL)
    public_id = CASE_URL.search(page.url).group(1)
    assert public_id not in {"baru", "akses-darurat"}, page.url

    # The summary at the top of the case page shows the registration number.
    registration = page.locator("main #case-summary [data-registration-number]")
    expect(registration).to_have_text(re.compile(rf"^\s*{REGISTRATION_NUMBER.pattern}\s*$"))
    number = REGISTRATION_NUMBER.search(registration.inner_text()).group(0)
    case = Case.objects.get(public_id=public_id)
    assert case.registration_number == number
    assert number.startswith(f"PPA-1376-{timezone.localdate(case.reported_at).year}-"), number
    assert case.channel == "datang_langsung"
    assert (case.case_type, case.risk, case.jurisdiction) == ("ampk", "sedang", "kab_kota")
    expect(page.locator("main .messages")).to_contain_text(number)

    persons = page.locator("main #persons .person-list > li:not(.muted)")
    expect(persons).to_have_count(3)  # two victims, one perpetrator, no reporter
    expect(page.locator("main #persons")).to_contain_text(GIRL)
    expect(page.locator("main #persons")).to_contain_text(FATHER)

    victims = {p.name: p for p in CasePerson.objects.filter(case=case, role="korban")}
    assert set(victims) == {ADULT_VICTIM, GIRL}
    girl = victims[GIRL]
    assert (girl.age_at_incident, girl.is_child) == (9, True)
    assert victims[ADULT_VICTIM].is_child is False
    father = CasePerson.objects.get(case=case, role="pelaku")
    relations = {r.victim.name: r.relationship for r in father.victim_relations.select_related("victim")}
    assert (father.name, relations[ADULT_VICTIM], relations[GIRL]) == (FATHER, "suami_istri", "orang_tua")

    registered = AuditEvent.objects.filter(action="case.register", object_id=public_id)
    assert registered.count() == 1
    event = registered.get()
    assert (event.actor_username, event.outcome, event.case_id) == ("petugas", "ok", public_id)
    assert (event.details["victims"], event.details["perpetrators"]) == (2, 1)
    # Audit details name counts and codes, never the people.
    assert GIRL not in str(event.details) and FATHER not in str(event.details)

    # Before classification: a child victim, and no TPKS flag yet.
    expect(flag_badges(page)).to_have_text([in_indonesian(CHILD_VICTIM)])

    # --- classify ---------------------------------------------------------------------------
    # Each victim has her own incident: the girl's is classified.
    girl_url = f"/kasus/{public_id}/klasifikasi/{girl.public_id}/"
    open_section(page, "incident")
    page.locator(f'main #classification a[href="{girl_url}"]').click()
    expect(page).to_have_url(re.compile(rf"{girl_url}$"))
    page.locator('input[name="tpks_offences"][value="seksual_anak"]').check()
    page.locator('input[name="pkdrt_types"][value="seksual"]').check()
    submit(page)

    expect(page).to_have_url(re.compile(rf"/kasus/{public_id}/#classification$"))
    expect(flag_badges(page)).to_have_text([in_indonesian(CHILD_VICTIM), in_indonesian(TPKS_NO_MEDIATION)])
    girl.refresh_from_db()
    assert (girl.tpks_offences, girl.pkdrt_types) == (["seksual_anak"], ["seksual"])

    # The same flags in English.
    page.locator("form.language-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(flag_badges(page)).to_have_text([CHILD_VICTIM, TPKS_NO_MEDIATION])
    page.locator("form.language-switch button[value=id]").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")

    # --- consent: neither the father nor his wife may consent for his daughter --------------
    open_section(page, "persons")
    page.locator(f'main #consents a[href="/kasus/{public_id}/persetujuan/"]').click()
    expect(page).to_have_url(re.compile(rf"/kasus/{public_id}/persetujuan/$"))
    guardian = page.locator("#id_guardian")
    # The alleged perpetrator is not even offered.
    expect(guardian.locator(f'option[value="{father.public_id}"]')).to_have_count(0)
    page.locator("#id_victim").select_option(girl.public_id)
    page.locator("#id_purpose").select_option("layanan")
    page.locator("#id_lawful_basis").select_option("consent")
    page.locator("#id_given_by").select_option("wali")
    # The girl's mother, named as a new guardian, is the perpetrator's wife.
    page.locator("#id_guardian_name").fill(MOTHER)
    page.locator("#id_guardian_partner_of_perpetrator").select_option("1")
    page.locator("#id_child_assent").select_option("setuju")
    submit(page)

    expect(page).to_have_url(re.compile(rf"/kasus/{public_id}/persetujuan/$"))
    expect(guardian).to_have_attribute("aria-invalid", "true")
    expect(guardian).to_have_attribute("aria-describedby", re.compile(r"\bid_guardian_error\b"))
    expect(page.locator("#id_guardian_error.field-error")).to_have_text(in_indonesian(GUARDIAN_IS_PARTNER))
    expect(page.locator("main .form-errors[role=alert]")).to_be_visible()
    # The other answers are kept, and nothing was saved (not even the new guardian).
    expect(page.locator("#id_victim")).to_have_value(girl.public_id)
    expect(page.locator("#id_given_by")).to_have_value("wali")
    expect(page.locator("#id_guardian_name")).to_have_value(MOTHER)
    assert not Consent.objects.filter(case=case).exists()
    assert not CasePerson.objects.filter(case=case, role="wali").exists()

    # Her grandmother, not tied to him, gives consent; the girl agrees.
    page.locator("#id_guardian_name").fill(GRANDMOTHER)
    page.locator("#id_guardian_partner_of_perpetrator").select_option("0")
    submit(page)

    expect(page).to_have_url(re.compile(rf"/kasus/{public_id}/#consents$"))
    consent_rows = page.locator("main #consents table tbody tr")
    expect(consent_rows).to_have_count(1)
    expect(consent_rows.first).to_contain_text(GIRL)
    expect(consent_rows.first).to_contain_text(GRANDMOTHER)
    expect(consent_rows.first).not_to_contain_text(FATHER)
    consent = Consent.objects.get(case=case)
    grandmother = CasePerson.objects.get(case=case, role="wali")
    assert (consent.victim_id, consent.guardian_id, grandmother.name) == (
        girl.pk,
        grandmother.pk,
        GRANDMOTHER,
    )
    assert consent.child_assent == "setuju"
    assert (consent.purpose, consent.lawful_basis, consent.given_by) == ("layanan", "consent", "wali")
