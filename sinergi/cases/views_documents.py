"""Uploading and downloading a case's documents (the services are in sinergi.cases.documents).

Both URLs live under a case (/kasus/<public_id>/dokumen/…), so a refusal answers like the case
page does: an audited 404, whether the role lacks the right or the case is outside the user's
scope. No URL confirms that a case or a document exists.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.core.forms import add_service_errors
from sinergi.core.http import UploadLimitHandler, content_disposition

from . import documents
from .choices import DocumentType
from .policies import case_for, may_upload_document, record_case_view
from .selectors import case_by_public_id, case_documents


def _denied_case(public_id):
    # Ties a refused attempt to the real case's trail (see require_permission).
    return case_by_public_id(public_id)


# --- the form and the section on the case page -------------------------------------------------


class DocumentUploadForm(forms.Form):
    """Presence only; what the file is, and whether it may be stored, the service decides."""

    doc_type = forms.ChoiceField(
        label=gettext_lazy("Kind of document"),
        choices=[("", "—")] + list(DocumentType.choices),
        error_messages={"required": gettext_lazy("Choose what kind of document this is.")},
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ",".join(documents.ACCEPTED_EXTENSIONS)}),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        kwargs.setdefault("auto_id", "document_%s")  # the case page holds other forms' ids
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = _(
            "PDF, JPEG, PNG, DOCX or ODT, at most %(max)s MB. The file is stored encrypted."
        ) % {"max": documents.max_upload_mb()}

    def clean_file(self):
        if self.too_large:
            raise documents.too_large_error().error_dict["file"][0]
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            raise ValidationError(_("Choose the file to upload."), code="required")
        return uploaded


def document_section_context(user, case, form=None, *, access=None):
    """What cases/_documents.html needs, for the case page (and this module's own page).

    Without `access` (the user's CaseAccess from `case_for`) the rules are asked one by one.
    """
    if access is None:
        may_upload = may_upload_document(user, case)
        listed = documents.documents_visible_to(user, case)
    else:
        may_upload = access.upload
        listed = case_documents(case) if access.documents else case_documents(case).none()
    return {
        "case": case,
        "documents": listed,
        "may_upload_documents": may_upload,
        "document_form": (form or DocumentUploadForm()) if may_upload else None,
    }


# The stand-alone page (the upload form without JavaScript, or after an error) is the case page's
# section on its own; a template string keeps it next to the view that is its only user.
_UPLOAD_PAGE = """{% extends "base.html" %}{% load i18n %}
{% block title %}{% translate "Documents" %} · {{ case.pseudonym }}{% endblock %}
{% block main %}
<p><a href="{% url 'cases:detail' case.public_id %}">← {% translate "Back to the case" %} {{ case.pseudonym }}</a></p>
{% include "cases/_documents.html" %}
{% endblock %}"""

_DAMAGED_PAGE = """{% extends "errors/_error.html" %}{% load i18n %}
{% block title %}{% translate "The document is damaged" %}{% endblock %}
{% block code %}409{% endblock %}
{% block heading %}{% translate "The document is damaged" %}{% endblock %}
{% block explanation %}{% translate "This document cannot be opened: the stored file is missing or has been altered. Nothing was downloaded. The attempt is recorded; please tell your system administrator." %}{% endblock %}"""


def _page(request, template_source, context, status=200):
    template = engines["django"].from_string(template_source)
    return HttpResponse(template.render(context, request), status=status)


# --- upload ----------------------------------------------------------------------------------------


# The upload handlers must be set before anything reads the body, and the CSRF check reads it:
# so the outer view is exempt and the inner one runs the same check itself (Django's documented
# pattern for per-view upload handlers).
@csrf_exempt
@require_permission("case.edit", object_type="case", denied_case=_denied_case)
@require_http_methods(["GET", "POST"])
def document_upload(request, public_id):
    request.upload_handlers.insert(0, UploadLimitHandler(request, documents.max_upload_bytes()))
    return _document_upload(request, public_id)


@csrf_protect
def _document_upload(request, public_id):
    case, access = case_for(request, public_id)
    status = 200
    if request.method == "POST":
        form = DocumentUploadForm(
            request.POST, request.FILES, too_large=getattr(request, "sinergi_upload_too_large", False)
        )
        if form.is_valid():
            try:
                documents.document_upload(
                    actor=request.user,
                    case=case,
                    uploaded_file=form.cleaned_data["file"],
                    doc_type=form.cleaned_data["doc_type"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except documents.DocumentStorageError:
                form.add_error(
                    None,
                    _(
                        "The file could not be stored, so nothing was saved. Please try again; "
                        "if it happens again, tell your system administrator."
                    ),
                )
                status = 503
            else:
                messages.success(request, _("The document was uploaded and stored encrypted."))
                return redirect("cases:detail", public_id=case.public_id)
    else:
        form = None
    # The page shows the case's documents: it is a view of the case, recorded as such.
    record_case_view(request, case, section="documents")
    context = document_section_context(request.user, case, form, access=access)
    if form is not None and context["document_form"] is None:
        # A closed case: the form is kept so that its error can be read.
        context["document_form"] = form
    return _page(request, _UPLOAD_PAGE, context, status=status)


# --- download --------------------------------------------------------------------------------------


@require_permission("case.view", object_type="case", denied_case=_denied_case)
@require_GET
def document_download(request, public_id, document_id):
    case, _access = case_for(request, public_id)
    document = get_visible_or_404(
        request,
        documents.documents_visible_to(request.user, case),
        object_type="document",
        public_id=document_id,
        denied_case=lambda _id: case,
    )
    try:
        data = documents.document_open(actor=request.user, document=document)
    except documents.DocumentUnreadable:
        # 409: the request is fine, the stored state is not. No detail, no traceback.
        return _page(request, _DAMAGED_PAGE, {}, status=409)
    kind = documents.KIND_BY_CONTENT_TYPE.get(document.content_type)
    response = HttpResponse(data, content_type=kind.content_type if kind else "application/octet-stream")
    response["Content-Disposition"] = content_disposition(document.original_name, kind)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    # Should a browser still render it: no scripts, no requests, an opaque origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
