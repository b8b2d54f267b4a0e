"""The user's report jobs: the list, one job's page with its progress, and its file.

Every view fetches through `jobs_visible_to(request.user)`: someone else's job is an audited 404,
whatever the role (only the requester and the kepala of their unit see a job). The progress part
of the page is polled by htmx every two seconds while the job runs, and stops polling once it is
finished (the finished fragment carries no trigger).
"""

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import get_visible_or_404
from sinergi.core.pagination import keyset_page

from . import jobs
from .models import JobKind
from .policies import may_record_simfoni_entries


def _job_for(request, public_id):
    return get_visible_or_404(
        request, jobs.jobs_visible_to(request.user), object_type="report_job", public_id=public_id
    )


def _import_errors(job):
    """The error rows of an import check, read back from the job's (sealed) report file."""

    if job.kind not in {JobKind.IMPORT_CHECK, JobKind.IMPORT} or not job.result.get("errors"):
        return []
    try:
        data = jobs.job_file_read(job)
    except (jobs.JobFileExpired, jobs.JobFileUnreadable):
        return []
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    next(reader, None)
    return [{"row": r[0], "column": r[1], "message": r[2]} for r in reader if len(r) == 3]


def _context(request, job):
    return {
        "job": job,
        "errors": _import_errors(job) if job.is_finished else [],
        "may_record_entries": job.status == "done" and may_record_simfoni_entries(request.user, job),
        "may_confirm_import": (
            job.kind == JobKind.IMPORT_CHECK
            and job.status == "done"
            and job.result.get("errors") == 0
            and job.result.get("new", 0) > 0
            and job.requested_by_id == request.user.pk
            and bool(job.input_storage_name)
            and not job.is_expired
            and has_permission(request.user, "case.import")
        ),
    }


#: Jobs listed at a time, newest first ("More" goes on; the total is shown).
JOB_PAGE = 50


@require_GET
def job_list(request):
    visible = jobs.jobs_visible_to(request.user).select_related("requested_by")
    page = keyset_page(visible, field="created_at", query=request.GET, param="after", size=JOB_PAGE)
    return render(request, "reports/jobs/list.html", {"jobs": page.rows, "page": page})


@require_GET
def job_detail(request, public_id):
    job = _job_for(request, public_id)
    return render(request, "reports/jobs/detail.html", _context(request, job))


@require_GET
def job_status(request, public_id):
    job = _job_for(request, public_id)
    return render(request, "reports/jobs/_status.html", _context(request, job))


_EXPIRED_PAGE = """{% extends "errors/_error.html" %}{% load i18n %}
{% block title %}{% translate "The file has expired" %}{% endblock %}
{% block code %}410{% endblock %}
{% block heading %}{% translate "The file has expired" %}{% endblock %}
{% block explanation %}{% blocktranslate with date=job.expires_at|date:"j F Y" %}Report files are kept for 7 days. This one expired on {{ date }} and was deleted. Run the report again to get a fresh file.{% endblocktranslate %}{% endblock %}"""

_DAMAGED_PAGE = """{% extends "errors/_error.html" %}{% load i18n %}
{% block title %}{% translate "The file is damaged" %}{% endblock %}
{% block code %}409{% endblock %}
{% block heading %}{% translate "The file is damaged" %}{% endblock %}
{% block explanation %}{% translate "This file cannot be opened: the stored file is missing or has been altered. Nothing was downloaded. The attempt is recorded; run the report again." %}{% endblock %}"""


def _page(request, source, context, status):
    return HttpResponse(engines["django"].from_string(source).render(context, request), status=status)


@require_GET
def job_download(request, public_id):
    job = _job_for(request, public_id)
    if job.status != "done":
        return HttpResponse(
            _("This job has no file (it is still running, or it failed)."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    try:
        data = jobs.job_file_open(actor=request.user, job=job)
    except jobs.JobFileExpired:
        return _page(request, _EXPIRED_PAGE, {"job": job}, 410)
    except jobs.JobFileUnreadable:
        return _page(request, _DAMAGED_PAGE, {"job": job}, 409)
    response = HttpResponse(data, content_type=job.file_content_type or "application/octet-stream")
    name = job.file_name or "laporan"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{quote(name)}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
