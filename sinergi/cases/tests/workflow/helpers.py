"""Building cases to walk through the workflow."""

import datetime as dt

from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow
from sinergi.cases.choices import CaseStep
from sinergi.cases.models import (
    Case,
    InterventionPlan,
    SafetyPlan,
)
from sinergi.cases.workflow import protection


def TODAY():  # noqa: N802  (reads like the constant it stands for)
    return timezone.localdate()


#: Every (step, step) pair a plain move may not take (closure has a test of its own).
UNREACHABLE = [
    (start, to_step)
    for start in CaseStep.values
    for to_step in CaseStep.values
    if start != CaseStep.TERMINASI
    and to_step != CaseStep.TERMINASI
    and to_step not in workflow.TRANSITIONS[start]
]


def victim_of(case):
    return case.persons.get(role="korban")


def fresh(case):
    return Case.objects.get(pk=case.pk)


def denied(action, code=None):
    events = AuditEvent.objects.filter(action=action, outcome="denied")
    if code:
        events = events.filter(details__reason=code)
    return events.exists()


def safety_plan(personas, case):
    """The safety plan every victim of a high-risk case needs before the plan step."""
    return protection.safety_plan_save(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        risks="Pelaku tinggal di dekat rumah.",
        review_on=timezone.localdate() + dt.timedelta(days=30),
        actions=[{"what": "Simpan nomor pendamping", "who": "Korban", "when": "Hari ini"}],
    )


def assess(personas, case, complete=True, risk="tinggi", plan_safety=True):
    """An assessment of the case's victim; a completed high-risk one comes with her safety plan
    (made first, as the unit does), unless `plan_safety` is False."""
    if complete and risk == "tinggi" and plan_safety and not SafetyPlan.objects.filter(case=case).exists():
        safety_plan(personas, case)
    return workflow.assessment_save(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        complete=complete,
        risk=risk,
        safety="Aman di rumah saudara.",
        health="Luka ringan.",
    )


def write_plan(personas, case, agreed=True, *, actor=None, plan=None):
    """A plan written by the case worker (or `actor`), or `plan` saved again by them."""
    return workflow.plan_save(
        actor=actor or personas.pendamping,
        case=case,
        plan=plan,
        goals="Korban aman dan pulih.",
        agreed_with_victim=agreed,
        agreed_on=timezone.localdate() if agreed else None,
        actions=[
            {
                "description": "Konseling psikologis",
                "responsible": personas.psikolog,
                "responsible_other": "",
                "due_date": timezone.localdate() + dt.timedelta(days=14),
            }
        ],
    )


def approve_plan(personas, case):
    plan = write_plan(personas, case)
    request = workflow.plan_submit(actor=personas.pendamping, plan=plan)
    workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
    return InterventionPlan.objects.get(pk=plan.pk)


def walk_to(personas, case, step):
    """Move the case forward to `step` the ordinary way: a completed assessment carries it to the
    plan and an approved plan to the intervention by themselves (work moves the case)."""
    order = [CaseStep.IDENTIFIKASI, CaseStep.ASESMEN, CaseStep.RENCANA, CaseStep.INTERVENSI, CaseStep.MONEV]
    for to_step in order:
        if to_step == CaseStep.RENCANA:
            assess(personas, fresh(case))
        if to_step == CaseStep.INTERVENSI:
            approve_plan(personas, fresh(case))
        case = fresh(case)
        if case.step != to_step:
            case = workflow.case_move(actor=personas.pendamping, case=case, to_step=to_step)
        if to_step == step:
            return case
    raise AssertionError(step)


def close(personas, case, reason="kebutuhan_terpenuhi"):
    request = workflow.closure_request(actor=personas.pendamping, case=case, reason=reason)
    workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
    return fresh(case)
