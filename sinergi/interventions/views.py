"""Pages of services delivered: on a case (kasus/<id>/layanan/...) and the shelters (penampungan/).

Case pages use the case's own guard: `case.view`/`case.edit` and the scoped fetch (another unit's
case is a 404); a closed case is read-only (sinergi.cases.policies). Services refuse what the
rules refuse; the refusal is shown next to the field and is already in the audit trail.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.cases.policies import case_for
from sinergi.cases.selectors import case_by_public_id, cases_visible_to
from sinergi.core.forms import add_service_errors

from . import services
from .forms import (
    AccompanimentForm,
    AdmitForm,
    BedForm,
    CourtMonitoringForm,
    DischargeForm,
    ExtendForm,
    LegalStageForm,
    MediationConcludeForm,
    MediationFollowUpForm,
    MediationForm,
    MediationSessionForm,
    RestitutionAdvanceForm,
    RestitutionFileForm,
    RightsExplanationForm,
    ServiceForm,
    ShelterForm,
)
from .models import LegalProcessStage, Mediation, Restitution, ShelterStay
from .selectors import (
    case_child,
    case_interventions,
    occupancy_board,
    open_court_concerns,
    shelter_bed,
    shelters_for_admission,
    shelters_visible_to,
    stage_monitoring,
)


def case_guard(permission):
    return require_permission(permission, object_type="case", denied_case=case_by_public_id)


def _case(request, public_id, *, page, need="view"):
    """The case, through the user's scope (404 outside it); each look is audited as a case view."""
    return case_for(request, public_id, need=need, seen={"page": page})


def _editable(request, public_id, *, page):
    case, _access = _case(request, public_id, page=page, need="edit")
    return case


def _back(case, anchor="services"):
    return redirect(reverse("interventions:case", args=[case.public_id]) + f"#{anchor}")


def _form_page(request, case, form, *, title, intro="", extra=None, status=200):
    context = {"case": case, "form": form, "title": title, "intro": intro, **(extra or {})}
    return render(request, "interventions/form.html", context, status=status)


def _child(model, case, public_id):
    obj = case_child(model, case, public_id)
    if obj is None:
        raise Http404
    return obj


# --- the case's services page ----------------------------------------------------------------


@case_guard("case.view")
def case_services(request, public_id):
    case, access = _case(request, public_id, page="services")
    context = {
        "case": case,
        "can_edit": access.edit,
        "mediation_decision": services.mediation_decision(case),
        **case_interventions(case),
    }
    return render(request, "interventions/case_services.html", context)


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def service_add(request, public_id):
    case = _editable(request, public_id, page="service_add")
    form = ServiceForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The service was recorded."))
            return _back(case)
    return _form_page(request, case, form, title=_("Record a service"))


