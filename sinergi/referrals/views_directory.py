"""The partner directory (rujukan/mitra/...) and the unit's referral pathways (rujukan/jalur/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.choices import OrganisationKind, ServiceCategory
from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.core.forms import add_service_errors

from . import directory
from .forms import ContactForm, DirectoryFilterForm, PathwayForm
from .policies import can_manage_partner
from .selectors import active_partners, partner_by_public_id, partner_contact


def _unit_of(user):
    org = user.organisation
    return org if org is not None and org.kind == OrganisationKind.SERVICE_UNIT else None


@require_permission("partner.directory")
def directory_list(request):
    form = DirectoryFilterForm(request.GET or None)
    partners = directory.partners_visible_to(request.user)
    if form.is_valid():
        partners = directory.directory_filter(
            partners,
            service=form.cleaned_data["service"],
            agency_type=form.cleaned_data["agency_type"],
            query=form.cleaned_data["q"],
        )
    unit = _unit_of(request.user)
    pathways = directory.pathways_of(unit) if unit else {}
    rows = [(ServiceCategory(code), agencies) for code, agencies in pathways.items()]
    return render(
        request,
        "referrals/directory.html",
        {"form": form, "partners": list(partners[:300]), "pathways": rows, "unit": unit},
    )


def _partner(request, public_id):
    return get_visible_or_404(
        request, directory.partners_visible_to(request.user), object_type="organisation", public_id=public_id
    )


def _partner_page(request, partner, contact_form=None, status=200):
    return render(
        request,
        "referrals/partner_detail.html",
        {
            "partner": partner,
            "services": [ServiceCategory(s) for s in partner.services_offered if s in ServiceCategory.values],
            "may_manage": can_manage_partner(request.user, partner),
            "contact_form": contact_form or ContactForm(),
        },
        status=status,
    )


@require_permission("partner.directory", object_type="organisation")
def partner_detail(request, public_id):
    return _partner_page(request, _partner(request, public_id))


def _managed_partner(request, public_id):
    partner = partner_by_public_id(public_id)
    if partner is None or not can_manage_partner(request.user, partner):
        raise Http404
    return partner


@require_POST
@require_permission("partner.manage")
def contact_add_view(request, public_id):
    partner = _managed_partner(request, public_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            directory.contact_add(actor=request.user, organisation=partner, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact person was added."))
            return redirect("referrals:partner_detail", public_id=partner.public_id)
    return _partner_page(request, partner, contact_form=form)


@require_POST
@require_permission("partner.manage")
def contact_remove_view(request, public_id, contact_id):
    partner = _managed_partner(request, public_id)
    contact = partner_contact(partner, contact_id)
    if contact is None:
        raise Http404
    directory.contact_remove(actor=request.user, contact=contact)
    messages.success(request, _("The contact person was removed."))
    return redirect("referrals:partner_detail", public_id=partner.public_id)


@require_permission("partner.manage")
@require_http_methods(["GET", "POST"])
def pathway_edit(request):
    unit = _unit_of(request.user)
    if unit is None:
        raise Http404
    agencies = list(active_partners())
    form = PathwayForm(
        request.POST or None, agencies=agencies, initial={"service": request.GET.get("layanan", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            directory.pathway_set(
                actor=request.user, unit=unit, service=form.cleaned_data["service"], agencies=form.agencies()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral pathway was saved."))
            return redirect("referrals:pathways")
    rows = [(ServiceCategory(code), a) for code, a in directory.pathways_of(unit).items()]
    return render(request, "referrals/pathways.html", {"form": form, "pathways": rows, "unit": unit})
