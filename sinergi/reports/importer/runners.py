"""The import job runners (django-tasks through sinergi.reports.jobs)."""

from django.utils.translation import gettext as _

from ..csvutil import csv_bytes
from ..jobs import JobOutput, job_input_delete, job_input_read, job_runner
from ..models import JobKind, ReportJob
from ._common import ImportRefused
from .apply import import_apply, import_check

# --- job runners -------------------------------------------------------------------------------------


def _errors_csv(check):
    # The messages quote the file's own cells: a formula in the upload must not run on download.
    header = [_("Row"), _("Column"), _("Error")]
    return csv_bytes([header, *([error.row or "", error.column, error.message] for error in check.errors)])


@job_runner(JobKind.IMPORT_CHECK)
def run_import_check(job, progress):
    progress(1, _("Reading the file…"))
    data = job_input_read(job)
    check = import_check(
        actor=job.requested_by, data=data, name=job.params.get("file_name", ""), progress=progress
    )
    if check.ok:
        message = _("No errors: %(new)s new cases, %(skipped)s already imported.") % {
            "new": check.new,
            "skipped": check.already_imported,
        }
    else:
        message = _("%(count)s errors found. Nothing was imported.") % {"count": check.error_count}
        job_input_delete(job)  # a file with errors is never imported: keep nothing of it
    return JobOutput(
        data=_errors_csv(check),
        file_name="pemeriksaan-impor.csv",
        content_type="text/csv; charset=utf-8",
        result={**check.summary(), "dry_run": True},
        message=message,
    )


@job_runner(JobKind.IMPORT)
def run_import(job, progress):
    source = ReportJob.objects.get(public_id=job.params["source_job"], requested_by=job.requested_by)
    progress(1, _("Reading the file…"))
    data = job_input_read(source)
    try:
        check = import_apply(
            actor=job.requested_by,
            data=data,
            name=source.params.get("file_name", ""),
            job=job,
            progress=progress,
        )
    except ImportRefused as refused:
        check = refused.check
        return JobOutput(
            data=_errors_csv(check),
            file_name="pemeriksaan-impor.csv",
            content_type="text/csv; charset=utf-8",
            result={**check.summary(), "imported": 0},
            message=_("%(count)s errors found. Nothing was imported.") % {"count": check.error_count},
        )
    job_input_delete(source)
    return JobOutput(
        result={**check.summary(), "imported": check.new},
        message=_("Imported %(new)s cases; %(skipped)s were already imported.")
        % {"new": check.new, "skipped": check.already_imported},
    )