# --- shelter stays ---------------------------------------------------------------------------


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def shelter_admit_view(request, public_id):
    case = _editable(request, public_id, page="shelter_admit")
    shelters = shelters_for_admission(case)
    form = AdmitForm(request.POST or None, case=case, shelters=shelters)
    if request.method == "POST" and form.is_valid():
        try:
            services.shelter_admit(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The victim was admitted to the shelter."))
            return _back(case, "shelter")
    intro = "" if shelters else _("Your unit has no active shelter yet; the head of unit adds shelters.")
    return _form_page(request, case, form, title=_("Admit to a shelter"), intro=intro)


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def stay_discharge_view(request, public_id, stay_id):
    case = _editable(request, public_id, page="shelter_discharge")
    stay = _child(ShelterStay, case, stay_id)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shelter_discharge(
                actor=request.user,
                stay=stay,
                discharged_at=form.cleaned_data["discharged_at"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The discharge was recorded."))
            return _back(case, "shelter")
    return _form_page(request, case, form, title=_("Discharge from the shelter"), extra={"stay": stay})


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def stay_extend_view(request, public_id, stay_id):
    case = _editable(request, public_id, page="shelter_extend")
    stay = _child(ShelterStay, case, stay_id)
    form = ExtendForm(
        request.POST or None, initial={"until": timezone.localtime(stay.planned_until) + dt.timedelta(days=7)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.shelter_extend(actor=request.user, stay=stay, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The stay was extended."))
            return _back(case, "shelter")
    intro = _("A stay lasts up to 7 days. Each extension (up to 7 more days) needs a reason.")
    return _form_page(request, case, form, title=_("Extend the stay"), intro=intro, extra={"stay": stay})


# --- mediation -------------------------------------------------------------------------------


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def mediation_start_view(request, public_id):
    case = _editable(request, public_id, page="mediation_start")
    decision = services.mediation_decision(case)
    form = MediationForm(request.POST or None, case=case, diversion=decision.as_diversion)
    if request.method == "POST" and form.is_valid():
        try:
            mediation = services.mediation_start(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The mediation was opened."))
            return redirect(
                "interventions:mediation", public_id=case.public_id, mediation_id=mediation.public_id
            )
    if not decision.allowed:
        intro = _(
            "This is a sexual violence (TPKS) case: mediation is not allowed unless the perpetrator is "
            "a child (then only diversion). UU 12/2022 TPKS Ps 23."
        )
    elif decision.as_diversion:
        intro = _(
            "TPKS case with a child perpetrator: this will be recorded as diversion (diversi), which UU "
            "SPPA Ps 7(2) allows only for an offence threatened with less than 7 years of imprisonment "
            "that is not a repeat offence. Answer both questions; otherwise the case goes to the "
            "juvenile court."
        )
    else:
        intro = _(
            "Mediation is for civil disputes (maintenance, custody, marital property, inheritance, "
            "wages) and complaint-only offences the victim will not pursue. It needs a completed "
            "assessment."
        )
    return _form_page(request, case, form, title=_("Open a mediation"), intro=intro)


_MEDIATION_ACTIONS = {
    "session": (MediationSessionForm, services.mediation_session_add, _("The session was recorded.")),
    "conclude": (MediationConcludeForm, services.mediation_conclude, _("The outcome was recorded.")),
    "follow_up": (MediationFollowUpForm, services.mediation_follow_up, _("The follow-up was recorded.")),
}


@case_guard("case.view")
@require_http_methods(["GET", "POST"])
def mediation_detail(request, public_id, mediation_id):
    case, access = _case(request, public_id, page="mediation")
    mediation = _child(Mediation, case, mediation_id)
    can_edit = access.edit
    bound = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in _MEDIATION_ACTIONS:
            raise Http404
        form_class, service, done = _MEDIATION_ACTIONS[action]
        form = form_class(request.POST, prefix=action)
        if form.is_valid():
            try:
                service(actor=request.user, mediation=mediation, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect(
                    "interventions:mediation", public_id=case.public_id, mediation_id=mediation.public_id
                )
        bound[action] = form
    forms = {
        name: bound.get(name) or form_class(prefix=name)
        for name, (form_class, _s, _d) in _MEDIATION_ACTIONS.items()
    }
    context = {
        "case": case,
        "mediation": mediation,
        "parties": mediation.parties.all(),
        "sessions": mediation.sessions.all(),
        "follow_ups": mediation.follow_ups.all(),
        "can_edit": can_edit,
        "forms": forms,
    }
    return render(request, "interventions/mediation.html", context)


# --- accompaniment, legal process, restitution -----------------------------------------------


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def accompaniment_add(request, public_id):
    case = _editable(request, public_id, page="accompaniment_add")
    form = AccompanimentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.accompaniment_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The accompaniment was recorded."))
            return _back(case, "accompaniment")
    intro = _("Survivors should be accompanied by someone of the same sex where possible.")
    return _form_page(request, case, form, title=_("Record an accompaniment"), intro=intro)


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def legal_stage_add(request, public_id):
    case = _editable(request, public_id, page="legal_stage_add")
    form = LegalStageForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_stage_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The stage of the legal process was recorded."))
            return _back(case, "legal")
    return _form_page(request, case, form, title=_("Record a stage of the legal process"))


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def restitution_file_view(request, public_id):
    case = _editable(request, public_id, page="restitution_file")
    form = RestitutionFileForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["forms"] = data.pop("restitution_forms")
        try:
            services.restitution_file(actor=request.user, case=case, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The restitution claim was recorded."))
            return _back(case, "restitution")
    intro = _("Restitution is the victim's right in a sexual violence case (UU 12/2022 TPKS Ps 30).")
    return _form_page(request, case, form, title=_("File a restitution claim"), intro=intro)


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def restitution_advance_view(request, public_id, restitution_id):
    case = _editable(request, public_id, page="restitution_advance")
    restitution = _child(Restitution, case, restitution_id)
    form = RestitutionAdvanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.restitution_advance(actor=request.user, restitution=restitution, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The restitution stage was recorded."))
            return _back(case, "restitution")
    extra = {"restitution": restitution, "steps": restitution.steps.all()}
    return _form_page(request, case, form, title=_("Next stage of the restitution"), extra=extra)


# --- shelters and the occupancy board --------------------------------------------------------


@require_permission("shelter.view")
def shelter_board(request):
    shelters = occupancy_board(shelters_visible_to(request.user))
    visible = set(
        cases_visible_to(request.user)
        .filter(
            pk__in=[
                bed.stay.case_id for s in shelters for r in s.board_rooms for bed in r["beds"] if bed.stay
            ]
        )
        .values_list("pk", flat=True)
    )
    audit_record(
        actor=request.user, action="shelter.board", object_type="shelter", details={"shelters": len(shelters)}
    )
    context = {
        "shelters": shelters,
        "visible_case_ids": visible,
        "can_manage": has_permission(request.user, "shelter.manage"),
    }
    return render(request, "interventions/board.html", context)


# --- rights information and court monitoring ----------------------------------------------------


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def rights_record_view(request, public_id):
    case = _editable(request, public_id, page="rights_record")
    form = RightsExplanationForm(request.POST or None, case=case, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_explanation_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rights explained were recorded."))
            return _back(case, "rights")
    intro = _(
        "Tick every right you explained to the victim; the rights leaflet can be printed and given to her."
    )
    return _form_page(request, case, form, title=_("Record the rights explained"), intro=intro)


@case_guard("case.view")
def rights_leaflet(request, public_id):
    """The rights leaflet, in Indonesian whatever the interface language, with no victim's name
    (it can be printed blank): the case only names the unit to call."""
    case, _access = _case(request, public_id, page="rights_leaflet")
    return render(request, "interventions/rights_leaflet.html", {"case": case, "unit": case.unit})


@case_guard("case.edit")
@require_http_methods(["GET", "POST"])
def court_monitoring_view(request, public_id, stage_id):
    case = _editable(request, public_id, page="court_monitoring")
    stage = _child(LegalProcessStage, case, stage_id)
    current = stage_monitoring(stage)
    initial = {}
    if current is not None:
        initial = {k: getattr(current, k) for k in CourtMonitoringForm.base_fields}
    form = CourtMonitoringForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.court_monitoring_record(actor=request.user, case=case, stage=stage, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The monitoring of this stage was recorded."))
            return _back(case, "legal")
    title = _("Victim's rights at: %(stage)s") % {"stage": stage.get_stage_display()}
    intro = _(
        "Answer for this stage only. A concern raised stays on the coordination meeting's list until resolved."
    )
    return _form_page(request, case, form, title=title, intro=intro, extra={"court_stage": stage})


@require_http_methods(["POST"])
@case_guard("case.edit")
def court_concern_resolve_view(request, public_id, stage_id):
    case = _editable(request, public_id, page="court_concern_resolve")
    monitoring = stage_monitoring(_child(LegalProcessStage, case, stage_id))
    if monitoring is None:
        raise Http404
    try:
        services.court_concern_resolve(actor=request.user, case=case, monitoring=monitoring)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The concern was marked as resolved."))
    return _back(case, "legal")


@require_permission("case.view")
def court_concerns(request):
    """The unit's open concerns about the legal process, per agency, for its staff: a case code
    only for a case the reader may open, the others counted."""
    org = request.user.organisation
    groups = open_court_concerns(org, request.user) if org is not None and org.is_service_unit else []
    for group in groups:
        group["hidden"] = sum(not r["case_visible"] for r in group["rows"])
        group["rows"] = [r for r in group["rows"] if r["case_visible"]]
    return render(request, "interventions/court_concerns.html", {"groups": groups, "unit": org})


@require_permission("shelter.manage")
@require_http_methods(["GET", "POST"])
def shelter_create_view(request):
    form = ShelterForm(request.POST or None)
    bed_form = BedForm(request.POST or None, prefix="bed")
    if request.method == "POST" and form.is_valid():
        rooms = []
        if bed_form.is_valid():
            rooms = [(bed_form.cleaned_data["room_name"], [bed_form.cleaned_data["label"]])]
        try:
            shelter = services.shelter_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
                rooms=rooms,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The shelter was created."))
            return redirect("interventions:shelter_edit", public_id=shelter.public_id)
    return render(request, "interventions/shelter_form.html", {"form": form, "bed_form": bed_form})


@require_permission("shelter.manage")
@require_http_methods(["GET", "POST"])
def shelter_edit(request, public_id):
    shelter = get_visible_or_404(
        request,
        shelters_visible_to(request.user).filter(unit_id=request.user.organisation_id),
        object_type="shelter",
        public_id=public_id,
    )
    form = ShelterForm(
        initial={"name": shelter.name, "address": shelter.address, "is_active": shelter.is_active}
    )
    bed_form = BedForm(prefix="bed")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    try:
        if action == "update":
            form = ShelterForm(request.POST)
            if form.is_valid():
                services.shelter_update(actor=request.user, shelter=shelter, **form.cleaned_data)
                messages.success(request, _("The shelter was saved."))
                return redirect("interventions:shelter_edit", public_id=shelter.public_id)
        elif action == "bed_add":
            bed_form = BedForm(request.POST, prefix="bed")
            if bed_form.is_valid():
                services.shelter_bed_add(actor=request.user, shelter=shelter, **bed_form.cleaned_data)
                messages.success(request, _("The bed was added."))
                return redirect("interventions:shelter_edit", public_id=shelter.public_id)
        elif action in {"bed_off", "bed_on"}:
            bed = shelter_bed(shelter, request.POST.get("bed", ""))
            if bed is None:
                raise Http404
            services.shelter_bed_set_active(actor=request.user, bed=bed, is_active=action == "bed_on")
            messages.success(request, _("The bed was saved."))
            return redirect("interventions:shelter_edit", public_id=shelter.public_id)
        elif request.method == "POST":
            raise Http404
    except ValidationError as exc:
        target = bed_form if action == "bed_add" else form
        if action in {"bed_off", "bed_on"}:
            messages.error(request, " ".join(exc.messages))
            return redirect("interventions:shelter_edit", public_id=shelter.public_id)
        add_service_errors(target, exc)
    board = occupancy_board(shelters_visible_to(request.user).filter(pk=shelter.pk))[0]
    context = {"shelter": board, "form": form, "bed_form": bed_form}
    return render(request, "interventions/shelter_edit.html", context)
