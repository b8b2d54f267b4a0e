"""The reasoned "not TPKS" decision (propose, decide, withdraw), the review of a child client who
turned 18, and the head of unit's review list: what waits for the kepala's check in the unit's cases
(services: sinergi.cases.workflow.not_tpks, sinergi.cases.record.persons).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import require_permission
from sinergi.audit.services import audit_record
from sinergi.core.forms import add_service_errors

from . import rules
from .choices import PersonRole
from .forms_classify import NotTpksDecisionForm, NotTpksForm
from .models import NotTpksDecision
from .policies import can_edit_case, case_for
from .record import person_adult_review
from .selectors import case_by_public_id, case_person, cases_visible_to, not_tpks_decision, review_items
from .workflow import not_tpks_decide, not_tpks_propose, not_tpks_withdraw

Status = NotTpksDecision.Status


def _real_case(public_id):
    return case_by_public_id(public_id)


def _to_incident(case, victim):
    return redirect(reverse("cases:detail", args=[case.public_id]) + f"#incident-{victim.public_id}")


@require_permission("case.edit", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def not_tpks_propose_view(request, public_id, person_id):
    case, _access = case_for(request, public_id, need="edit", seen={"page": "not_tpks_propose"})
    victim = case_person(case, person_id)
    if victim is None or victim.role != PersonRole.KORBAN:
        raise Http404
    grounds = rules.incident_tpks_grounds(victim)
    form = NotTpksForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            not_tpks_propose(actor=request.user, case=case, victim=victim, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The proposal was sent to the head of unit."))
            return _to_incident(case, victim)
    context = {"case": case, "victim": victim, "grounds": grounds, "form": form}
    return render(request, "cases/not_tpks_propose.html", context)


def _may_decide(user, case, decision):
    return (
        decision.status == Status.PROPOSED
        and has_permission(user, "case.approve")
        and user.organisation_id == case.unit_id
        and decision.proposed_by_id != user.pk
    )


def _may_withdraw(user, case, decision):
    if decision.status == Status.APPROVED:
        return has_permission(user, "case.approve") and user.organisation_id == case.unit_id
    return decision.status == Status.PROPOSED and can_edit_case(user, case)


@require_permission("case.view", object_type="case", denied_case=_real_case)
@require_http_methods(["GET", "POST"])
def not_tpks_view(request, public_id, decision_id):
    case, _access = case_for(request, public_id, need="view", seen={"page": "not_tpks"})
    decision = not_tpks_decision(case, decision_id)
    if decision is None:
        raise Http404
    form = NotTpksDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        choice = request.POST.get("decision")
        try:
            if choice in ("approve", "reject"):
                not_tpks_decide(
                    actor=request.user,
                    decision=decision,
                    approve=choice == "approve",
                    note=form.cleaned_data["note"],
                )
            elif choice == "withdraw":
                not_tpks_withdraw(actor=request.user, decision=decision)
            else:
                form.add_error(None, _("Approve, reject or withdraw the proposal."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        if not form.errors:
            done = {
                "approve": _("Approved: the incident is not treated as TPKS."),
                "reject": _("Rejected: the incident stays TPKS."),
                "withdraw": _("Withdrawn: the incident is treated as TPKS again."),
            }
            messages.success(request, done[choice])
            return _to_incident(case, decision.victim)
    context = {
        "case": case,
        "decision": decision,
        "victim": decision.victim,
        "grounds": [
            g for g in rules.incident_tpks_grounds(decision.victim) if g.code in (decision.grounds or [])
        ],
        "form": form,
        "may_decide": _may_decide(request.user, case, decision),
        "may_withdraw": _may_withdraw(request.user, case, decision),
    }
    return render(request, "cases/not_tpks.html", context)


@require_permission("case.approve")
@require_http_methods(["GET"])
def review_list(request):
    """What the head of unit checks in the unit's cases: classifications copied from the case when
    it had several victims, "not TPKS" proposals, victims who turned 18 or may be children."""
    cases = cases_visible_to(request.user).filter(unit_id=request.user.organisation_id)
    items = review_items(cases)
    audit_record(
        actor=request.user,
        action="case.review_list",
        object_type="case",
        details={kind: group["total"] for kind, group in items.items()},
    )
    return render(request, "cases/review_list.html", {"items": items})


@require_POST
@require_permission("case.edit", object_type="case", denied_case=_real_case)
def person_adult_review_view(request, public_id, person_id):
    """The lead case worker (or the kepala) marks that a child client who turned 18 during the case
    was reviewed: the notice and the review item go."""
    case, _access = case_for(request, public_id, need="edit")
    person = case_person(case, person_id)
    if person is None:
        raise Http404
    try:
        person_adult_review(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked reviewed: the client is now an adult in this case."))
    return redirect(reverse("cases:detail", args=[case.public_id]) + f"#person-{person.public_id}")
