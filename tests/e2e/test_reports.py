"""Reports journey: the data officer (`datin`) imports the 2021–2023 history of Kota Payakumbuh
(12, 14 and 4 cases), sees exactly those numbers on the dashboard, downloads the SIMFONI-PPA export
and the meeting report, and the public statistics page shows the same yearly totals.

Elements are found by id and URL; the one button whose label is read (the meeting report) takes its
text from the translation catalogue the live server uses.
"""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from playwright.sync_api import expect

from sinergi import reports
from sinergi.cases.models import Case
from sinergi.reports import simfoni

pytestmark = pytest.mark.e2e

SAMPLE = Path(reports.__file__).with_name("data") / "riwayat-kasus-2021-2023.xlsx"
HISTORY = {"2021": "12", "2022": "14", "2023": "4"}
JOB_URL = re.compile(r"/laporan/unduhan/([^/]+)/$")


def in_indonesian(msgid):
    with translation.override("id"):
        return translation.gettext(msgid)


def year_cells(page, table):
    """{year: first number} of a table whose rows start with a year header."""
    found = {}
    for row in table.locator("tbody tr").all():
        year = row.locator("th").first.inner_text().strip()
        if year in HISTORY:
            found[year] = row.locator("td").first.inner_text().strip()
    return found


def test_datin_imports_the_history_and_reports_it(page, log_in, live_server, tmp_path):
    log_in(page, "datin")

    # 1. The dry run: every row checked, nothing imported yet.
    page.goto("/laporan/")
    page.locator("#link-import").click()
    expect(page).to_have_url(re.compile(r"/laporan/impor/$"))
    page.locator("#id_file").set_input_files(str(SAMPLE))
    page.locator('main form[enctype="multipart/form-data"] button[type="submit"]').click()
    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done")
    expect(page.locator("#import-new")).to_have_text("30")
    expect(page.locator("#import-errors")).to_have_text("0")
    assert not Case.objects.filter(is_historical=True).exists()

    # 2. The import, all at once.
    page.locator("#import-confirm").click()
    expect(page.locator("#import-created")).to_have_text("30")
    assert Case.objects.filter(is_historical=True).count() == 30

    # 3. The dashboard counts them by year of the report.
    page.goto("/laporan/")
    years = page.locator("#cases_by_year table")
    expect(years).to_be_visible()
    assert year_cells(page, years) == HISTORY

    # 4. The SIMFONI-PPA export: a background job, then the file (one row per victim, no names).
    page.locator("#link-simfoni-export").click()
    page.locator("#id_date_from").fill("2021-01-01")
    page.locator("#id_date_to").fill("2023-12-31")
    page.locator("#export-start").click()
    expect(page).to_have_url(JOB_URL)
    with page.expect_download() as download_info:
        page.locator("#job-download").click()
    download = download_info.value
    assert download.suggested_filename == "simfoni-20210101-20231231.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(simfoni.COLUMNS) and len(rows) == 31
    year_column = simfoni.COLUMNS.index("tahun_lapor")
    per_year = {}
    for row in rows[1:]:
        per_year[str(row[year_column])] = per_year.get(str(row[year_column]), 0) + 1
    assert {y: str(n) for y, n in per_year.items()} == HISTORY

    # 5. The meeting report (PDF) from the dashboard.
    page.goto("/laporan/?start=2021-01-01&end=2023-12-31")
    # WeasyPrint takes a few seconds on a small machine.
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name=in_indonesian("Meeting report (PDF)")).click()
    pdf = tmp_path / "rapat.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    # 6. The data officer publishes this month's release; the public page (no login needed) then
    # shows the same yearly totals, a count under five as "<5" like any published cell.
    page.goto("/statistik/")
    expect(
        page.get_by_text(
            in_indonesian(
                "No statistics have been published yet. The service unit publishes them once a month."
            )
        )
    ).to_be_visible()
    page.goto("/laporan/rilis/")
    page.get_by_text(in_indonesian("Publish the release"), exact=True).click()
    page.get_by_role("button", name=in_indonesian("Yes, publish")).click()
    expect(
        page.get_by_text(in_indonesian("Release %(number)s is published.") % {"number": 1})
    ).to_be_visible()
    page.goto("/statistik/")
    assert year_cells(
        page, page.locator("#trend-title + * table, section[aria-labelledby='trend-title'] table").first
    ) == {**HISTORY, "2023": "<5"}


def test_the_job_page_follows_a_running_job(page, log_in, settings):
    """With a real queue (nothing runs the job at once), the page polls until the job is done."""
    from sinergi.reports import jobs
    from sinergi.reports.models import ReportJob

    log_in(page, "datin")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page.goto("/laporan/ekspor/")
    page.locator("#export-start").click()
    expect(page).to_have_url(JOB_URL)
    status = page.locator("#job-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status).to_have_attribute("hx-trigger", "every 2s")
    job = ReportJob.objects.get(kind="simfoni")
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=40)
    expect(page.locator("#job-progress")).to_have_attribute("value", "40", timeout=6_000)
    ReportJob.objects.filter(pk=job.pk).update(status="queued", progress=0)
    jobs.job_run(job.public_id)
    expect(status).to_have_attribute("data-status", "done", timeout=6_000)
    expect(page.locator("#job-download")).to_be_visible()
    assert page.locator("#job-status").get_attribute("hx-trigger") is None


def test_the_import_and_export_pages_are_accessible(page, log_in, tmp_path):
    pytest.importorskip("axe_playwright_python")
    from sinergi.reports.tests.helpers import history_rows, to_csv

    from .test_accessibility import assert_no_serious_violations

    log_in(page, "datin")
    page.goto("/laporan/impor/")
    assert_no_serious_violations(page, "the import page")
    rows = history_rows({2021: 3})
    rows[1]["jenis_kekerasan"] = "pukul"
    bad = tmp_path / "salah.csv"
    bad.write_bytes(to_csv(rows))
    page.locator("#id_file").set_input_files(str(bad))
    page.locator('main form[enctype="multipart/form-data"] button[type="submit"]').click()
    expect(page.locator("#import-error-table")).to_be_visible()
    assert_no_serious_violations(page, "an import check with errors")
    page.goto("/laporan/ekspor/")
    assert_no_serious_violations(page, "the SIMFONI export form")
    page.goto("/laporan/unduhan/")
    assert_no_serious_violations(page, "the list of report jobs")
