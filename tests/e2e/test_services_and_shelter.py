"""Services journey: a high-risk TPKS case gets an emergency shelter bed at once (before any
assessment), shows on the occupancy board by its code, has its stay extended (refused without a
reason first), is refused mediation, and its police report stops the TPKS 3×24 h clock.

Texts the server renders are compared through the same translation catalogue it uses, so the
checks hold whether or not a message has been translated yet.
"""

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from sinergi.deadlines.models import Deadline
from sinergi.interventions.models import ShelterStay

pytestmark = pytest.mark.e2e

MEDIATION_REFUSED = (
    "Mediation is not allowed: this is a sexual violence (TPKS) case and the perpetrator is not a "
    "child (UU 12/2022 TPKS Ps 23). The case goes through the criminal process."
)
REASON = "Pelaku masih mencari korban di sekitar rumah"


def in_indonesian(msgid):
    with translation.override("id"):
        return translation.gettext(msgid)


def submit(page):
    page.locator("main form.case-form button[type=submit]").click()


def high_risk_tpks_case():
    from sinergi.accounts.models import User
    from sinergi.cases.record import case_register
    from sinergi.testing.cases import classify

    pendamping = User.objects.get(username="pendamping")
    case = case_register(
        actor=pendamping,
        channel="datang_langsung",
        case_type="ktp",
        risk="tinggi",
        victims=[{"name": "Dewi Lestari", "sex": "perempuan", "age_years": 27}],
        perpetrators=[{"name": "Hendra Saputra", "sex": "laki_laki", "age_years": 35}],
    )
    return classify(actor=pendamping, case=case, version=case.version, tpks_offences=["perkosaan"])


def test_emergency_shelter_extension_refused_mediation_and_police_report(page, log_in, demo):
    case = high_risk_tpks_case()
    victim = case.persons.get(role="korban")
    perpetrator = case.persons.get(role="pelaku")
    services_url = f"/kasus/{case.public_id}/layanan/"
    log_in(page, "pendamping")

    # Emergency shelter at once: no assessment yet.
    page.goto(services_url)
    page.locator(f'main #shelter a[href="{services_url}penampungan/masuk/"]').click()
    page.locator("#id_victim").select_option(victim.public_id)
    page.locator("#id_shelter").select_option(index=1)
    page.locator('input[name="criteria"][value="nyawa_terancam"]').check()
    page.locator('input[name="criteria"][value="pelaku_kejam"]').check()
    page.locator("#id_emergency").check()
    submit(page)
    expect(page).to_have_url(re.compile(rf"{re.escape(services_url)}#shelter$"))
    expect(page.locator("main #shelter li[data-stay]")).to_have_count(1)
    stay = ShelterStay.objects.get(case=case)
    assert stay.emergency and stay.criteria == ["nyawa_terancam", "pelaku_kejam"]

    # The board shows the bed taken by the case's code, not the victim's name.
    page.goto("/penampungan/")
    row = page.locator(f'main tr[data-bed="{stay.bed.public_id}"]')
    expect(row).to_contain_text(case.pseudonym)
    expect(page.locator("main")).not_to_contain_text("Dewi Lestari")

    # An extension without a reason is refused; with one it moves the end of the stay.
    page.goto(f"{services_url}penampungan/{stay.public_id}/perpanjang/")
    submit(page)
    expect(page.locator("#id_reason_error")).to_be_visible()
    page.locator("#id_reason").fill(REASON)
    submit(page)
    expect(page).to_have_url(re.compile(rf"{re.escape(services_url)}#shelter$"))
    expect(page.locator("main #shelter")).to_contain_text(REASON)

    # Mediation in a TPKS case with an adult perpetrator is refused.
    page.goto(f"{services_url}mediasi/baru/")
    for box in page.locator('input[name="parties"]').all():
        box.check()
    page.locator("#id_matter").select_option("nafkah")
    submit(page)
    expect(page.locator("main .form-errors")).to_contain_text(in_indonesian(MEDIATION_REFUSED))

    # The police report stops the TPKS 3×24 h clock.
    page.goto(f"{services_url}hukum/baru/")
    page.locator("#id_perpetrator").select_option(perpetrator.public_id)
    page.locator("#id_stage").select_option("laporan_polisi")
    page.locator("#id_occurred_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_reference").fill("LP/B/45/XI/2026")
    submit(page)
    expect(page).to_have_url(re.compile(rf"{re.escape(services_url)}#legal$"))
    expect(page.locator('main #legal li[data-stage="laporan_polisi"]')).to_contain_text("LP/B/45/XI/2026")
    assert Deadline.objects.get(case=case, kind="tpks_police_report").status == "met"


def test_services_pages_are_accessible(page, log_in, demo):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    from sinergi.interventions.models import Shelter

    case = high_risk_tpks_case()
    log_in(page, "pendamping")
    shelter = Shelter.objects.filter(unit__name="UPTD PPA Kota Payakumbuh").first()
    for url in (
        f"/kasus/{case.public_id}/layanan/",
        f"/kasus/{case.public_id}/layanan/penampungan/masuk/",
        f"/kasus/{case.public_id}/layanan/pendampingan/baru/",
        "/penampungan/",
    ):
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        results = axe.Axe().run(page)
        blocking = [v["id"] for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
        assert not blocking, f"{url}: {blocking}"
    assert shelter is not None
