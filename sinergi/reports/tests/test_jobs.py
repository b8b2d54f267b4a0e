"""Background jobs: progress, the stored (encrypted) file, who sees it, download audit, expiry."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.reports import jobs
from sinergi.reports.models import JobStatus, ReportJob

PARAMS = {"date_from": "2024-01-01", "date_to": "2024-12-31", "format": "csv"}


@pytest.fixture
def recorded_progress(monkeypatch):
    """Every (percent, message) a runner reports, in order."""
    seen = []
    original = jobs.Progress.__call__

    def spy(self, percent, message=""):
        seen.append((int(percent), str(message)))
        return original(self, percent, message)

    monkeypatch.setattr(jobs.Progress, "__call__", spy)
    return seen


def test_a_job_runs_reports_progress_and_stores_its_file_encrypted(personas, recorded_progress):
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    assert job.status == JobStatus.DONE and job.progress == 100
    assert recorded_progress and recorded_progress[0][0] <= 5
    # CSV is a zip of the data and the codes (docs/simfoni-export.md).
    assert job.file_name == "simfoni-20240101-20241231.zip" and job.file_size > 0
    assert job.expires_at - job.created_at == dt.timedelta(days=7)
    with default_storage.open(job.file_storage_name, "rb") as stored:
        blob = stored.read()
    assert b"kode_kasus" not in blob and b"kode.csv" not in blob  # sealed at rest
    with zipfile.ZipFile(io.BytesIO(jobs.job_file_read(job))) as archive:
        assert archive.read("simfoni-20240101-20241231.csv").decode("utf-8-sig").startswith("kode_kasus,")
    notification = Notification.objects.get(recipient=personas.datin, kind="report_job")
    assert notification.link == f"/laporan/unduhan/{job.public_id}/"
    assert AuditEvent.objects.filter(
        action="report.request", object_id=job.public_id, details__kind="simfoni"
    ).exists()


def test_a_failing_runner_marks_the_job_failed_and_notifies(personas, monkeypatch):
    def broken(job, progress):
        progress(10, "halfway")
        raise RuntimeError("boom")

    monkeypatch.setitem(jobs.RUNNERS, "simfoni", broken)
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    assert job.status == JobStatus.FAILED and not job.file_storage_name
    notification = Notification.objects.get(recipient=personas.datin, kind="report_job")
    assert notification.message == "Tugas laporan Anda gagal: SIMFONI-PPA export (pseudonymous)." or (
        "SIMFONI" in notification.message
    )


def test_a_job_whose_requester_lost_the_right_fails(personas, monkeypatch):
    from sinergi.accounts.models import User

    original = jobs.job_run

    def demote_then_run(job_id):
        User.objects.filter(pk=personas.datin.pk).update(role="pendamping")
        original(job_id)

    monkeypatch.setattr(jobs, "job_run", demote_then_run)
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    assert job.status == JobStatus.FAILED


def test_a_queued_job_waits_for_its_worker(personas, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    assert job.status == JobStatus.QUEUED and job.progress == 0
    jobs.job_run(job.public_id)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    jobs.job_run(job.public_id)  # a second delivery of the same task does nothing
    assert ReportJob.objects.get(pk=job.pk).finished_at == job.finished_at


def test_only_the_requester_and_their_kepala_see_a_job(personas):
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    for persona in ("datin", "kepala"):
        assert jobs.jobs_visible_to(getattr(personas, persona)).filter(pk=job.pk).exists(), persona
    for persona in ("pimpinan", "pendamping", "admin", "auditor", "kepala_provinsi", "kepala_luar", "mitra"):
        assert not jobs.jobs_visible_to(getattr(personas, persona)).filter(pk=job.pk).exists(), persona


def test_downloads_are_audited(personas):
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    data = jobs.job_file_open(actor=personas.kepala, job=job)
    assert data.startswith(b"PK")  # the zip of the CSV files
    event = AuditEvent.objects.get(action="report.download", actor_username="kepala")
    assert event.object_id == job.public_id and event.outcome == "ok"
    assert event.details == {"kind": "simfoni", "size": len(data), "identifying": False}
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jobs.job_file_open(actor=personas.pimpinan, job=job)


def test_an_expired_file_is_refused_and_pruned(personas):
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    name = job.file_storage_name
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        job.refresh_from_db()
        assert job.is_expired
        with pytest.raises(jobs.JobFileExpired):
            jobs.job_file_open(actor=personas.datin, job=job)
        assert AuditEvent.objects.filter(
            action="report.download", outcome="failed", details__reason="expired"
        ).exists()
        call_command("prune_report_files")
    assert not default_storage.exists(name)
    job.refresh_from_db()
    assert job.files_deleted_at is not None and job.file_storage_name == ""
    with pytest.raises(jobs.JobFileExpired):
        jobs.job_file_read(job)


def test_prune_keeps_files_that_have_not_expired(personas):
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    assert jobs.job_files_prune() == 0
    assert default_storage.exists(job.file_storage_name)


def test_a_tampered_file_is_not_handed_out(personas):
    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    other = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    # Another job's sealed file copied over this one's: bound to the other job, it does not open.
    ReportJob.objects.filter(pk=job.pk).update(file_storage_name=other.file_storage_name)
    job.refresh_from_db()
    with pytest.raises(jobs.JobFileUnreadable):
        jobs.job_file_open(actor=personas.datin, job=job)
    assert AuditEvent.objects.filter(
        action="report.download", outcome="failed", details__reason="unreadable"
    ).exists()


def test_the_scheduler_queues_the_clean_up(personas):
    from io import StringIO

    job = jobs.job_start(actor=personas.datin, kind="simfoni", params=PARAMS)
    ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "queued expired report files" in out.getvalue()
    assert ReportJob.objects.get(pk=job.pk).files_deleted_at is not None


def test_every_job_is_reachable_page_by_page(personas, login, monkeypatch):
    import re

    from django.urls import reverse

    from sinergi.reports import views_jobs
    from sinergi.reports.models import ReportJob
    from sinergi.testing.pages import keyset_pages

    monkeypatch.setattr(views_jobs, "JOB_PAGE", 2)
    made = [
        ReportJob.objects.create(
            kind="simfoni", requested_by=personas.datin, unit=personas.orgs.unit, params={}
        )
        for _ in range(5)
    ]
    pages = keyset_pages(login(personas.datin), reverse("reports:jobs"))
    seen = [i for part in pages for i in re.findall(r"/laporan/unduhan/([A-Za-z0-9_-]{10,})/", part)]
    assert seen == [job.public_id for job in reversed(made)]
