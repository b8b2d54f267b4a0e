"""Pages of the case management workflow, under /kasus/<public_id>/ (services: sinergi.cases.workflow).

Like every case URL, a refusal for lack of the right or of access to the case is an audited 404;
a closed case answers the edit pages with an audited 403 that says how to reopen it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import require_permission
from sinergi.core.forms import add_service_errors, confirmed

from . import workflow
from .choices import ApprovalKind, ApprovalStatus, CaseStatus, CaseStep, PersonRole, PlanStatus, TeamRole
from .forms_workflow import (
    AssessmentForm,
    ClosureForm,
    DecisionForm,
    FirstContactForm,
    LeadForm,
    MemberForm,
    MonevForm,
    MoveForm,
    NoteForm,
    PlanActionFormSet,
    PlanForm,
    ReopenForm,
)
from .policies import case_for, may_decide, record_case_view, refuse_closed_case
from .selectors import case_by_public_id, case_persons, case_team
from .workflow_selectors import (
    approval_history,
    approved_plan,
    case_approval,
    case_assessment,
    case_notes,
    case_plans,
    current_lead,
    lead_changes,
    open_plan,
    workflow_records,
)


def _denied_case(public_id):
    return case_by_public_id(public_id)


def _case(request, public_id, *, need="view"):
    case, _access = case_for(request, public_id, need=need)
    return case


def _looked(request, case, page):
    # Workflow pages show the record: each page shown is a view of the case in the audit trail,
    # a form sent back with its errors as much as the first look (issue 15, item 7).
    record_case_view(request, case, page=page)


def _editable(request, public_id):
    return _case(request, public_id, need="edit")


def _to_case(case, anchor="workflow"):
    return redirect(reverse("cases:detail", args=[case.public_id]) + f"#{anchor}")


_guard_edit = require_permission("case.edit", object_type="case", denied_case=_denied_case)
_guard_view = require_permission("case.view", object_type="case", denied_case=_denied_case)


# --- steps -----------------------------------------------------------------------------------------


@require_POST
@_guard_edit
def case_move_view(request, public_id):
    case = _editable(request, public_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the step."))
        return _to_case(case)
    try:
        workflow.case_move(
            actor=request.user,
            case=case,
            to_step=form.cleaned_data["to_step"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The case moved to the next step."))
    return _to_case(case)


@_guard_edit
@require_http_methods(["GET", "POST"])
def first_contact_view(request, public_id):
    """Record the first contact with the survivor (the case page holds the same form)."""
    case = _editable(request, public_id)
    form = FirstContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.case_first_contact(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The first contact was recorded: the first-response clock stopped."))
            return _to_case(case)
    return render(request, "cases/workflow/first_contact.html", {"case": case, "form": form})


# --- team ------------------------------------------------------------------------------------------


@require_permission("case.assign", object_type="case", denied_case=_denied_case)
@require_http_methods(["GET", "POST"])
def case_team_view(request, public_id):
    case = _case(request, public_id, need="assign")
    lead_form = LeadForm(case=case)
    member_form = MemberForm(case=case)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "lead":
                lead_form = LeadForm(request.POST, case=case)
                if lead_form.is_valid():
                    workflow.case_set_lead(
                        actor=request.user,
                        case=case,
                        user=lead_form.cleaned_data["user"],
                        reason=lead_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("The lead case worker was set."))
                    return redirect("cases:team", public_id=case.public_id)
            elif action == "member":
                member_form = MemberForm(request.POST, case=case)
                if member_form.is_valid():
                    workflow.case_add_member(
                        actor=request.user,
                        case=case,
                        user=member_form.cleaned_data["user"],
                        team_role=member_form.cleaned_data["team_role"],
                    )
                    messages.success(request, _("The team member was added."))
                    return redirect("cases:team", public_id=case.public_id)
            elif action == "remove":
                member = next(
                    (a.user for a in case_team(case) if a.user.public_id == request.POST.get("user")), None
                )
                if member is None:
                    raise Http404
                if not confirmed(request):
                    messages.error(
                        request, _("Nobody was removed: confirm it with “Yes, remove from the team”.")
                    )
                    return redirect("cases:team", public_id=case.public_id)
                workflow.case_remove_member(actor=request.user, case=case, user=member)
                messages.success(request, _("The team member was removed."))
                return redirect("cases:team", public_id=case.public_id)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            form = lead_form if action == "lead" else member_form
            if action == "remove":
                messages.error(request, " ".join(exc.messages))
            else:
                add_service_errors(form, exc)
    _looked(request, case, "team")
    context = {
        "case": case,
        "team": case_team(case),
        "lead": current_lead(case),
        "lead_form": lead_form,
        "member_form": member_form,
        "lead_changes": lead_changes(case),
    }
    return render(request, "cases/workflow/team.html", context)


# --- assessment ------------------------------------------------------------------------------------


def _victims(case):
    return list(case_persons(case, role=PersonRole.KORBAN))


@_guard_edit
@require_http_methods(["GET", "POST"])
def assessment_add(request, public_id):
    case = _editable(request, public_id)
    victims = _victims(case)
    form = AssessmentForm(request.POST or None, victims=victims)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = workflow.assessment_save(
                actor=request.user, case=case, complete="complete" in request.POST, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if assessment.completed_at:
                messages.success(request, _("The assessment was completed."))
                return _to_case(case)
            messages.success(request, _("The assessment was saved as a draft."))
            return redirect("cases:assessment", public_id=case.public_id, assessment_id=assessment.public_id)
    _looked(request, case, "assessment_add")
    return render(request, "cases/workflow/assessment.html", {"case": case, "form": form, "assessment": None})


@_guard_view
@require_http_methods(["GET", "POST"])
def assessment_view(request, public_id, assessment_id):
    case, access = case_for(request, public_id)
    assessment = case_assessment(case, assessment_id)
    if assessment is None:
        raise Http404
    editable = assessment.completed_at is None and access.edit
    form = None
    if editable:
        form = AssessmentForm(
            request.POST or None, victims=_victims(case), initial=AssessmentForm.initial_for(assessment)
        )
    if request.method == "POST":
        if assessment.completed_at is not None or case.status == CaseStatus.CLOSED:
            if case.status == CaseStatus.CLOSED:
                refuse_closed_case(request, case)
            messages.error(request, _("This assessment is completed; record a new assessment instead."))
            return redirect("cases:assessment", public_id=case.public_id, assessment_id=assessment.public_id)
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                workflow.assessment_save(
                    actor=request.user,
                    case=case,
                    assessment=assessment,
                    complete="complete" in request.POST,
                    **form.service_fields(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The assessment was saved."))
                return redirect(
                    "cases:assessment", public_id=case.public_id, assessment_id=assessment.public_id
                )
    _looked(request, case, "assessment")
    return render(
        request, "cases/workflow/assessment.html", {"case": case, "form": form, "assessment": assessment}
    )


# --- intervention plan -----------------------------------------------------------------------------


def _action_initial(plan):
    return [
        {
            "description": a.description,
            "responsible": a.responsible_id,
            "responsible_other": a.responsible_other,
            "due_date": a.due_date,
        }
        for a in plan.actions.all()
    ]


@_guard_view
@require_http_methods(["GET", "POST"])
def plan_view(request, public_id):
    case, access = case_for(request, public_id)
    current = open_plan(case)
    writable = current is None or current.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
    can_write = writable and access.edit
    if request.method == "POST":
        if case.status == CaseStatus.CLOSED:
            refuse_closed_case(request, case)
        if not access.edit:
            raise PermissionDenied
    form = formset = None
    if can_write or request.method == "POST":
        if request.method == "POST":
            form = PlanForm(request.POST)
            formset = PlanActionFormSet(request.POST, prefix="actions", form_kwargs={"case": case})
        else:
            initial = {}
            actions = []
            if current is not None:
                initial = {
                    "goals": current.goals,
                    "agreed_with_victim": current.agreed_with_victim,
                    "agreed_on": current.agreed_on,
                }
                actions = _action_initial(current)
            formset = PlanActionFormSet(
                initial=actions + [{}] * 3, prefix="actions", form_kwargs={"case": case}
            )
            form = PlanForm(initial=initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = workflow.plan_save(
                actor=request.user,
                case=case,
                plan=current,
                goals=form.cleaned_data["goals"],
                agreed_with_victim=form.cleaned_data["agreed_with_victim"],
                agreed_on=form.cleaned_data["agreed_on"],
                actions=[f.cleaned_data for f in formset if f.cleaned_data],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The plan was saved. Submit it to the head of unit when it is ready.")
            )
            return redirect(reverse("cases:plan", args=[case.public_id]) + f"#plan-{plan.public_id}")
    _looked(request, case, "plan")
    plans = case_plans(case)
    context = {
        "case": case,
        "form": form,
        "formset": formset,
        "current": current,
        "approved": approved_plan(case),
        "plans": plans,
        "can_submit": current is not None
        and current.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
        and access.edit,
    }
    return render(request, "cases/workflow/plan.html", context)


@require_POST
@_guard_edit
def plan_submit_view(request, public_id):
    case = _editable(request, public_id)
    plan = open_plan(case)
    if plan is None:
        messages.error(request, _("There is no plan to submit."))
        return redirect("cases:plan", public_id=case.public_id)
    try:
        workflow.plan_submit(actor=request.user, plan=plan, note=request.POST.get("note", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:plan", public_id=case.public_id)
    messages.success(request, _("The plan was submitted to the head of unit."))
    return _to_case(case)


# --- approvals -------------------------------------------------------------------------------------


@require_permission("case.approve", object_type="case", denied_case=_denied_case)
@require_http_methods(["GET", "POST"])
def approval_view(request, public_id, request_id):
    case = _case(request, public_id)
    approval = case_approval(case, request_id)
    if approval is None or case.unit_id != request.user.organisation_id:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        if decision not in ("approve", "return"):
            form.add_error(None, _("Approve or return the request."))
        else:
            try:
                workflow.approval_decide(
                    actor=request.user,
                    request=approval,
                    approve=decision == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if decision == "approve":
                    messages.success(request, _("Approved."))
                else:
                    messages.success(request, _("Returned with your comments."))
                return _to_case(case)
    _looked(request, case, "approval")
    history = approval_history(case, approval.kind)
    context = {
        "case": case,
        "approval": approval,
        "form": form,
        "may_decide": may_decide(request.user, approval),
        "pending": approval.status == ApprovalStatus.PENDING,
        "history": history,
        "plan": approval.plan,
    }
    return render(request, "cases/workflow/approval.html", context)


# --- closure and reopening -------------------------------------------------------------------------


@_guard_edit
@require_http_methods(["GET", "POST"])
def closure_view(request, public_id):
    case = _editable(request, public_id)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.closure_request(
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Closure was requested from the head of unit."))
            return _to_case(case)
    return render(request, "cases/workflow/closure.html", {"case": case, "form": form})


@require_permission("case.approve", object_type="case", denied_case=_denied_case)
@require_http_methods(["GET", "POST"])
def reopen_view(request, public_id):
    case = _case(request, public_id, need="approve")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.case_reopen(
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                to_step=form.cleaned_data["to_step"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case was reopened."))
            return _to_case(case)
    return render(request, "cases/workflow/reopen.html", {"case": case, "form": form})


# --- monitoring and review, notes ------------------------------------------------------------------


@_guard_edit
@require_http_methods(["GET", "POST"])
def monev_add(request, public_id):
    case = _editable(request, public_id)
    form = MonevForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.monev_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review was recorded."))
            return _to_case(case)
    return render(request, "cases/workflow/monev.html", {"case": case, "form": form})


@require_POST
@_guard_edit
def note_add_view(request, public_id):
    case = _editable(request, public_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            workflow.note_add(
                actor=request.user,
                case=case,
                body=form.cleaned_data["body"],
                private=form.cleaned_data["private"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The note was added."))
    else:
        messages.error(request, _("Write the note."))
    return _to_case(case, "notes")


def workflow_page_context(user, case, *, access, team):
    """What the case page needs from the workflow: its records, and the buttons `access` allows.

    `team` is the case's active team, already loaded for the page (its lead is shown here).
    """
    labels = dict(CaseStep.choices)
    order = list(CaseStep.values)
    current = order.index(case.step)
    steps = [
        {"code": code, "label": labels[code], "done": i < current, "current": i == current}
        for i, code in enumerate(order)
    ]
    moves = []
    if access.edit:
        for to_step in workflow.TRANSITIONS[case.step]:
            problem = workflow.move_problem(case, to_step)
            moves.append(
                {"code": to_step, "label": labels[to_step], "problem": problem[1] if problem else ""}
            )
    records = workflow_records(case)
    records["wf_assessments"] = list(records["wf_assessments"])
    records["wf_reviews"] = list(records["wf_reviews"])
    _mark_done_work(steps, case, records)
    pending = [r for r in records["wf_requests"] if r.status == ApprovalStatus.PENDING]
    for r in pending:
        r.case = case  # the same case, already loaded
        r.may_decide = may_decide(user, r)
    closure_pending = any(r.kind == ApprovalKind.CLOSURE for r in pending)
    closed = case.status == CaseStatus.CLOSED
    return {
        **records,
        "wf_steps": steps,
        "wf_moves": moves,
        "wf_can_edit": access.edit,
        "wf_is_head": access.head,
        "wf_can_assign": access.assign,
        "wf_lead": next((a for a in team if a.team_role == TeamRole.LEAD), None),
        "wf_pending": pending,
        "wf_closure_pending": closure_pending,
        "wf_closed": closed,
        "wf_notes": case_notes(case, private=access.private_notes),
        "note_form": NoteForm() if access.edit else None,
        "wf_can_request_closure": access.edit and not closure_pending,
        "wf_can_reopen": closed and access.head,
        "wf_can_move": bool(moves) and access.edit,
        "wf_can_write": access.edit,
        "wf_may_assess": has_permission(user, "case.edit"),
        "wf_first_contact_form": FirstContactForm()
        if access.edit and not closed and case.first_contact_at is None
        else None,
    }


def _mark_done_work(steps, case, records):
    """What the stepper says under each step: the work that was done there, with its date."""
    completed = [a.completed_at for a in records["wf_assessments"] if a.completed_at]
    plan = records["wf_approved_plan"]
    done = {
        CaseStep.PENERIMAAN: (_("registered"), case.reported_at or case.created_at),
        CaseStep.IDENTIFIKASI: (
            f"{_('first contact')} ({case.get_first_contact_method_display()})",
            case.first_contact_at,
        ),
        CaseStep.ASESMEN: (_("assessment completed"), min(completed) if completed else None),
        CaseStep.RENCANA: (_("plan approved"), plan.approved_at if plan else None),
        CaseStep.MONEV: (
            _("last review"),
            records["wf_reviews"][0].reviewed_on if records["wf_reviews"] else None,
        ),
    }
    for s in steps:
        what, when = done.get(s["code"], ("", None))
        s["work"], s["work_at"] = (what, when) if when else ("", None)
