"""Pages of protection measures, breaches and safety plans, under /kasus/<public_id>/perlindungan/.

Like every case page, a case outside the user's scope is an audited 404. The safety plan is the
case team's and the head of unit's only: anyone else who may open the case gets the same audited
404 for the plan's pages, so its existence is not told either.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.guards import require_permission
from sinergi.audit.services import audit_record
from sinergi.core.forms import add_service_errors

from .forms_protection import (
    BreachForm,
    ProtectionEndForm,
    ProtectionForm,
    SafetyActionFormSet,
    SafetyPlanForm,
)
from .policies import case_for, deny_case, record_case_view
from .protection_selectors import (
    case_measure,
    protection_clocks,
    protection_overview,
    victim_measures,
    victim_safety_plan,
)
from .selectors import case_by_public_id, case_person
from .workflow import protection as services


def _denied_case(public_id):
    return case_by_public_id(public_id)


_guard_edit = require_permission("case.edit", object_type="case", denied_case=_denied_case)
_guard_view = require_permission("case.view", object_type="case", denied_case=_denied_case)


def _victim(request, case, person_id):
    victim = case_person(case, person_id)
    if victim is None or victim.role != "korban":
        deny_case(request, case.public_id, case)
    return victim


def _plan_reader(request, case, access):
    """The safety plan is for the case team and the head of unit only (docs/protection.md)."""
    if not access.private_notes:
        audit_record(
            actor=request.user,
            action="safety_plan.view",
            outcome="denied",
            object_type="case",
            object_id=case.public_id,
            case=case,
            details={"reason": "not_on_team", "path": request.path[:200]},
        )
        deny_case(request, case.public_id, case)


def _form_page(request, case, form, **texts):
    return render(request, "cases/protection/form.html", {"case": case, "form": form, **texts})


def _back(case):
    return redirect(reverse("cases:protection", args=[case.public_id]))


@_guard_view
def protection_page(request, public_id):
    case, access = case_for(request, public_id, need="view", seen={"page": "protection"})
    rows = protection_overview(case, with_plans=access.private_notes)
    return render(
        request,
        "cases/protection/page.html",
        {"case": case, "access": access, "rows": rows, "clocks": protection_clocks(case)},
    )


@_guard_edit
@require_http_methods(["GET", "POST"])
def protection_add(request, public_id, person_id, measure_id=None):
    case, _access = case_for(request, public_id, need="edit")
    victim = _victim(request, case, person_id)
    measure = None
    if measure_id is not None:
        measure = case_measure(case, measure_id)
        if measure is None or measure.victim_id != victim.pk:
            deny_case(request, public_id, case)
    initial = {}
    if measure is not None:
        initial = {name: getattr(measure, name) for name in ProtectionForm.base_fields}
    form = ProtectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.protection_save(
                actor=request.user, case=case, victim=victim, measure=measure, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The protection was recorded."))
            return _back(case)
    record_case_view(request, case, page="protection_form")
    return _form_page(
        request,
        case,
        form,
        heading=_("Update the protection") if measure else _("Record a protection"),
        lead=_(
            "Police temporary protection (TPKS) is given within 1×24 hours of the report for at most 14 days; "
            "PKDRT police protection for at most 7 days. Longer protection comes from a court order."
        ),
        submit=_("Save"),
    )


@_guard_edit
@require_http_methods(["GET", "POST"])
def protection_end_view(request, public_id, measure_id):
    case, _access = case_for(request, public_id, need="edit")
    measure = case_measure(case, measure_id)
    if measure is None:
        deny_case(request, public_id, case)
    form = ProtectionEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.protection_end(actor=request.user, case=case, measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The end of the protection was recorded."))
            return _back(case)
    record_case_view(request, case, page="protection_end")
    lead = measure.get_kind_display()
    if measure.until:
        lead += " — " + _("until %(until)s") % {"until": date_format(measure.until, "d-m-Y")}
    return _form_page(request, case, form, heading=_("End of the protection"), lead=lead, submit=_("Save"))


@_guard_edit
@require_http_methods(["GET", "POST"])
def breach_add(request, public_id, person_id):
    case, _access = case_for(request, public_id, need="edit")
    victim = _victim(request, case, person_id)
    form = BreachForm(request.POST or None, measures=victim_measures(victim))
    if request.method == "POST" and form.is_valid():
        try:
            services.protection_breach_record(
                actor=request.user, case=case, victim=victim, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.warning(
                request,
                _(
                    "The breach was recorded. The case is now high risk; the lead and the head of unit were alerted."
                ),
            )
            return _back(case)
    record_case_view(request, case, page="protection_breach")
    return _form_page(
        request,
        case,
        form,
        heading=_("Report a breach of protection"),
        lead=_("A breach makes the case high risk at once: the lead and the head of unit are alerted."),
        submit=_("Record the breach"),
    )


def _plan_initial(plan):
    if plan is None:
        return {"made_with_victim": True}, [{}] * 3
    fields = {name: getattr(plan, name) for name in SafetyPlanForm.base_fields}
    actions = [{"what": a.what, "who": a.who, "when": a.when} for a in plan.actions.all()]
    return fields, actions + [{}] * 2


@_guard_edit
@require_http_methods(["GET", "POST"])
def safety_plan_edit(request, public_id, person_id):
    case, access = case_for(request, public_id, need="edit")
    _plan_reader(request, case, access)
    victim = _victim(request, case, person_id)
    plan = victim_safety_plan(victim)
    initial, actions = _plan_initial(plan)
    if request.method == "POST":
        form = SafetyPlanForm(request.POST)
        formset = SafetyActionFormSet(request.POST, prefix="actions")
    else:
        form = SafetyPlanForm(initial=initial)
        formset = SafetyActionFormSet(initial=actions, prefix="actions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.safety_plan_save(
                actor=request.user,
                case=case,
                victim=victim,
                actions=[f.cleaned_data for f in formset if f.cleaned_data],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field=None)
        else:
            messages.success(request, _("The safety plan was saved."))
            return _back(case)
    audit_record(
        actor=request.user,
        action="safety_plan.view",
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={"victim": victim.public_id},
    )
    return render(
        request,
        "cases/protection/safety_plan_form.html",
        {"case": case, "victim": victim, "plan": plan, "form": form, "formset": formset},
    )


@_guard_view
def safety_plan_print(request, public_id, person_id):
    """The survivor's own copy: one page in plain Indonesian, without her name unless asked for,
    with no address of the shelter or of the unit's premises."""
    case, access = case_for(request, public_id, need="view")
    _plan_reader(request, case, access)
    victim = _victim(request, case, person_id)
    plan = victim_safety_plan(victim)
    if plan is None:
        deny_case(request, public_id, case)
    with_name = request.GET.get("nama") == "1"
    audit_record(
        actor=request.user,
        action="safety_plan.print",
        object_type="safety_plan",
        object_id=plan.public_id,
        case=case,
        details={"with_name": with_name},
    )
    return render(
        request,
        "cases/protection/safety_plan_print.html",
        {"case": case, "plan": plan, "name": victim.name if with_name else ""},
    )
