from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import require_permission
from sinergi.accounts.security import reauth_required
from sinergi.audit.selectors import case_access_log, case_timeline
from sinergi.audit.services import audit_record
from sinergi.core import search_terms
from sinergi.core.forms import add_service_errors
from sinergi.regions.selectors import provinces_for_choice

from . import rules
from .choices import (
    AmpkCategory,
    Disability,
    PersonRole,
    PkdrtType,
    Relationship,
    ReporterKind,
    TpksOffence,
    TppoMeans,
    TppoProcess,
    TppoPurpose,
    ViolenceType,
)
from .forms import (
    BreakGlassForm,
    CaseFilterForm,
    IncidentForm,
    PerpetratorFormSet,
    PersonAddForm,
    PersonForm,
    RegisterCaseForm,
    VictimFormSet,
)
from .forms_classify import ClassifyForm
from .forms_consent import ConsentForm
from .intake import ADDABLE, error_summary, kept_initial, open_count
from .nik import WARNING_LABELS
from .panels import case_panels
from .policies import case_for
from .protection_selectors import protection_summary
from .record import (
    StaleEdit,
    case_flags,
    case_register,
    case_update_incident,
    consent_record,
    gbvims_of,
    gbvims_type_label,
    person_add,
    person_link,
    person_match_candidates,
    person_update,
    victim_classify,
)
from .selectors import (
    active_break_glass,
    answered_of,
    case_by_public_id,
    case_clocks,
    case_consents,
    case_person,
    case_persons,
    case_relations,
    cases_filtered,
    cases_matching,
    cases_visible_to,
    not_tpks_open,
    victim_relationships,
    victim_tpks,
)
from .services import case_break_glass_by_reference
from .summary import OPEN_SECTIONS, case_summary, section_contents
from .views_documents import document_section_context
from .views_workflow import workflow_page_context
from .workflow_selectors import timeline_entries

PAGE_SIZE = 25


def _real_case(public_id):
    return case_by_public_id(public_id)


def _list_data(request):
    """The list's filters: a search sent by POST or in an old-style ?q= link is parked in the
    session and the browser sent to a URL with only its opaque id (None: redirect there)."""
    if request.method == "POST" or request.GET.get("q"):
        source = request.POST if request.method == "POST" else request.GET
        q = (source.get("q") or "").strip()[:100]
        search_id = search_terms.park(request, {"q": q}) if q else None
        return None, search_terms.url_without(source, {"q"}, search_id)
    data = request.GET.copy()
    if search_terms.PARAM in data:
        terms = search_terms.parked(request, data[search_terms.PARAM])
        if terms is None:
            messages.info(request, _("That search has expired: search again."))
        else:
            data["q"] = terms["q"]
    return data, None


@require_permission("case.view")
@require_http_methods(["GET", "POST"])
def case_list(request):
    data, redirect_query = _list_data(request)
    if data is None:
        return redirect(f"{reverse('cases:list')}?{redirect_query}" if redirect_query else "cases:list")
    cases = cases_visible_to(request.user).select_related("unit").order_by("-created_at", "-id")
    form = CaseFilterForm(data or None)
    used, search = [], None
    if form.is_bound and form.is_valid():
        used = form.used_filters()
        cases = cases_filtered(cases, form.cleaned_data, request.user)
        q = form.cleaned_data["q"].strip()
        if q:
            cases, search = cases_matching(cases, q)
    elif form.is_bound:
        cases = cases.none()
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # evaluate before this request writes its own event
    if used or search:
        audit_record(
            actor=request.user,
            action="case.search",
            object_type="case",
            details={"filters": used, "search": search, "page": page.number},
        )
    else:
        audit_record(
            actor=request.user, action="case.list", object_type="case", details={"page": page.number}
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "query": query.urlencode(),
        "can_break_glass": has_permission(request.user, "case.break_glass"),
        "can_review": has_permission(request.user, "case.approve"),
        "can_register": has_permission(request.user, "case.register"),
    }
    return render(request, "cases/list.html", context)


@require_permission("case.view", object_type="case", denied_case=_real_case)
def case_detail(request, public_id):
    case, access = case_for(request, public_id, seen={})
    team = list(access.members)
    context = {
        "case": case,
        "access": access,
        "team": team,
        "break_glass": active_break_glass(case),
        "access_log": timeline_entries(case_access_log(case)) if access.access_log else None,
        "timeline": timeline_entries(case_timeline(case)),
        "case_clocks": case_clocks(case, may_extend=access.edit),
        "case_panels": case_panels(request.user, case, access),
        **_case_record_context(case, access),
        **document_section_context(request.user, case, access=access),
        **workflow_page_context(request.user, case, access=access, team=team),
    }
    context["summary"] = case_summary(case, context["victims"], context["case_clocks"], context)
    context["contents"] = section_contents(context)
    context["open"] = dict.fromkeys(OPEN_SECTIONS, True)
    return render(request, "cases/detail.html", context)


