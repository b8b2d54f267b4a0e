"""A home page per role at 360 px (issue 14 item 4) and "work moves the case" (item 7).

Each role's home fits a cheap phone's screen (no horizontal scroll), shows its one primary button
and has no serious or critical axe violation in Indonesian and in English. The work journey: the
case worker records the first contact on a phone, the case leaves intake and the first-response
clock stops; the completed assessment carries the case to its plan.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.accounts.models import User
from sinergi.cases import workflow
from sinergi.cases.models import Case
from sinergi.cases.workflow import protection
from sinergi.deadlines.models import Deadline
from sinergi.testing.cases import register_case

from .test_case_management import accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


def no_horizontal_scroll(page, what):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px at 360 px"


@pytest.fixture
def phone(new_page, browser_errors, log_in):
    pages = []

    def _phone(username):
        page = new_page(viewport=PHONE, is_mobile=True)
        browser_errors.attach(page)
        pages.append(page)
        return log_in(page, username)

    yield _phone
    if browser_errors.messages:
        pytest.fail("The browser reported errors:\n" + "\n".join(browser_errors.messages), pytrace=False)


@pytest.mark.parametrize(
    ("username", "section"),
    [
        ("petugas", "#home-reports"),
        ("pendamping", "#home-my-cases"),
        ("kepala", "#home-no-lead"),
        ("polres", "#home-referrals"),
        ("pimpinan", "#home-headlines"),
    ],
)
def test_each_roles_home_fits_a_phone_and_is_accessible(phone, username, section):
    page = phone(username)
    expect(page.locator(section)).to_be_visible()
    primary = page.locator("main #home-primary")
    expect(primary).to_be_visible()
    expect(page.locator("main a.button.primary")).to_have_count(1)
    no_horizontal_scroll(page, f"the home of {username}")
    accessible(page, f"the home of {username}")

    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(section)).to_be_visible()
    no_horizontal_scroll(page, f"the home of {username} in English")
    accessible(page, f"the home of {username} in English")


def test_work_moves_the_case_on_a_phone(phone, demo):
    petugas = User.objects.get(username="petugas")
    pendamping = User.objects.get(username="pendamping")
    kepala = User.objects.get(username="kepala")
    case = register_case(petugas, risk="tinggi", reported_at=timezone.now() - dt.timedelta(minutes=40))
    workflow.case_set_lead(actor=kepala, case=case, user=pendamping)
    case_url = f"/kasus/{case.public_id}/"

    page = phone("pendamping")
    # The case worker's home lists the case, the nearest deadline first.
    expect(page.locator(f'main #home-my-cases a[href="{case_url}"]')).to_be_visible()

    page.goto(case_url)
    step = page.locator("main #workflow [data-current-step]")
    expect(step).to_have_attribute("data-current-step", "penerimaan")
    contact = page.locator("main #workflow form.first-contact")
    contacted = timezone.localtime(timezone.now() - dt.timedelta(minutes=10))
    contact.locator("#id_contact-at").fill(contacted.strftime("%Y-%m-%dT%H:%M"))
    contact.locator("#id_contact-method").select_option("telepon")
    contact.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(case_url)}#workflow$"))
    expect(step).to_have_attribute("data-current-step", "identifikasi")
    expect(page.locator('main #workflow [data-work="identifikasi"]')).to_be_visible()
    expect(page.locator("main #workflow [data-first-contact]")).to_be_visible()
    first = Deadline.objects.get(case=case, kind="first_response")
    assert first.status == "met" and timezone.localtime(first.stopped_at).strftime(
        "%H:%M"
    ) == contacted.strftime("%H:%M")
    no_horizontal_scroll(page, "the case page")
    accessible(page, "the case page after the first contact")

    # The completed assessment carries the case to its plan: no step button needed (the high-risk
    # victim's safety plan, issue 16, is made first).
    protection.safety_plan_save(
        actor=pendamping,
        case=Case.objects.get(pk=case.pk),
        victim=case.persons.get(role="korban"),
        risks="Pelaku tinggal di dekat rumah.",
        review_on=timezone.localdate() + dt.timedelta(days=14),
        actions=[{"what": "Simpan nomor SAPA 129", "who": "Korban", "when": "Hari ini"}],
    )
    page.goto(f"{case_url}asesmen/")
    page.locator("#id_victim").select_option(index=1)
    page.locator("#id_risk").select_option("tinggi")
    page.locator("#id_safety").fill("Korban aman di rumah saudara.")
    page.locator('main form.case-form button[name="complete"]').click()
    expect(page).to_have_url(re.compile(rf"{re.escape(case_url)}#workflow$"))
    expect(step).to_have_attribute("data-current-step", "rencana")
    expect(page.locator('main #workflow [data-work="asesmen"]')).to_be_visible()
    assert Case.objects.get(pk=case.pk).step == "rencana"
    no_horizontal_scroll(page, "the case page at the plan step")
