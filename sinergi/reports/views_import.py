"""The historical import: the template, the upload (which starts the dry run) and the confirmation.

Upload → a dry-run job reads every row and lists every error on the job's page → when there are
none, "Import" starts the import job, which checks again and writes everything in one
transaction. The uploaded file is stored sealed with the dry-run job until it is imported (or
expires with the job); a file with errors is deleted at once.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.core.http import UploadLimitHandler

from . import importer, jobs
from .models import JobKind, JobStatus


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = _(
            "Made from the template; at most %(rows)s rows and %(mb)s MB. Nothing is imported before you confirm."
        ) % {"rows": f"{importer.max_rows():,}".replace(",", "."), "mb": importer.max_upload_mb()}

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB. Split it into smaller files.")
                % {"max": importer.max_upload_mb()}
            )
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            raise forms.ValidationError(_("Choose the file to import."))
        return uploaded


@require_permission("case.import")
@require_GET
def import_template(request, fmt):
    if fmt == "xlsx":
        data = importer.template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        data = importer.template_csv()
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="templat-impor-kasus.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The upload handlers must be set before anything reads the body (the CSRF check does): the outer
# view is exempt and the inner one runs the check itself, as for case documents.
@csrf_exempt
@require_permission("case.import")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    request.upload_handlers.insert(0, UploadLimitHandler(request, importer.max_upload_bytes()))
    return _import_upload(request)


@csrf_protect
def _import_upload(request):
    if request.method == "POST":
        form = ImportForm(
            request.POST, request.FILES, too_large=getattr(request, "sinergi_upload_too_large", False)
        )
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            uploaded.seek(0)
            data = uploaded.read(importer.max_upload_bytes() + 1)
            check = importer.CheckResult()
            kind = importer.file_kind(uploaded.name, data, check)
            if kind is None:
                form.add_error("file", check.errors[0].message)
            else:
                job = jobs.job_start(
                    actor=request.user,
                    kind=JobKind.IMPORT_CHECK,
                    params={"file_name": f"impor.{kind}", "dry_run": True},
                    input_data=data,
                    input_kind=kind,
                )
                return redirect("reports:job", public_id=job.public_id)
    else:
        form = ImportForm()
    recent = jobs.jobs_visible_to(request.user).filter(
        requested_by=request.user, kind__in=[JobKind.IMPORT_CHECK, JobKind.IMPORT]
    )[:10]
    return render(request, "reports/import/form.html", {"form": form, "recent": recent})


@require_POST
@require_permission("case.import")
def import_confirm(request, public_id):
    source = get_visible_or_404(
        request,
        jobs.jobs_visible_to(request.user).filter(requested_by=request.user, kind=JobKind.IMPORT_CHECK),
        object_type="report_job",
        public_id=public_id,
    )
    if (
        source.status != JobStatus.DONE
        or source.result.get("errors") != 0
        or not source.input_storage_name
        or source.is_expired
    ):
        messages.error(request, _("This file cannot be imported: check it again (upload it anew)."))
        return redirect("reports:job", public_id=source.public_id)
    job = jobs.job_start(actor=request.user, kind=JobKind.IMPORT, params={"source_job": source.public_id})
    return redirect("reports:job", public_id=job.public_id)
