"""Reads for the case management workflow: approvals waiting, notes a user may read, the workflow
panel of the case page and readable case timeline entries."""

from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.access import has_permission
from sinergi.accounts.selectors import name_people
from sinergi.audit.labels import ACTION_LABELS
from sinergi.audit.models import AuditEvent
from sinergi.deadlines.choices import ClockKind

from .choices import (
    ApprovalStatus,
    CaseStep,
    ClosureReason,
    ContactMethod,
    PersonRole,
    PlanStatus,
    RiskLevel,
    TeamRole,
)
from .models import (
    ApprovalRequest,
    Assessment,
    CaseAssignment,
    CaseNote,
    CaseStepChange,
    InterventionPlan,
    LeadChange,
    MonevReview,
)
from .selectors import cases_visible_to
from .timeline import timeline_labels


def current_lead(case):
    return (
        CaseAssignment.objects.filter(case=case, active=True, team_role=TeamRole.LEAD)
        .select_related("user")
        .first()
    )


def has_completed_assessment(case):
    return Assessment.objects.filter(case=case, completed_at__isnull=False).exists()


def has_approved_plan(case):
    return InterventionPlan.objects.filter(case=case, status=PlanStatus.APPROVED).exists()


def safety_plans_missing(case):
    """The victims of a high-risk case who have no safety plan yet (none when the case is not
    high risk): each needs one before the plan step (docs/protection.md)."""
    if case.risk != RiskLevel.TINGGI:
        return []
    return list(case.persons.filter(role=PersonRole.KORBAN, safety_plan__isnull=True).order_by("id"))


def open_plan(case):
    """The plan being written or waiting for a decision, if any (one at a time)."""
    return (
        InterventionPlan.objects.filter(
            case=case, status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.SUBMITTED]
        )
        .order_by("-created_at", "-id")
        .first()
    )


def approved_plan(case):
    return (
        InterventionPlan.objects.filter(case=case, status=PlanStatus.APPROVED)
        .prefetch_related("actions__responsible")
        .first()
    )


def approvals_waiting_for(user):
    """Pending plan and closure requests `user` may decide, oldest first.

    Each has `.case`, `.kind` (ApprovalKind), `.requested_at`, `.requested_by` (and `.plan` for a
    plan). A request the user made, or a plan they wrote or changed, is not theirs to decide: it is
    left out.
    """
    if not has_permission(user, "case.approve") or not user.organisation_id:
        return ApprovalRequest.objects.none()
    return (
        ApprovalRequest.objects.filter(
            status=ApprovalStatus.PENDING,
            case__unit_id=user.organisation_id,
            case__in=cases_visible_to(user),
        )
        .exclude(requested_by=user)
        .exclude(Q(plan__isnull=False) & Q(plan__created_by=user))
        .exclude(Exists(_plan_saves(user).filter(object_id=OuterRef("plan__public_id"))))
        .select_related("case", "requested_by", "plan")
        .order_by("requested_at", "id")
    )


def case_notes(case, *, private):
    """The case's notes, newest first; the private ones only with `private` (see policies)."""
    notes = CaseNote.objects.filter(case=case).select_related("author").order_by("-created_at", "-id")
    return notes if private else notes.filter(private=False)


def workflow_records(case):
    """The records the workflow panel of the case page lists (no rights: the view decides)."""
    # The open plan and the approved one in one read (both newest first, as open_plan/approved_plan).
    plans = list(
        InterventionPlan.objects.filter(
            case=case,
            status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.SUBMITTED, PlanStatus.APPROVED],
        ).order_by("-created_at", "-id")
    )
    current = next((p for p in plans if p.status != PlanStatus.APPROVED), None)
    approved = next((p for p in plans if p.status == PlanStatus.APPROVED), None)
    if approved is not None:
        prefetch_related_objects([approved], "actions__responsible")
    return {
        "wf_requests": list(
            ApprovalRequest.objects.filter(case=case)
            .select_related("requested_by", "decided_by", "plan")
            .order_by("-requested_at", "-id")
        ),
        "wf_assessments": Assessment.objects.filter(case=case).select_related("victim", "created_by"),
        "wf_open_plan": current,
        "wf_approved_plan": approved,
        "wf_has_approved_plan": approved is not None,
        "wf_reviews": MonevReview.objects.filter(case=case).select_related("created_by")[:10],
        "wf_step_changes": CaseStepChange.objects.filter(case=case)
        .select_related("actor")
        .order_by("-at", "-id")[:10],
    }


