"""Incoming referrals: a partner refers a person to a unit; the unit's intake takes it in."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.core.forms import add_service_errors

from . import incoming as svc
from .forms import IncomingReferralForm, ReasonForm
from .selectors import incoming_sections


@require_permission("referral.incoming")
@require_http_methods(["GET", "POST"])
def incoming_new(request):
    form = IncomingReferralForm(request.POST or None, units=svc.incoming_targets(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            svc.incoming_referral_send(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral was sent to the unit."))
            return redirect("referrals:inbox")
    return render(request, "referrals/incoming_form.html", {"form": form})


@require_permission("referral.intake")
def incoming_list(request):
    incoming = svc.incoming_visible_to(request.user).select_related("from_agency", "case", "referral__case")
    sections = incoming_sections(incoming, request.GET)
    audit_record(actor=request.user, action="referral.incoming_list", object_type="incoming_referral")
    return render(request, "referrals/incoming_list.html", {"sections": sections})


def _incoming(request, public_id):
    return get_visible_or_404(
        request,
        svc.incoming_visible_to(request.user).select_related(
            "from_agency", "sent_by", "case", "referral__case"
        ),
        object_type="incoming_referral",
        public_id=public_id,
    )


def _page(request, incoming, form=None, error=None):
    audit_record(
        actor=request.user,
        action="referral.incoming_view",
        object_type="incoming_referral",
        object_id=incoming.public_id,
        case=incoming.case or (incoming.referral.case if incoming.referral_id else None),
    )
    return render(
        request,
        "referrals/incoming_detail.html",
        {
            "incoming": incoming,
            "form": form or ReasonForm(),
            "error": error,
            "waiting": incoming.status == "menunggu",
        },
    )


@require_permission("referral.intake", object_type="incoming_referral")
def incoming_detail(request, public_id):
    return _page(request, _incoming(request, public_id))


@require_POST
@require_permission("referral.intake", object_type="incoming_referral")
def incoming_register_view(request, public_id):
    incoming = _incoming(request, public_id)
    try:
        case = svc.incoming_referral_register(actor=request.user, incoming=incoming)
    except ValidationError as exc:
        return _page(request, incoming, error=" ".join(exc.messages))
    except PermissionDenied:
        return _page(request, incoming, error=_("You may not register cases."))
    messages.success(request, _("The referral was taken in as a draft case."))
    return redirect("cases:detail", public_id=case.public_id)


@require_POST
@require_permission("referral.intake", object_type="incoming_referral")
def incoming_decline_view(request, public_id):
    incoming = _incoming(request, public_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            svc.incoming_referral_decline(
                actor=request.user, incoming=incoming, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral was declined."))
            return redirect("referrals:incoming_list")
    return _page(request, incoming, form=form)
