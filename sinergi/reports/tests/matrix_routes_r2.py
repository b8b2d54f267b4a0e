"""Permission-matrix rows of the job, export and import routes (merged by
workspace/tests/matrix_table.py).

A job is seen by its requester and the kepala of the requester's unit only: the world's jobs are
the data officer's (`datin`), so `kepala` sees them and every other persona gets an audited 404.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.reports import jobs
from sinergi.reports.models import ReportJob
from sinergi.testing.matrix import KEPALAS, Guarded, Row, _url, statuses

EXPORTERS = KEPALAS + " datin"  # export.pseudonymous and case.import: kepala_uptd and pengelola_data
JOB_SEERS = "datin kepala"
PERIOD = {"date_from": "2020-02-02", "date_to": "2020-12-31", "format": "csv"}
REASON = "Permintaan tertulis pengadilan negeri untuk berkas perkara."
CSV = (
    b"id_eksternal,tanggal_lapor,jenis_kelamin_korban,jenis_kekerasan\nMATRIKS-1,01/02/2021,perempuan,fisik\n"
)


def world_extras(w):
    export = ReportJob.objects.create(
        kind="simfoni",
        requested_by=w.datin,
        unit=w.orgs.unit,
        params={"format": "csv"},
        status="done",
        progress=100,
    )
    name, key_version, sha256 = jobs._store(export, "file", b"kode_kasus\r\n")
    ReportJob.objects.filter(pk=export.pk).update(
        file_storage_name=name,
        file_key_version=key_version,
        file_sha256=sha256,
        file_size=12,
        file_name="simfoni-matriks.csv",
        file_content_type="text/csv",
    )
    export.refresh_from_db()
    check = ReportJob.objects.create(
        kind="import_check",
        requested_by=w.datin,
        unit=w.orgs.unit,
        params={"file_name": "impor.csv"},
        status="done",
        progress=100,
        result={"rows": 1, "new": 1, "already_imported": 0, "errors": 0},
    )
    jobs.job_input_store(check, CSV, "csv")
    identifying = ReportJob.objects.create(
        kind="identifying", requested_by=w.kepala, unit=w.orgs.unit, params={"format": "csv"}, reason=REASON
    )
    return {"report_job": export, "import_check_job": check, "identifying_job": identifying}


def _job_id(w):
    return w.report_job.public_id


def _job_route(name, *more):
    return Guarded(
        login_only="a job is fetched through jobs_visible_to: its requester and their unit's kepala",
        rows=(
            Row(
                url=_url(name, _job_id),
                expect=statuses({200: JOB_SEERS}, default=404),
                denied="report_job.view",
            ),
            *more,
        ),
    )


def _new_export(w):
    return ReportJob.objects.filter(params__date_from=PERIOD["date_from"]).exists()


ROUTES = {
    "reports:jobs": Guarded(
        login_only="lists only request.user's own jobs (and, for a kepala, those of the unit's staff)",
        rows=(
            Row(
                url=_url("reports:jobs"),
                expect=statuses(default=200),
                shows=((lambda w: w.report_job.public_id, JOB_SEERS),),
            ),
        ),
    ),
    "reports:job": _job_route(
        "reports:job",
        # The kepala's identifying export is theirs alone: not the data officer's who exports too.
        Row(
            variant="identifying",
            url=_url("reports:job", lambda w: w.identifying_job.public_id),
            expect=statuses({200: "kepala"}, default=404),
            denied="report_job.view",
        ),
    ),
    "reports:job_status": _job_route("reports:job_status"),
    "reports:job_download": _job_route("reports:job_download"),
    "reports:export": Guarded(
        permission="export.pseudonymous",
        rows=(
            Row(url=_url("reports:export"), expect=statuses({200: EXPORTERS}, default=403)),
            Row(
                url=_url("reports:export"),
                method="post",
                data=lambda w: PERIOD,
                expect=statuses({302: EXPORTERS}, default=403),
                effect=_new_export,
            ),
        ),
    ),
    "reports:export_identifying": Guarded(
        permission="export.identifying",
        reauth_as="kepala",
        rows=(
            Row(url=_url("reports:export_identifying"), expect=statuses({200: KEPALAS}, default=403)),
            Row(
                url=_url("reports:export_identifying"),
                method="post",
                data=lambda w: {**PERIOD, "reason": REASON},
                expect=statuses({302: KEPALAS}, default=403),
                effect=_new_export,
            ),
        ),
    ),
    # Only the data officer marks victims entered into SIMFONI, from their own export (the world's
    # has no victim: a POST is refused on the form, nothing changes).
    "reports:simfoni_entries": Guarded(
        permission="simfoni.entry",
        rows=(
            Row(url=_url("reports:simfoni_entries", _job_id), expect=statuses({200: "datin"}, default=403)),
            Row(
                url=_url("reports:simfoni_entries", _job_id),
                method="post",
                data=lambda w: {"action": "pending", "entered_on": "2020-03-01"},
                expect=statuses({200: "datin"}, default=403),
            ),
        ),
    ),
    "reports:import": Guarded(
        permission="case.import",
        rows=(
            Row(url=_url("reports:import"), expect=statuses({200: EXPORTERS}, default=403)),
            Row(
                url=_url("reports:import"),
                method="post",
                data=lambda w: {"file": SimpleUploadedFile("impor.csv", CSV)},
                expect=statuses({302: EXPORTERS}, default=403),
                effect=lambda w: ReportJob.objects.filter(kind="import_check").count() > 1,
            ),
        ),
    ),
    "reports:import_template": Guarded(
        permission="case.import",
        rows=(
            Row(url=_url("reports:import_template", "csv"), expect=statuses({200: EXPORTERS}, default=403)),
            Row(
                variant="unknown-format",
                url=_url("reports:import_template", "pdf"),
                expect=statuses({404: EXPORTERS}, default=403),
            ),
        ),
    ),
    "reports:import_confirm": Guarded(
        permission="case.import",
        rows=(
            Row(
                url=_url("reports:import_confirm", lambda w: w.import_check_job.public_id),
                expect=statuses(default=405),
            ),
            Row(
                url=_url("reports:import_confirm", lambda w: w.import_check_job.public_id),
                method="post",
                # Only the one who ran the check confirms it; other importers get the audited 404.
                expect=statuses({302: "datin", 404: KEPALAS}, default=403),
                effect=lambda w: ReportJob.objects.filter(kind="import").exists(),
                denied="report_job.view",
            ),
        ),
    ),
}