def lead_changes(case):
    return LeadChange.objects.filter(case=case).select_related("previous", "new", "changed_by")


def case_assessment(case, public_id):
    return Assessment.objects.filter(case=case, public_id=public_id).select_related("victim").first()


def case_plans(case):
    return (
        InterventionPlan.objects.filter(case=case)
        .prefetch_related("actions__responsible", "reviews__requested_by", "reviews__decided_by")
        .select_related("created_by", "approved_by")
    )


def case_approval(case, public_id):
    return (
        ApprovalRequest.objects.filter(case=case, public_id=public_id)
        .select_related("plan", "requested_by", "decided_by")
        .first()
    )


def approval_history(case, kind):
    return ApprovalRequest.objects.filter(case=case, kind=kind).select_related("requested_by", "decided_by")


# --- the case timeline, in words ----------------------------------------------------------------

EVENT_LABELS = {
    "case.create": gettext_lazy("Case created"),
    "case.register": gettext_lazy("Case registered"),
    "case.update": gettext_lazy("Incident updated"),
    "case.classify": gettext_lazy("Classification recorded"),
    "case.assign": gettext_lazy("Team member added"),
    "case.unassign": gettext_lazy("Team member removed"),
    "case.restrict": gettext_lazy("Case restricted"),
    "case.unrestrict": gettext_lazy("Restriction lifted"),
    "case.break_glass": gettext_lazy("Emergency access granted"),
    "person.create": gettext_lazy("Person added"),
    "person.update": gettext_lazy("Person updated"),
    "person.link": gettext_lazy("Person linked to another case"),
    "consent.record": gettext_lazy("Consent recorded"),
    "document.upload": gettext_lazy("Document uploaded"),
    "case.move": gettext_lazy("Step changed"),
    "case.advance": gettext_lazy("Step moved on by the work done"),
    "case.first_contact": gettext_lazy("First contact with the survivor"),
    "case.lead_change": gettext_lazy("Lead case worker assigned"),
    "case.risk": gettext_lazy("Risk re-evaluated"),
    "assessment.save": gettext_lazy("Assessment saved (draft)"),
    "assessment.complete": gettext_lazy("Assessment completed"),
    "plan.save": gettext_lazy("Intervention plan written"),
    "plan.submit": gettext_lazy("Plan submitted for approval"),
    "plan.approve": gettext_lazy("Plan approved"),
    "plan.return": gettext_lazy("Plan returned with comments"),
    "closure.request": gettext_lazy("Closure requested"),
    "closure.return": gettext_lazy("Closure request returned"),
    "case.close": gettext_lazy("Case closed"),
    "case.reopen": gettext_lazy("Case reopened"),
    "monev.record": gettext_lazy("Monitoring review recorded"),
    "note.add": gettext_lazy("Note added"),
    "protection.record": gettext_lazy("Protection recorded"),
    "protection.update": gettext_lazy("Protection updated"),
    "protection.end": gettext_lazy("Protection ended"),
    "protection.breach": gettext_lazy("Protection breach recorded"),
    "protection.view": gettext_lazy("Protection page opened"),
    "safety_plan.save": gettext_lazy("Safety plan saved"),
    "safety_plan.view": gettext_lazy("Safety plan opened"),
    "safety_plan.print": gettext_lazy("Safety plan printed"),
    # Services, shelter, mediation, legal process (sinergi.interventions).
    "service.record": gettext_lazy("Service recorded"),
    "shelter_stay.admit": gettext_lazy("Admitted to the shelter"),
    "shelter_stay.discharge": gettext_lazy("Left the shelter"),
    "shelter_stay.extend": gettext_lazy("Shelter stay extended"),
    "mediation.start": gettext_lazy("Mediation started"),
    "mediation.session": gettext_lazy("Mediation session"),
    "mediation.conclude": gettext_lazy("Mediation concluded"),
    "mediation.follow_up": gettext_lazy("Mediation follow-up"),
    "accompaniment.record": gettext_lazy("Accompaniment recorded"),
    "legal_stage.record": gettext_lazy("Legal process stage recorded"),
    "restitution.file": gettext_lazy("Restitution filed"),
    "restitution.advance": gettext_lazy("Restitution stage recorded"),
    # Deadlines (sinergi.deadlines).
    "deadline.start": gettext_lazy("Deadline started"),
    "deadline.stop": gettext_lazy("Deadline met"),
    "deadline.cancel": gettext_lazy("Deadline cancelled"),
    "deadline.extend": gettext_lazy("Deadline extended"),
    "deadline.handover": gettext_lazy("Deadline handed over"),
    "deadline.assign": gettext_lazy("Deadline reassigned"),
}


