"""The job, export and import pages: it works, it hides from outsiders (404), it refuses (403)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergi import reports
from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case
from sinergi.reports import jobs
from sinergi.reports.models import ImportedCase, ReportJob

from .helpers import history_rows, to_csv, to_xlsx

DATA = Path(reports.__file__).with_name("data")
PERIOD = {"date_from": "2021-01-01", "date_to": "2023-12-31", "format": "csv"}
REASON = "Permintaan penyidik Polres untuk berkas perkara nomor 12."


@pytest.fixture
def job(personas):
    return jobs.job_start(actor=personas.datin, kind="simfoni", params=PERIOD)


def upload(client, data, name):
    return client.post(reverse("reports:import"), {"file": SimpleUploadedFile(name, data)})


# --- job pages ------------------------------------------------------------------------------------


class TestJobList:
    def test_it_works(self, personas, login, job):
        response = login(personas.datin).get(reverse("reports:jobs"))
        assert (
            response.status_code == 200
            and reverse("reports:job", args=[job.public_id]).encode() in response.content
        )

    def test_it_hides_from_outsiders(self, personas, login, job):
        response = login(personas.pimpinan).get(reverse("reports:jobs"))
        assert response.status_code == 200 and job.public_id.encode() not in response.content


class TestJobDetail:
    def test_it_works(self, personas, login, job):
        response = login(personas.kepala).get(reverse("reports:job", args=[job.public_id]))
        html = response.content.decode()
        assert response.status_code == 200
        assert reverse("reports:job_download", args=[job.public_id]) in html
        assert "hx-trigger" not in html  # finished: no more polling

    def test_it_hides_from_outsiders(self, personas, login, job):
        for persona in ("pimpinan", "kepala_luar", "pendamping"):
            response = login(getattr(personas, persona)).get(reverse("reports:job", args=[job.public_id]))
            assert response.status_code == 404
        assert AuditEvent.objects.filter(action="report_job.view", outcome="denied").count() == 3


class TestJobStatus:
    def test_it_works(self, personas, login, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        queued = jobs.job_start(actor=personas.datin, kind="simfoni", params=PERIOD)
        url = reverse("reports:job_status", args=[queued.public_id])
        html = login(personas.datin).get(url, HTTP_HX_REQUEST="true").content.decode()
        assert 'hx-trigger="every 2s"' in html and f'hx-get="{url}"' in html and "<progress" in html
        assert "<html" not in html  # a fragment
        ReportJob.objects.filter(pk=queued.pk).update(status="running", progress=40, message="12 of 30")
        html = login(personas.datin).get(url).content.decode()
        assert 'value="40"' in html and "12 of 30" in html and "every 2s" in html
        jobs.job_run(queued.public_id)  # already running: left alone
        ReportJob.objects.filter(pk=queued.pk).update(status="queued")
        jobs.job_run(queued.public_id)
        html = login(personas.datin).get(url).content.decode()
        assert "hx-trigger" not in html and reverse("reports:job_download", args=[queued.public_id]) in html


class TestJobDownload:
    def test_it_works(self, personas, login, job):
        response = login(personas.datin).get(reverse("reports:job_download", args=[job.public_id]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(
            'attachment; filename="simfoni-20210101-20231231.zip"'
        )
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response.content.startswith(b"PK")  # CSV comes as a zip of the data and the codes
        assert AuditEvent.objects.filter(action="report.download", actor_username="datin").count() == 1

    def test_it_hides_from_outsiders(self, personas, login, job):
        response = login(personas.pimpinan).get(reverse("reports:job_download", args=[job.public_id]))
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="report.download").exists()

    def test_an_expired_file_says_so(self, personas, login, job):
        import datetime as dt

        from django.utils import timezone

        ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
        response = login(personas.datin).get(reverse("reports:job_download", args=[job.public_id]))
        assert response.status_code == 410
        assert "7 hari" in response.content.decode() or "7 days" in response.content.decode()
        page = login(personas.datin).get(reverse("reports:job", args=[job.public_id])).content.decode()
        assert reverse("reports:job_download", args=[job.public_id]) not in page


# --- exports ----------------------------------------------------------------------------------------


class TestExport:
    def test_it_works(self, personas, login):
        client = login(personas.datin)
        assert client.get(reverse("reports:export")).status_code == 200
        response = client.post(reverse("reports:export"), PERIOD)
        job = ReportJob.objects.get(kind="simfoni")
        assert response.status_code == 302 and response["Location"] == reverse(
            "reports:job", args=[job.public_id]
        )
        assert job.params["format"] == "csv" and job.status == "done"

    def test_it_keeps_the_input_on_errors(self, personas, login):
        response = login(personas.datin).post(reverse("reports:export"), {**PERIOD, "date_to": "2020-01-01"})
        assert response.status_code == 200 and not ReportJob.objects.exists()
        assert response.context["form"].errors["date_to"]

    def test_it_hides_from_outsiders(self, personas, login):
        # Nothing to hide by id: the export covers only the user's own unit (see test_simfoni).
        login(personas.kepala_luar).post(reverse("reports:export"), PERIOD)
        assert ReportJob.objects.get().unit == personas.orgs.other_unit


class TestIdentifyingExport:
    def test_it_works(self, personas, login):
        client = login(personas.kepala)
        assert client.get(reverse("reports:export_identifying")).status_code == 200
        response = client.post(reverse("reports:export_identifying"), {**PERIOD, "reason": REASON})
        job = ReportJob.objects.get(kind="identifying")
        assert response.status_code == 302 and job.reason == REASON
        page = client.get(reverse("reports:job", args=[job.public_id])).content.decode()
        assert REASON in page

    def test_a_reason_is_required(self, personas, login):
        response = login(personas.kepala).post(
            reverse("reports:export_identifying"), {**PERIOD, "reason": "perlu"}
        )
        assert response.status_code == 200 and response.context["form"].errors["reason"]
        assert not ReportJob.objects.exists()

    def test_it_asks_for_the_password_again(self, personas, login):
        response = login(personas.kepala, fresh=False).get(reverse("reports:export_identifying"))
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("account_reauthenticate")
        )


# --- import -------------------------------------------------------------------------------------------


class TestImportTemplate:
    @pytest.mark.parametrize("fmt", ["xlsx", "csv"])
    def test_it_works(self, personas, login, fmt):
        response = login(personas.datin).get(reverse("reports:import_template", args=[fmt]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="templat-impor-kasus.{fmt}"'
        if fmt == "xlsx":
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            assert book.sheetnames == ["data", "contoh", "petunjuk"]


class TestImport:
    def test_it_works(self, personas, login):
        client = login(personas.datin)
        assert client.get(reverse("reports:import")).status_code == 200
        response = upload(client, (DATA / "riwayat-kasus-2021-2023.xlsx").read_bytes(), "riwayat.xlsx")
        check = ReportJob.objects.get(kind="import_check")
        assert response["Location"] == reverse("reports:job", args=[check.public_id])
        assert check.result["new"] == 30 and check.result["errors"] == 0 and not Case.objects.exists()
        page = client.get(response["Location"]).content.decode()
        confirm = reverse("reports:import_confirm", args=[check.public_id])
        assert confirm in page and 'id="import-confirm"' in page

        response = client.post(confirm)
        imported = ReportJob.objects.get(kind="import")
        assert response["Location"] == reverse("reports:job", args=[imported.public_id])
        assert imported.result["imported"] == 30 and Case.objects.filter(is_historical=True).count() == 30
        check.refresh_from_db()
        assert check.input_storage_name == ""  # the uploaded file is gone once imported
        # Confirming the same check again imports nothing.
        client.post(confirm)
        assert Case.objects.count() == 30

    def test_errors_are_listed_by_row_and_column(self, personas, login):
        rows = history_rows({2021: 3})
        rows[1]["jenis_kekerasan"] = "pukul"
        rows[2]["tanggal_lapor"] = "2021/05/01"
        client = login(personas.datin)
        response = upload(client, to_csv(rows), "riwayat.csv")
        html = client.get(response["Location"]).content.decode()
        assert 'id="import-error-table"' in html
        assert "<td>3</td><td>jenis_kekerasan</td>" in html and "<td>4</td><td>tanggal_lapor</td>" in html
        assert "import-confirm" not in html
        check = ReportJob.objects.get(kind="import_check")
        assert check.input_storage_name == ""  # a file with errors is not kept
        assert client.post(reverse("reports:import_confirm", args=[check.public_id])).status_code == 302
        assert not ReportJob.objects.filter(kind="import").exists() and not Case.objects.exists()

    def test_a_refused_file_is_shown_next_to_the_field(self, personas, login, settings):
        from .test_importer import zip_bomb

        client = login(personas.datin)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = upload(client, zip_bomb(), "riwayat.xlsx")
        assert response.status_code == 200 and "too much data" in response.context["form"].errors["file"][0]
        response = upload(client, b"%PDF-1.4", "riwayat.csv")
        assert "not what its name says" in response.context["form"].errors["file"][0]
        assert not ReportJob.objects.exists()

    def test_a_too_large_upload_is_refused_while_it_arrives(self, personas, login, settings):
        settings.SINERGI_IMPORT_MAX_MB = 1
        response = upload(login(personas.datin), b"a,b\n" * 400_000, "besar.csv")
        assert response.status_code == 200 and "1 MB" in response.context["form"].errors["file"][0]

    def test_it_hides_from_outsiders(self, personas, login):
        upload(login(personas.datin), to_csv(history_rows({2021: 1})), "a.csv")
        check = ReportJob.objects.get(kind="import_check")
        # The kepala sees the check but only its requester may confirm it.
        assert (
            login(personas.kepala).post(reverse("reports:import_confirm", args=[check.public_id])).status_code
            == 404
        )
        assert (
            login(personas.kepala_luar)
            .post(reverse("reports:import_confirm", args=[check.public_id]))
            .status_code
            == 404
        )
        assert not ImportedCase.objects.exists()

    def test_it_refuses_without_permission(self, personas, login):
        for persona in ("pendamping", "pimpinan", "admin"):
            client = login(getattr(personas, persona))
            assert client.get(reverse("reports:import")).status_code == 403
            assert upload(client, to_csv(history_rows({2021: 1})), "a.csv").status_code == 403
        assert not ReportJob.objects.exists()


def test_templates_have_no_inline_scripts_or_styles():
    root = Path(reports.__file__).with_name("templates") / "reports"
    for name in ("jobs", "import", "export"):
        for path in (root / name).glob("*.html"):
            text = path.read_text()
            assert "<script" not in text and "style=" not in text and "<style" not in text, path
            assert " on" + "click=" not in text, path


def test_an_xlsx_upload_with_excel_dates_works(personas, login):
    response = upload(login(personas.datin), to_xlsx(history_rows({2022: 2}), excel_dates=True), "a.xlsx")
    assert ReportJob.objects.get().result["new"] == 2, response
