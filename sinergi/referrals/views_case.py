"""A case's referrals, as the case team and the kepala see and drive them (kasus/<id>/rujukan/...)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.choices import ServiceCategory
from sinergi.accounts.guards import require_permission
from sinergi.accounts.selectors import name_people
from sinergi.audit.services import audit_record
from sinergi.cases.choices import ConsentPurpose
from sinergi.cases.policies import case_for, deny_case, record_case_view
from sinergi.cases.record import consent_record
from sinergi.cases.selectors import case_by_public_id, case_persons
from sinergi.core.forms import add_service_errors, confirmed

from . import services
from .choices import ReferralStatus
from .forms import OptionalReasonForm, ReferralConsentForm, ReferralForm, ShareMarkForm
from .selectors import (
    active_partners,
    case_documents_for_sharing,
    outgoing_sections,
    partner_views_of,
    referral_consent,
    referral_of_case,
    referral_trail,
    referrals_of_case,
    response_deadline,
    suggested_agencies,
    transfers_of_case,
)
from .timeline import EVENT_LABELS


def _real_case(public_id):
    return case_by_public_id(public_id)


def case_for_referrals(request, public_id):
    """The case, for someone who may refer from it (its team with referral.send, or its kepala)."""
    case, _access = case_for(request, public_id, need="refer")
    return case


def _referral_of(request, case, referral_id):
    referral = referral_of_case(case, referral_id)
    if referral is None:
        deny_case(request, case.public_id, case)
    return referral


def _viewed(request, case, **details):
    record_case_view(request, case, **details)


@require_permission("referral.send", object_type="case", denied_case=_real_case)
def case_referrals(request, public_id):
    case = case_for_referrals(request, public_id)
    _viewed(request, case, page="referrals")
    transfers = transfers_of_case(case)
    return render(
        request,
        "referrals/case_referrals.html",
        {"case": case, "referrals": referrals_of_case(case), "transfers": transfers},
    )


def _agencies_for(case, services_chosen=()):
    """Active partner agencies: those of the unit's pathway for the chosen services (for any
    service when none is chosen yet) first, then the others by name."""
    wanted = list(services_chosen) or list(ServiceCategory.values)
    suggested = suggested_agencies(case.unit, wanted)
    rest = active_partners()
    seen = {a.pk for a in suggested}
    return suggested + [a for a in rest if a.pk not in seen]


def _referral_form(case, data=None, initial=None):
    documents = case_documents_for_sharing(case)
    chosen = (data.getlist("services") if data is not None else (initial or {}).get("services")) or []
    return ReferralForm(
        data,
        initial=initial,
        victims=list(services.victims_of(case)),
        agencies=_agencies_for(case, chosen),
        documents=documents,
    )


@require_permission("referral.send", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def case_referral_create(request, public_id):
    case = case_for_referrals(request, public_id)
    initial = {"services": request.GET.getlist("layanan")} if request.method == "GET" else None
    form = _referral_form(case, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft referral was saved. Record the consent, then send it."))
            return redirect("referrals:case_detail", public_id=case.public_id, referral_id=referral.public_id)
    return render(request, "referrals/referral_form.html", {"case": case, "form": form, "referral": None})


@require_permission("referral.send", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def case_referral_edit(request, public_id, referral_id):
    case = case_for_referrals(request, public_id)
    referral = _referral_of(request, case, referral_id)
    if referral.status != ReferralStatus.DRAFT:
        messages.error(request, _("Only a draft referral can be changed."))
        return redirect("referrals:case_detail", public_id=case.public_id, referral_id=referral.public_id)
    initial = {
        "victim": referral.victim.public_id if referral.victim_id else "",
        "to_agency": referral.to_agency.public_id,
        "services": referral.services,
        "shared_sections": [s for s in referral.shared_sections if s != "dokumen"],
        "documents": list(referral.documents.values_list("public_id", flat=True)),
        "note": referral.note,
    }
    form = _referral_form(case, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_update(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft referral was saved."))
            if referral.consent_withdrawn:
                messages.warning(
                    request,
                    _("What is shared changed, so the consent recorded for it no longer applies: ask again."),
                )
            return redirect("referrals:case_detail", public_id=case.public_id, referral_id=referral.public_id)
    return render(request, "referrals/referral_form.html", {"case": case, "form": form, "referral": referral})


def _case_detail_page(request, case, referral, **forms):
    _viewed(request, case, referral=referral.public_id)
    trail = referral_trail(case, referral)
    labels = {**EVENT_LABELS, "consent.record": _("Consent recorded")}
    trail = name_people(trail)
    for event in trail:
        event.label = labels.get(event.action, event.action)
    views = name_people(partner_views_of(referral))
    persons = list(case_persons(case))
    context = {
        "case": case,
        "referral": referral,
        "consent": referral_consent(referral),
        "consents": referral.consents.filter(purpose=ConsentPurpose.RUJUKAN).order_by("-given_at"),
        "documents": referral.documents.all(),
        "records": referral.service_records.order_by("delivered_on", "id"),
        "deadline": response_deadline(referral),
        "trail": trail,
        "partner_views": views,
        "consent_form": forms.get("consent_form") or ReferralConsentForm(prefix="consent", persons=persons),
        "revoke_form": forms.get("revoke_form") or OptionalReasonForm(prefix="revoke"),
        "action_error": forms.get("action_error"),
        "S": ReferralStatus,
        "open": referral.status
        in (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE),
    }
    return render(request, "referrals/case_referral.html", context)


@require_permission("referral.send", object_type="case", denied_case=_real_case)
def case_referral_detail(request, public_id, referral_id):
    case = case_for_referrals(request, public_id)
    return _case_detail_page(request, case, _referral_of(request, case, referral_id))


@require_POST
@require_permission("referral.send", object_type="case", denied_case=_real_case)
def case_referral_consent(request, public_id, referral_id):
    case = case_for_referrals(request, public_id)
    referral = _referral_of(request, case, referral_id)
    persons = list(case_persons(case))
    form = ReferralConsentForm(request.POST, prefix="consent", persons=persons)
    if referral.status != ReferralStatus.DRAFT:
        form.is_valid()
        form.add_error(None, _("Consent is recorded before the referral is sent."))
        return _case_detail_page(request, case, referral, consent_form=form)
    if not form.is_valid():
        return _case_detail_page(request, case, referral, consent_form=form)
    data = form.cleaned_data
    try:
        consent_record(
            actor=request.user,
            case=case,
            victim=referral.victim,
            purpose=ConsentPurpose.RUJUKAN,
            referral=referral,
            lawful_basis=data["lawful_basis"],
            given_by=data["given_by"],
            guardian=data["guardian"],
            guardian_name=data["guardian_name"],
            guardian_partner_of_perpetrator=data["guardian_partner_of_perpetrator"],
            child_assent=data["child_assent"],
            basis_note=data["basis_note"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _case_detail_page(request, case, referral, consent_form=form)
    messages.success(request, _("The consent to this referral was recorded."))
    return redirect("referrals:case_detail", public_id=case.public_id, referral_id=referral.public_id)


@require_POST
@require_permission("referral.send", object_type="case", denied_case=_real_case)
def case_referral_send(request, public_id, referral_id):
    case = case_for_referrals(request, public_id)
    referral = _referral_of(request, case, referral_id)
    try:
        services.referral_send(actor=request.user, referral=referral)
    except ValidationError as exc:
        return _case_detail_page(request, case, referral, action_error=" ".join(exc.messages))
    messages.success(request, _("The referral was sent to %(agency)s.") % {"agency": referral.to_agency.name})
    return redirect("referrals:case_detail", public_id=case.public_id, referral_id=referral.public_id)


@require_POST
@require_permission("referral.send", object_type="case", denied_case=_real_case)
def case_referral_revoke(request, public_id, referral_id):
    case = case_for_referrals(request, public_id)
    referral = _referral_of(request, case, referral_id)
    form = OptionalReasonForm(request.POST, prefix="revoke")
    form.is_valid()
    if not confirmed(request):
        form.add_error(None, _("The referral was not revoked: confirm it with “Yes, revoke the referral”."))
        return _case_detail_page(request, case, referral, revoke_form=form)
    try:
        services.referral_revoke(
            actor=request.user, referral=referral, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _case_detail_page(request, case, referral, revoke_form=form)
    messages.success(request, _("The referral was revoked."))
    return redirect("referrals:case_detail", public_id=case.public_id, referral_id=referral.public_id)


@require_permission("referral.send", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def case_shareable_documents(request, public_id):
    """Mark which of the case's documents may be shared with partners through a referral."""
    case = case_for_referrals(request, public_id)
    documents = case_documents_for_sharing(case)
    marked = [d.public_id for d in documents if getattr(d, "share_mark", None) is not None]
    form = ShareMarkForm(request.POST or None, documents=documents, initial={"shareable": marked})
    if request.method == "POST" and form.is_valid():
        chosen = {d.pk for d in form.cleaned_data["shareable"]}
        with transaction.atomic():  # all marks or none
            for document in documents:
                services.document_share_mark(
                    actor=request.user, document=document, shareable=document.pk in chosen
                )
        messages.success(request, _("The shareable documents were saved."))
        return redirect("referrals:case_list", public_id=case.public_id)
    _viewed(request, case, page="shareable_documents")
    return render(request, "referrals/shareable_documents.html", {"case": case, "form": form})


@require_permission("referral.send")
def outgoing(request):
    """The referrals the user follows: waiting for an answer (overdue first), in service, drafts."""
    sections = outgoing_sections(request.user, request.GET)
    audit_record(
        actor=request.user,
        action="referral.list",
        object_type="referral",
        details={"outgoing": True, "count": sum(len(page.rows) for page in sections.values())},
    )
    return render(request, "referrals/outgoing.html", {"sections": sections})