def _detail(event):
    steps = dict(CaseStep.choices)
    details = event.details or {}
    if event.action == "case.first_contact" and details.get("method"):
        return dict(ContactMethod.choices).get(details["method"], "")
    if event.action in ("case.move", "case.reopen", "case.advance") and details.get("to") in steps:
        if details.get("from") in steps:
            return _("%(from)s → %(to)s") % {"from": steps[details["from"]], "to": steps[details["to"]]}
        return _("to %(to)s") % {"to": steps[details["to"]]}
    if event.action == "case.close" and details.get("closure_reason"):
        return dict(ClosureReason.choices).get(details["closure_reason"], "")
    if event.action == "closure.request" and details.get("closure_reason"):
        return dict(ClosureReason.choices).get(details["closure_reason"], "")
    if event.action == "case.risk" and isinstance((event.changes or {}).get("risk"), list):
        old, new = event.changes["risk"]
        labels = dict(RiskLevel.choices)
        return _("%(from)s → %(to)s") % {"from": labels.get(old, "—"), "to": labels.get(new, new)}
    if event.action.startswith("deadline.") and details.get("kind"):
        return _clock_label(details["kind"])
    if event.action == "note.add" and details.get("private"):
        return _("private to the case team")
    return ""


def _clock_label(kind):
    return dict(ClockKind.choices).get(kind, kind)


def event_labels():
    """Every audit event code's readable label: the case's own, those the contexts above it
    register, and the audit trail's reads, sign-ins and settings (sinergi.audit.labels)."""
    return {**ACTION_LABELS, **EVENT_LABELS, **timeline_labels()}


def timeline_entries(events):
    """The case timeline's audit events with a label and a short, name-free detail each.

    Contexts above cases (referrals and transfers) add their labels through
    `register_timeline_labels`; any other action without a label shows its code.
    """
    labels = event_labels()
    events = name_people(events)
    for event in events:
        event.label = labels.get(event.action, event.action)
        event.detail = _detail(event)
    return events


def _plan_saves(user=None):
    saves = AuditEvent.objects.filter(
        action="plan.save", object_type="plan", outcome="ok", actor_id__isnull=False
    )
    return saves.filter(actor_id=user.pk) if user is not None else saves


def plan_editor_ids(plan):
    """Everyone who wrote the plan or changed it since: its author and each actor of a `plan.save`
    event in the audit trail. None of them may approve it (docs/case-management.md)."""
    saved_by = _plan_saves().filter(object_id=plan.public_id).values_list("actor_id", flat=True)
    return {plan.created_by_id, *saved_by}
