"""Coordination journey (issue 6): the head of unit schedules a case conference inviting the police
and the hospital, puts a case on the agenda by its code, records minutes, a decision and an action
item for the hospital; the hospital's focal point sees only that item on the board and marks it
done; the head downloads the meeting pack (a PDF).

Elements are found by id, name and CSS class; the texts checked are data typed in the journey or
case codes, so the check holds in either language.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.accounts.models import Organisation
from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson
from sinergi.coordination.models import ActionItem, Meeting

from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.e2e

MEETING_URL = re.compile(r"/rapat/([^/?#]+)/$")
TITLE = "Konferensi kasus anak — uji perjalanan"
DECISION = "RSUD melakukan pemeriksaan lanjutan dan mengirim hasilnya ke UPTD."
TASK = "Pemeriksaan kesehatan lanjutan dan laporan hasil"
MINUTES = "Rapat dibuka pukul 09.00 oleh Kepala UPTD. Semua undangan hadir."


def test_case_conference_with_an_action_item_for_the_hospital(page, new_page, browser_errors, log_in, demo):
    polres = Organisation.objects.get(pk=demo.orgs["polres"].pk)
    rsud = Organisation.objects.get(pk=demo.orgs["rsud"].pk)
    case = Case.objects.get(registration_number="DEMO-1376-2026-0001")
    victim_names = [p.name for p in CasePerson.objects.filter(case=case, role="korban")]
    assert victim_names

    # The head of unit schedules the case conference.
    log_in(page, "kepala")
    page.goto("/rapat/baru/")
    assert_no_serious_violations(page, "the meeting form")
    page.locator("#id_kind").select_option("konferensi_kasus")
    page.locator("#id_title").fill(TITLE)
    starts = timezone.localtime() + dt.timedelta(days=2)
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT09:00"))
    page.locator("#id_place").fill("Ruang rapat UPTD PPA")
    page.locator(f'input[name="organisations"][value="{polres.pk}"]').check()
    page.locator(f'input[name="organisations"][value="{rsud.pk}"]').check()
    page.locator("main form.meeting-form button[type=submit]").click()
    expect(page).to_have_url(MEETING_URL)
    meeting_url = page.url

    # The case goes on the agenda by its code.
    page.locator("#id_agenda-topic").fill("Rencana layanan kesehatan dan hukum")
    page.locator("#id_agenda-case_code").fill(case.pseudonym)
    page.locator("main form.agenda-form button[type=submit]").click()
    expect(page.locator("#agenda")).to_contain_text(case.pseudonym)

    # Minutes and a decision.
    page.locator("#id_minutes").fill(MINUTES)
    page.locator("main form.minutes-form button[type=submit]").click()
    expect(page.locator("#minutes")).to_contain_text("Rapat dibuka pukul 09.00")
    page.locator("#id_text").fill(DECISION)
    page.locator("main form.decision-form button[type=submit]").click()
    expect(page.locator("#decisions")).to_contain_text("pemeriksaan lanjutan")

    # An action item for the hospital, tied to the decision and the case.
    page.locator("#id_description").fill(TASK)
    page.locator("#id_assignee_organisation").select_option(str(rsud.pk))
    page.locator("#id_due_date").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.locator("#id_case_code").fill(case.pseudonym)
    page.locator("#id_decision").select_option(index=1)
    page.locator("main form.item-form button[type=submit]").click()
    expect(page.locator("table.action-items")).to_contain_text(TASK)

    assert_no_serious_violations(page, "the meeting page")
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.participants.count() == 2
    item = ActionItem.objects.get(meeting=meeting)
    assert item.assignee_organisation_id == rsud.pk and item.decision is not None

    # The hospital's focal point sees its item (and the case code only) and marks it done.
    rsud_page = new_page()
    browser_errors.attach(rsud_page)
    log_in(rsud_page, "rsud")
    rsud_page.goto("/tindak-lanjut/")
    row = rsud_page.locator(f'tr[data-item="{item.public_id}"]')
    expect(row).to_contain_text(case.pseudonym)
    expect(rsud_page.locator("table.action-items tbody tr")).to_have_count(1)
    assert_no_serious_violations(rsud_page, "the action item board")
    row.locator("a").first.click()
    rsud_page.locator("#id_status").select_option("selesai")
    rsud_page.locator("#id_progress_note").fill("Pemeriksaan selesai; hasil dikirim ke UPTD.")
    rsud_page.locator("main form.item-update-form button[type=submit]").click()
    expect(rsud_page.locator("#item-progress")).to_contain_text("hasil dikirim")
    item.refresh_from_db()
    assert item.status == "selesai"
    # The police were invited to the meeting, but the hospital's item is not theirs.
    # (Its page is not watched for console errors: the 404 it gets is the point.)
    polres_page = new_page()
    log_in(polres_page, "polres")
    response = polres_page.goto(f"/tindak-lanjut/{item.public_id}/")
    assert response.status == 404

    # The head downloads the meeting pack.
    page.goto(meeting_url)
    with page.expect_download(timeout=30_000) as download_info:  # WeasyPrint takes a moment
        page.locator("#meeting-pack").click()
    download = download_info.value
    assert download.suggested_filename.startswith("paket-rapat-")
    with open(download.path(), "rb") as f:
        content = f.read()
    assert content.startswith(b"%PDF")
    for name in victim_names:
        assert name.encode() not in content
    assert AuditEvent.objects.filter(action="meeting.pack_download", actor_username="kepala").exists()
