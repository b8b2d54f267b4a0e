"""Permission-matrix rows of the case management workflow routes (sinergi.cases.views_workflow),
merged by workspace/tests/matrix_table.py.

The unit case of the matrix world is led by `pendamping`; its kepala is `kepala`. Like every case
URL, a refusal is a 404 whatever the reason (no URL confirms a case exists).
"""

from datetime import timedelta

from django.utils import timezone

from sinergi.cases.models import (
    ApprovalRequest,
    Assessment,
    Case,
    CaseNote,
    CasePerson,
    InterventionPlan,
    NotTpksDecision,
    PlanAction,
)
from sinergi.testing.matrix import (
    KEPALAS,
    Guarded,
    Row,
    _case_edit_route,
    _post_only,
    _unit_case_id,
    _url,
    statuses,
)


def world_extras(w):
    assessment = Assessment.objects.create(
        case=w.unit_case,
        victim=w.unit_case_victim,
        risk="sedang",
        safety="Aman matriks",
        created_by=w.pendamping,
        completed_at=timezone.now(),
        completed_by=w.pendamping,
    )
    plan = InterventionPlan.objects.create(
        case=w.unit_case,
        goals="Tujuan matriks",
        agreed_with_victim=True,
        agreed_on=timezone.localdate(),
        status="diajukan",
        created_by=w.pendamping,
    )
    PlanAction.objects.create(plan=plan, description="Aksi matriks", responsible=w.pendamping)
    plan_request = ApprovalRequest.objects.create(
        case=w.unit_case, kind="rencana", plan=plan, requested_by=w.pendamping
    )
    not_tpks = NotTpksDecision.objects.create(
        victim=w.unit_case_victim,
        reason="Alasan matriks",
        grounds=["kekerasan_seksual"],
        proposed_by=w.pendamping,
    )
    # The victim, a child at the report, turned 18 yesterday: a review item (cases:person_adult_review).
    CasePerson.objects.filter(pk=w.unit_case_victim.pk).update(
        adult_on=timezone.localdate() - timedelta(days=1)
    )
    return {"wf_assessment": assessment, "wf_plan_request": plan_request, "not_tpks": not_tpks}


def _contact_at():
    # The matrix case was registered when the world was built: this minute is not before it.
    return timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M")


def _case_route(name, permission, who, *extra):
    return Guarded(
        permission=permission,
        rows=(
            Row(
                url=_url(name, _unit_case_id, *extra),
                expect=statuses({200: who}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    )


def _case_post(name, data, effect):
    """A POST-only route: 405 on GET; the POST changes the unit case for its team and kepala."""
    return Guarded(
        permission="case.edit",
        rows=(
            _post_only(name, _unit_case_id),
            Row(
                url=_url(name, _unit_case_id),
                method="post",
                data=lambda w: data,
                expect=statuses({302: "kepala pendamping"}, default=404),
                effect=effect,
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    )


ROUTES = {
    "cases:move": _case_post(
        "cases:move",
        {"to_step": "identifikasi"},
        lambda w: Case.objects.get(pk=w.unit_case.pk).step == "identifikasi",
    ),
    "cases:first_contact": Guarded(
        permission="case.edit",
        rows=(
            Row(
                url=_url("cases:first_contact", _unit_case_id),
                expect=statuses({200: "kepala pendamping"}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
            Row(
                url=_url("cases:first_contact", _unit_case_id),
                method="post",
                data=lambda w: {"contact-at": _contact_at(), "contact-method": "telepon"},
                expect=statuses({302: "kepala pendamping"}, default=404),
                effect=lambda w: Case.objects.get(pk=w.unit_case.pk).first_contact_at is not None,
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    ),
    "cases:team": _case_route("cases:team", "case.assign", "kepala"),
    "cases:assessment_add": _case_edit_route("cases:assessment_add"),
    "cases:assessment": _case_route(
        "cases:assessment", "case.view", "kepala pendamping", lambda w: w.wf_assessment.public_id
    ),
    "cases:plan": _case_route("cases:plan", "case.view", "kepala pendamping"),
    "cases:plan_submit": Guarded(
        permission="case.edit", rows=(_post_only("cases:plan_submit", _unit_case_id),)
    ),
    "cases:approval": _case_route(
        "cases:approval", "case.approve", "kepala", lambda w: w.wf_plan_request.public_id
    ),
    "cases:closure": _case_edit_route("cases:closure"),
    "cases:reopen": _case_route("cases:reopen", "case.approve", "kepala"),
    "cases:monev": _case_edit_route("cases:monev"),
    "cases:not_tpks_propose": _case_edit_route(
        "cases:not_tpks_propose", lambda w: w.unit_case_victim.public_id, empty_post=200
    ),
    # The team and the kepala read it; only a head of the unit decides (the service refuses others).
    "cases:not_tpks": _case_route(
        "cases:not_tpks", "case.view", "kepala pendamping", lambda w: w.not_tpks.pk
    ),
    "cases:review_list": Guarded(
        permission="case.approve",
        rows=(Row(url=_url("cases:review_list"), expect=statuses({200: KEPALAS}, default=403)),),
    ),
    "cases:person_adult_review": Guarded(
        permission="case.edit",
        rows=(
            _post_only("cases:person_adult_review", _unit_case_id, lambda w: w.unit_case_victim.public_id),
            Row(
                url=_url("cases:person_adult_review", _unit_case_id, lambda w: w.unit_case_victim.public_id),
                method="post",
                data=lambda w: {},
                expect=statuses({302: "kepala pendamping"}, default=404),
                effect=lambda w: (
                    CasePerson.objects.get(pk=w.unit_case_victim.pk).adult_reviewed_at is not None
                ),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    ),
    "cases:note_add": _case_post(
        "cases:note_add",
        {"note-body": "Catatan matriks"},
        lambda w: CaseNote.objects.filter(case=w.unit_case).exists(),
    ),
}
