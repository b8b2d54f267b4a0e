"""The partner's side: the inbox, a referral as the partner sees it, and the partner's moves."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.core.files import KIND_BY_CONTENT_TYPE, DocumentUnreadable
from sinergi.core.forms import add_service_errors
from sinergi.core.http import content_disposition

from . import services
from .choices import ReferralStatus, SharedSection
from .forms import CompleteForm, ReasonForm, ReferBackForm, ServiceRecordForm
from .incoming import incoming_referral_send
from .policies import can_view_referral
from .selectors import (
    inbox_sections,
    incoming_sent_by,
    referral_case,
    referral_reloaded,
    referrals_visible_to,
    response_deadline,
    shared_content,
)


@require_permission("referral.inbox")
def inbox(request):
    sections = inbox_sections(request.user, request.GET)
    sent = incoming_sent_by(request.user.organisation_id, request.GET)
    audit_record(
        actor=request.user,
        action="referral.list",
        object_type="referral",
        details={"count": sum(len(page.rows) for page in sections.values())},
    )
    return render(request, "referrals/inbox.html", {"sections": sections, "sent": sent})


def _case_of_referral(public_id):
    # Only to tie a refused attempt to the case's own audit trail; never shown to the requester.
    return referral_case(public_id)


def _visible_referral(request, public_id):
    return get_visible_or_404(
        request,
        referrals_visible_to(request.user).select_related("case", "case__unit", "victim", "to_agency"),
        object_type="referral",
        public_id=public_id,
        denied_case=_case_of_referral,
    )


def _detail_page(request, referral, *, status=200, **forms):
    audit_record(
        actor=request.user,
        action="referral.view",
        object_type="referral",
        object_id=referral.public_id,
        case=referral.case,
        details={"shared": sorted(referral.shared_sections)},
    )
    shared = [SharedSection(code) for code in referral.shared_sections if code in SharedSection.values]
    context = {
        "referral": referral,
        "shared": shared,
        "content": shared_content(referral),
        "records": referral.service_records.order_by("delivered_on", "id"),
        "deadline": response_deadline(referral) if referral.status == ReferralStatus.SENT else None,
        "decline_form": forms.get("decline_form") or ReasonForm(prefix="decline"),
        "service_form": forms.get("service_form")
        or ServiceRecordForm(prefix="service", initial={"delivered_on": timezone.localdate()}),
        "complete_form": forms.get("complete_form") or CompleteForm(prefix="complete"),
        "action_error": forms.get("action_error"),
        "S": ReferralStatus,
    }
    return render(request, "referrals/detail.html", context, status=status)


@require_permission("referral.inbox", object_type="referral", denied_case=_case_of_referral)
@require_GET
def referral_detail(request, public_id):
    return _detail_page(request, _visible_referral(request, public_id))


def _partner_action(request, public_id, move, *, form_class=None, form_key="", success):
    referral = _visible_referral(request, public_id)
    form = form_class(request.POST, prefix=form_key.split("_")[0]) if form_class else None
    if form is not None and not form.is_valid():
        return _detail_page(request, referral, **{form_key: form})
    try:
        move(referral, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        # A refusal of the move itself (wrong state) shows at the top: its form may be hidden now.
        general = " ".join(exc.message_dict.get("__all__", [])) if hasattr(exc, "error_dict") else ""
        if form is not None:
            add_service_errors(form, exc)
            return _detail_page(request, referral, action_error=general or None, **{form_key: form})
        return _detail_page(request, referral, action_error=" ".join(exc.messages))
    messages.success(request, success)
    if not can_view_referral(request.user, referral_reloaded(referral)):
        return redirect("referrals:inbox")  # closed with no grace period left: it is gone from view
    return redirect("referrals:detail", public_id=public_id)


@require_POST
@require_permission("referral.inbox", object_type="referral", denied_case=_case_of_referral)
def referral_accept_view(request, public_id):
    return _partner_action(
        request,
        public_id,
        lambda r, _d: services.referral_accept(actor=request.user, referral=r),
        success=_("The referral was accepted."),
    )


@require_POST
@require_permission("referral.inbox", object_type="referral", denied_case=_case_of_referral)
def referral_decline_view(request, public_id):
    return _partner_action(
        request,
        public_id,
        lambda r, d: services.referral_decline(actor=request.user, referral=r, reason=d["reason"]),
        form_class=ReasonForm,
        form_key="decline_form",
        success=_("The referral was declined."),
    )


@require_POST
@require_permission("referral.inbox", object_type="referral", denied_case=_case_of_referral)
def referral_service_view(request, public_id):
    return _partner_action(
        request,
        public_id,
        lambda r, d: services.referral_service_record(actor=request.user, referral=r, **d),
        form_class=ServiceRecordForm,
        form_key="service_form",
        success=_("The service was recorded."),
    )


@require_POST
@require_permission("referral.inbox", object_type="referral", denied_case=_case_of_referral)
def referral_complete_view(request, public_id):
    return _partner_action(
        request,
        public_id,
        lambda r, d: services.referral_complete(actor=request.user, referral=r, **d),
        form_class=CompleteForm,
        form_key="complete_form",
        success=_("The referral was completed. Thank you."),
    )


@require_permission("referral.inbox", object_type="referral", denied_case=_case_of_referral)
@require_GET
def referral_document(request, public_id, document_id):
    """A shared document, for the partner, while the referral is open (+ grace); audited."""
    referral = _visible_referral(request, public_id)
    visible = referral.documents.filter(share_mark__isnull=False)
    if SharedSection.DOCUMENTS not in referral.shared_sections:
        visible = visible.none()
    document = get_visible_or_404(
        request, visible, object_type="document", public_id=document_id, denied_case=lambda _id: referral.case
    )
    try:
        data = services.referral_document_open(actor=request.user, referral=referral, document=document)
    except DocumentUnreadable:
        return HttpResponse(_("This document cannot be read."), status=409, content_type="text/plain")
    kind = KIND_BY_CONTENT_TYPE.get(document.content_type)
    response = HttpResponse(data, content_type=kind.content_type if kind else "application/octet-stream")
    response["Content-Disposition"] = content_disposition(document.original_name, kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_permission("referral.incoming", object_type="referral", denied_case=_case_of_referral)
@require_http_methods(["GET", "POST"])
def referral_back(request, public_id):
    """The partner refers the person back to the sending unit (it arrives in the unit's intake)."""
    referral = _visible_referral(request, public_id)
    form = ReferBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incoming_referral_send(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral back was sent to the unit."))
            return redirect("referrals:detail", public_id=public_id)
    return render(request, "referrals/refer_back.html", {"referral": referral, "form": form})