@require_permission("case.break_glass")
@reauth_required
@require_http_methods(["GET", "POST"])
def case_break_glass_view(request):
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_break_glass_by_reference(
                actor=request.user,
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.warning(request, _("Emergency access granted for 12 hours. It is logged and reported."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/break_glass.html", {"form": form})


# --- case record: register, case page, edits -------------------------------------------------

_REGISTER_TOKENS = "cases.register.tokens"
_MAX_REMEMBERED_TOKENS = 50


@require_permission("case.register")
@require_http_methods(["GET", "POST"])
def case_register_view(request):
    adding = request.POST.get("add") if request.method == "POST" else None
    if adding in ADDABLE:
        # "Add a victim/perpetrator" without JavaScript: the page again with what was typed.
        case_initial, victim_rows, perpetrator_rows = kept_initial(request.POST)
        form = RegisterCaseForm(initial=case_initial)
        victims = VictimFormSet(prefix="korban", initial=victim_rows)
        perpetrators = PerpetratorFormSet(prefix="pelaku", initial=perpetrator_rows)
    elif request.method == "POST":
        form = RegisterCaseForm(request.POST)
        victims = VictimFormSet(request.POST, prefix="korban")
        perpetrators = PerpetratorFormSet(request.POST, prefix="pelaku")
        token = str(request.POST.get("token", ""))[:64]
        remembered = request.session.get(_REGISTER_TOKENS, {})
        if token in remembered:
            return _already_registered(request, remembered[token])
        # A double click sends the second POST before the first has answered (and saved the
        # session); the cache key makes the second one wait for the first one's case.
        lock = f"cases.register:{request.user.pk}:{token}"
        valid = form.is_valid() and victims.is_valid() and perpetrators.is_valid()
        if valid and not cache.add(lock, "", timeout=600):
            return _already_registered(request, cache.get(lock))
        if valid:
            try:
                case = case_register(
                    actor=request.user,
                    victims=[f.person() for f in victims if f.has_changed()],
                    perpetrators=[f.person() for f in perpetrators if f.has_changed()],
                    reporter=form.reporter(),
                    **form.case_fields(),
                )
            except ValidationError as exc:
                cache.delete(lock)
                add_service_errors(form, exc)
            except BaseException:
                cache.delete(lock)
                raise
            else:
                cache.set(lock, case.public_id, timeout=600)
                remembered = dict(list(remembered.items())[-(_MAX_REMEMBERED_TOKENS - 1) :])
                remembered[token] = case.public_id
                request.session[_REGISTER_TOKENS] = remembered
                messages.success(
                    request,
                    _("Case registered with number %(number)s.") % {"number": case.registration_number},
                )
                return redirect("cases:detail", public_id=case.public_id)
    else:
        form = RegisterCaseForm()
        victims = VictimFormSet(prefix="korban")
        perpetrators = PerpetratorFormSet(prefix="pelaku")
    context = {
        "form": form,
        "victims": victims,
        "perpetrators": perpetrators,
        "victims_open": open_count(victims, minimum=1, add=adding == "korban"),
        "perpetrators_open": open_count(perpetrators, add=adding == "pelaku"),
        "errors": error_summary(form, victims, perpetrators),
    }
    return render(request, "cases/register.html", context)


def _already_registered(request, public_id):
    if not public_id:
        messages.info(request, _("This report is already being saved."))
        return redirect("cases:list")
    messages.info(request, _("This report was already saved; here is the case."))
    return redirect("cases:detail", public_id=public_id)


def _labels(codes, choices):
    labels = dict(choices.choices)
    return [labels.get(code, code) for code in codes or []]


def _incidents(case, persons, decisions, answered):
    """Each victim's incident for the classification panel, with why it is TPKS (or is not), and
    the "not TPKS" decisions that count or wait (`not_tpks_open`; `answered` is its answered_of)."""
    victims = [p for p in persons if p.role == PersonRole.KORBAN]
    perpetrators = {p.pk: p for p in persons if p.role == PersonRole.PELAKU}
    relations = case_relations(case)
    incidents = []
    for number, victim in enumerate(victims, start=1):
        grounds, overruled = victim_tpks(victim, answered)
        incidents.append(
            {
                "number": number,
                "victim": victim,
                "tpks_grounds": grounds,
                "tpks": bool(grounds) and not overruled,
                "not_tpks_approved": overruled,
                "not_tpks": decisions.get(victim.pk, []),
                "tpks_offences": _labels(victim.tpks_offences, TpksOffence),
                "pkdrt": _labels(victim.pkdrt_types, PkdrtType),
                "tppo_processes": _labels(victim.tppo_processes, TppoProcess),
                "tppo_means": _labels(victim.tppo_means, TppoMeans),
                "tppo_purposes": _labels(victim.tppo_purposes, TppoPurpose),
                "gbvims": gbvims_type_label(victim.gbvims_type),
                **gbvims_of(victim, [code for (_p, vid), code in relations.items() if vid == victim.pk]),
                "relations": [
                    (perpetrators[pid], dict(Relationship.choices).get(code, code))
                    for (pid, vid), code in relations.items()
                    if vid == victim.pk and pid in perpetrators
                ],
            }
        )
    return incidents


def _case_record_context(case, access):
    persons = list(case_persons(case, with_region=True))
    for person in persons:
        person.violence_labels = _labels(person.violence_types, ViolenceType)
        person.ampk_labels = _labels(person.ampk_categories, AmpkCategory)
        person.disability_labels = _labels(person.disabilities, Disability)
        person.reporter_label = dict(ReporterKind.choices).get(person.reporter_kind, person.reporter_kind)
        person.nik_confirmed_labels = [
            str(WARNING_LABELS.get(code, code)) for code in person.nik_warnings_confirmed
        ]
    # Approved "not TPKS" decisions: read once for the flags and the classification panel.
    decisions = not_tpks_open([p for p in persons if p.role == PersonRole.KORBAN])
    answered = answered_of(decisions)
    return {
        "victims": [p for p in persons if p.role == PersonRole.KORBAN],
        "perpetrators": [p for p in persons if p.role == PersonRole.PELAKU],
        "reporters": [p for p in persons if p.role == PersonRole.PELAPOR],
        "guardians": [p for p in persons if p.role == PersonRole.WALI],
        "flags": case_flags(case, persons, answered),
        "consents": case_consents(case),
        "protection": protection_summary(case),
        "incidents": _incidents(case, persons, decisions, answered),
        "can_edit": access.edit,
    }


def _editable_case(request, public_id):
    # Edit pages show the record too: each look is a view of the case in the audit trail.
    page = request.resolver_match.url_name if request.resolver_match else ""
    case, _access = case_for(request, public_id, need="edit", seen={"page": page})
    return case


def _conflict_rows(form, current):
    saved = type(form).initial_for(current)
    rows = []
    for name, field in form.fields.items():
        if name == "version" or isinstance(field.widget, forms.HiddenInput):
            continue
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name)
        theirs = saved.get(name)
        rows.append(
            {
                "label": field.label,
                "saved": form.display(name, theirs),
                "typed": form.display(name, mine),
                "differs": form.display(name, theirs) != form.display(name, mine),
            }
        )
    return rows


def _restart_from(form_class, request, current, **kwargs):
    """The user's input again, now based on the version someone else saved."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _edit_page(request, template, context, *, conflict=None):
    context = {**context, "conflict": conflict}
    return render(request, template, context, status=409 if conflict else 200)


@require_permission("case.edit", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def case_edit_incident(request, public_id):
    case = _editable_case(request, public_id)
    conflict = None
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                case_update_incident(
                    actor=request.user,
                    case=case,
                    version=form.cleaned_data["version"],
                    **form.service_fields(),
                )
            except StaleEdit as stale:
                conflict = _conflict_rows(form, stale.current)
                form = _restart_from(IncidentForm, request, stale.current)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The incident was saved."))
                return redirect("cases:detail", public_id=case.public_id)
    else:
        form = IncidentForm(initial=IncidentForm.initial_for(case))
    provinces = provinces_for_choice()
    context = {"case": case, "form": form, "provinces": provinces}
    return _edit_page(request, "cases/edit_incident.html", context, conflict=conflict)


@require_permission("case.edit", object_type="case", denied_case=_real_case)
@require_http_methods(["GET"])
def case_classify_view(request, public_id):
    """Each victim is classified on her own: straight to the one victim, else a choice."""
    case = _editable_case(request, public_id)
    victims = list(case_persons(case, role=PersonRole.KORBAN))
    if len(victims) == 1:
        return redirect("cases:classify_victim", public_id=case.public_id, person_id=victims[0].public_id)
    return render(request, "cases/classify_choose.html", {"case": case, "victims": victims})


@require_permission("case.edit", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def victim_classify_view(request, public_id, person_id):
    case = _editable_case(request, public_id)
    victim = case_person(case, person_id)
    if victim is None or victim.role != PersonRole.KORBAN:
        raise Http404
    conflict = None
    if request.method == "POST":
        form = ClassifyForm(request.POST)
        if form.is_valid():
            try:
                victim_classify(
                    actor=request.user,
                    case=case,
                    victim=victim,
                    version=form.cleaned_data["version"],
                    **form.service_fields(),
                )
            except StaleEdit as stale:
                conflict = _conflict_rows(form, stale.current)
                form = _restart_from(ClassifyForm, request, stale.current)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The classification was saved."))
                return redirect(reverse("cases:detail", args=[case.public_id]) + "#classification")
    else:
        form = ClassifyForm(initial=ClassifyForm.initial_for(victim))
    context = {
        "case": case,
        "victim": victim,
        "form": form,
        "victim_label": _("Victim"),
        "grounds": rules.incident_tpks_grounds(victim),
        **gbvims_of(victim, victim_relationships(victim)),
    }
    return _edit_page(request, "cases/classify.html", context, conflict=conflict)


def _victims_of(case, role):
    """The victims a perpetrator's form asks the relationship to (none for other roles)."""
    return list(case_persons(case, role=PersonRole.KORBAN)) if role == PersonRole.PELAKU else []


_ROLE_SLUGS = {
    "korban": PersonRole.KORBAN,
    "pelaku": PersonRole.PELAKU,
    "pelapor": PersonRole.PELAPOR,
    "wali": PersonRole.WALI,
}


@require_permission("case.edit", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def case_person_add(request, public_id, role):
    case = _editable_case(request, public_id)
    if role not in _ROLE_SLUGS:
        raise Http404
    role = _ROLE_SLUGS[role]
    victims = _victims_of(case, role)
    matches = []
    if request.method == "POST":
        form = PersonAddForm(request.POST, role=role, victims=victims)
        if form.is_valid():
            same_as = None
            if not form.cleaned_data["continue_different"]:
                matches = person_match_candidates(actor=request.user, exclude_case=case, **form.match_keys())
                chosen = request.POST.get("same_as_choice", "")
                same_as = next((m for m in matches if m.public_id == chosen), None)
            if not matches or same_as or form.cleaned_data["continue_different"]:
                try:
                    with transaction.atomic():
                        person = person_add(actor=request.user, case=case, role=role, **form.person_fields())
                        if same_as is not None:
                            person_link(actor=request.user, person=person, other=same_as)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    matches = []
                else:
                    messages.success(request, _("The person was added."))
                    return redirect(reverse("cases:detail", args=[case.public_id]) + "#persons")
    else:
        form = PersonAddForm(role=role, victims=victims)
    if matches:
        # Likely matches show persons of other cases: record whose records were shown.
        for match in matches:
            audit_record(
                actor=request.user,
                action="person.view",
                object_type="person",
                object_id=match.public_id,
                case=match.case,
                details={"reason": "possible match", "for_case": case.public_id},
            )
    context = {"case": case, "form": form, "role": role, "matches": matches, "adding": True}
    context["provinces"] = provinces_for_choice()
    return render(request, "cases/person_form.html", context)


@require_permission("case.edit", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def case_person_edit(request, public_id, person_id):
    case = _editable_case(request, public_id)
    person = case_person(case, person_id)
    if person is None:
        raise Http404
    victims = _victims_of(case, person.role)
    conflict = None
    if request.method == "POST":
        form = PersonForm(request.POST, role=person.role, victims=victims)
        if form.is_valid():
            try:
                person_update(
                    actor=request.user,
                    person=person,
                    version=form.cleaned_data["version"],
                    **form.person_fields(),
                )
            except StaleEdit as stale:
                conflict = _conflict_rows(form, stale.current)
                form = _restart_from(PersonForm, request, stale.current, role=person.role, victims=victims)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The person was saved."))
                return redirect(reverse("cases:detail", args=[case.public_id]) + "#persons")
    else:
        form = PersonForm(initial=PersonForm.initial_for(person), role=person.role, victims=victims)
    context = {"case": case, "form": form, "role": person.role, "person": person, "matches": []}
    context["provinces"] = provinces_for_choice()
    return _edit_page(request, "cases/person_form.html", context, conflict=conflict)


@require_permission("case.edit", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def case_consent_add(request, public_id):
    case = _editable_case(request, public_id)
    persons = list(case_persons(case))
    form = ConsentForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                actor=request.user,
                case=case,
                victim=data["victim"],
                purpose=data["purpose"],
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
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect(reverse("cases:detail", args=[case.public_id]) + "#consents")
    return render(request, "cases/consent_form.html", {"case": case, "form": form})
