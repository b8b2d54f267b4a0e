"""The case management workflow services (sinergi.cases.workflow): steps, team, assessment, plan,
approvals, closure and reopening, reviews, notes, and the deadline clocks they move."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from sinergi.audit.models import AuditEvent
from sinergi.audit.selectors import case_timeline
from sinergi.cases import workflow
from sinergi.cases.choices import ApprovalStatus, CaseStatus, CaseStep, PlanStatus
from sinergi.cases.models import (
    ApprovalRequest,
    Case,
    CaseAssignment,
    CaseStepChange,
    InterventionPlan,
    LeadChange,
)
from sinergi.cases.policies import CaseClosed, notes_visible_to
from sinergi.cases.record import case_register, case_update_incident
from sinergi.cases.workflow_selectors import approvals_waiting_for, timeline_entries
from sinergi.notifications.models import Notification


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


def register(actor, **extra):
    fields = {"channel": "datang_langsung", "case_type": "ktp", "risk": "sedang"}
    fields.update(extra)
    victims = [{"name": "Siti Aminah", "sex": "perempuan", "age_years": 30}]
    return case_register(actor=actor, victims=victims, **fields)


def victim_of(case):
    return case.persons.get(role="korban")


def fresh(case):
    return Case.objects.get(pk=case.pk)


def denied(action, code=None):
    events = AuditEvent.objects.filter(action=action, outcome="denied")
    if code:
        events = events.filter(details__reason=code)
    return events.exists()


@pytest.fixture(autouse=True)
def _english():
    # Messages and labels are compared as the English msgids, whatever the catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def case(personas):
    case = register(personas.petugas)
    workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
    return fresh(case)


def assess(personas, case, complete=True, risk="tinggi"):
    return workflow.assessment_save(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        complete=complete,
        risk=risk,
        safety="Aman di rumah saudara.",
        health="Luka ringan.",
    )


def write_plan(personas, case, agreed=True):
    return workflow.plan_save(
        actor=personas.pendamping,
        case=case,
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
    """Move the case forward to `step` the ordinary way."""
    order = [CaseStep.IDENTIFIKASI, CaseStep.ASESMEN, CaseStep.RENCANA, CaseStep.INTERVENSI, CaseStep.MONEV]
    for to_step in order:
        if to_step == CaseStep.RENCANA:
            assess(personas, fresh(case))
        if to_step == CaseStep.INTERVENSI:
            approve_plan(personas, fresh(case))
        case = workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step=to_step)
        if to_step == step:
            return case
    raise AssertionError(step)


# --- steps ---------------------------------------------------------------------------------------


class TestSteps:
    def test_a_new_case_starts_at_intake_as_a_draft(self, case):
        assert (case.step, case.status) == (CaseStep.PENERIMAAN, CaseStatus.DRAFT)

    def test_screening_opens_the_case(self, personas, case):
        case = workflow.case_move(actor=personas.pendamping, case=case, to_step=CaseStep.IDENTIFIKASI)
        case = fresh(case)
        assert (case.step, case.status) == (CaseStep.IDENTIFIKASI, CaseStatus.OPEN)
        change = CaseStepChange.objects.get(case=case)
        assert (change.from_step, change.to_step, change.actor) == (
            "penerimaan",
            "identifikasi",
            personas.pendamping,
        )
        event = AuditEvent.objects.get(action="case.move", case_id=case.public_id)
        assert event.details == {"from": "penerimaan", "to": "identifikasi"}
        assert event.changes == {"status": ["draft", "aktif"]}

    @pytest.mark.parametrize(
        ("start", "to_step"),
        [
            ("penerimaan", "identifikasi"),
            ("identifikasi", "asesmen"),
            ("asesmen", "rencana"),
            ("rencana", "intervensi"),
            ("rencana", "asesmen"),
            ("intervensi", "monev"),
            ("intervensi", "rencana"),
            ("monev", "intervensi"),
            ("monev", "rencana"),
        ],
    )
    def test_every_allowed_transition(self, personas, case, start, to_step):
        assess(personas, case)
        approve_plan(personas, case)
        Case.objects.filter(pk=case.pk).update(step=start, status="aktif")
        moved = workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step=to_step)
        assert fresh(moved).step == to_step

    @pytest.mark.parametrize(("start", "to_step"), UNREACHABLE)
    def test_every_unreachable_step_is_refused_and_audited(self, personas, case, start, to_step):
        assess(personas, case)
        approve_plan(personas, case)
        Case.objects.filter(pk=case.pk).update(step=start, status="aktif")
        with pytest.raises(ValidationError) as refused:
            workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step=to_step)
        assert refused.value.code == "unreachable_step"
        assert "cannot move" in refused.value.messages[0]
        assert fresh(case).step == start
        event = AuditEvent.objects.get(action="case.move", outcome="denied")
        assert event.details == {"reason": "unreachable_step", "from": start, "to": to_step}

    @pytest.mark.parametrize("start", ["penerimaan", "intervensi", "monev"])
    def test_closure_is_never_a_plain_move(self, personas, case, start):
        Case.objects.filter(pk=case.pk).update(step=start)
        with pytest.raises(ValidationError) as refused:
            workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step=CaseStep.TERMINASI)
        assert refused.value.code == "closure_needs_approval"
        assert denied("case.move", "closure_needs_approval")

    def test_an_unknown_step_is_refused(self, personas, case):
        with pytest.raises(ValidationError):
            workflow.case_move(actor=personas.pendamping, case=case, to_step="selesai")
        assert denied("case.move", "unknown_step")

    def test_a_closed_case_moves_nowhere(self, personas, case):
        Case.objects.filter(pk=case.pk).update(step="terminasi", status="ditutup")
        for to_step in CaseStep.values:
            with pytest.raises(ValidationError) as refused:
                workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step=to_step)
            assert refused.value.code == "case_closed"

    def test_the_plan_needs_a_completed_assessment(self, personas, case):
        Case.objects.filter(pk=case.pk).update(step="asesmen")
        assess(personas, case, complete=False, risk="")
        with pytest.raises(ValidationError) as refused:
            workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step=CaseStep.RENCANA)
        assert refused.value.code == "assessment_missing"
        assert denied("case.move", "assessment_missing")

    def test_the_intervention_needs_an_approved_plan(self, personas, case):
        assess(personas, case)
        Case.objects.filter(pk=case.pk).update(step="rencana")
        plan = write_plan(personas, case)
        workflow.plan_submit(actor=personas.pendamping, plan=plan)  # submitted, not approved
        with pytest.raises(ValidationError) as refused:
            workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step=CaseStep.INTERVENSI)
        assert refused.value.code == "plan_not_approved"

    def test_someone_outside_the_team_cannot_move_the_case(self, personas, case):
        for user in (personas.pendamping_lain, personas.datin, personas.orang_luar):
            with pytest.raises(PermissionDenied):
                workflow.case_move(actor=user, case=case, to_step=CaseStep.IDENTIFIKASI)
        assert AuditEvent.objects.filter(action="case.move", outcome="denied").count() == 3
        assert fresh(case).step == CaseStep.PENERIMAAN

    def test_the_kepala_may_move_a_case(self, personas, case):
        workflow.case_move(actor=personas.kepala, case=case, to_step=CaseStep.IDENTIFIKASI)
        assert fresh(case).step == CaseStep.IDENTIFIKASI

    def test_the_walk_through_every_step(self, personas, case):
        case = walk_to(personas, case, CaseStep.MONEV)
        steps = list(CaseStepChange.objects.filter(case=case).values_list("to_step", flat=True))
        assert steps == ["identifikasi", "asesmen", "rencana", "intervensi", "monev"]


# --- team ----------------------------------------------------------------------------------------


class TestTeam:
    def test_the_kepala_assigns_the_lead_and_the_assignee_is_told(self, personas, case):
        lead = CaseAssignment.objects.get(case=case, team_role="lead", active=True)
        assert lead.user == personas.pendamping
        note = Notification.objects.get(recipient=personas.pendamping, kind="case_assigned")
        assert case.registration_number in note.message and "Siti" not in note.message
        assert LeadChange.objects.get(case=case).previous is None

    def test_reassigning_the_lead_needs_a_reason(self, personas, case):
        with pytest.raises(ValidationError) as refused:
            workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping_lain)
        assert "reason" in refused.value.message_dict
        assert denied("case.lead_change", "reason_missing")
        workflow.case_set_lead(
            actor=personas.kepala,
            case=case,
            user=personas.pendamping_lain,
            reason="Pendamping lama cuti panjang.",
        )
        roles = dict(
            CaseAssignment.objects.filter(case=case, active=True).values_list("user__username", "team_role")
        )
        assert roles["pendamping_lain"] == "lead" and roles["pendamping"] == "member"
        history = list(LeadChange.objects.filter(case=case).order_by("id"))
        assert [(h.previous, h.new) for h in history] == [
            (None, personas.pendamping),
            (personas.pendamping, personas.pendamping_lain),
        ]
        assert history[1].reason == "Pendamping lama cuti panjang."
        assert Notification.objects.filter(recipient=personas.pendamping, kind="case_lead_changed").exists()
        event = AuditEvent.objects.filter(action="case.lead_change", outcome="ok").first()
        assert event.details["previous"] == personas.pendamping.public_id

    def test_only_the_kepala_assigns(self, personas, case):
        with pytest.raises(PermissionDenied):
            workflow.case_set_lead(
                actor=personas.pendamping, case=case, user=personas.pendamping_lain, reason="x" * 20
            )
        with pytest.raises(PermissionDenied):
            workflow.case_add_member(actor=personas.kepala_luar, case=case, user=personas.psikolog)
        assert AuditEvent.objects.filter(outcome="denied", details__reason="permission").count() == 2

    def test_members_with_team_roles(self, personas, case):
        workflow.case_add_member(
            actor=personas.kepala, case=case, user=personas.psikolog, team_role="psikolog"
        )
        assignment = CaseAssignment.objects.get(case=case, user=personas.psikolog, active=True)
        assert assignment.team_role == "psikolog"
        assert Notification.objects.filter(recipient=personas.psikolog, kind="case_assigned").exists()

    def test_staff_of_another_unit_cannot_join(self, personas, case):
        with pytest.raises(ValidationError):
            workflow.case_add_member(actor=personas.kepala, case=case, user=personas.orang_luar)
        assert denied("case.assign", "not_unit_staff")

    def test_the_lead_cannot_be_removed_without_a_new_lead(self, personas, case):
        with pytest.raises(ValidationError):
            workflow.case_remove_member(actor=personas.kepala, case=case, user=personas.pendamping)
        workflow.case_add_member(
            actor=personas.kepala, case=case, user=personas.psikolog, team_role="psikolog"
        )
        assert workflow.case_remove_member(actor=personas.kepala, case=case, user=personas.psikolog)


# --- assessment ----------------------------------------------------------------------------------


class TestAssessment:
    def test_completing_updates_the_risk_and_is_encrypted(self, personas, case):
        assessment = assess(personas, case, risk="tinggi")
        assert assessment.completed_at and assessment.completed_by == personas.pendamping
        assert fresh(case).risk == "tinggi"
        event = AuditEvent.objects.get(action="case.risk")
        assert event.changes == {"risk": ["sedang", "tinggi"]}
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT safety FROM cases_assessment WHERE id = %s", [assessment.pk])
            assert "Aman" not in cursor.fetchone()[0]

    def test_completing_needs_risk_and_safety(self, personas, case):
        with pytest.raises(ValidationError) as refused:
            workflow.assessment_save(
                actor=personas.pendamping, case=case, victim=victim_of(case), complete=True
            )
        assert set(refused.value.message_dict) == {"risk", "safety"}

    def test_a_completed_assessment_is_not_changed(self, personas, case):
        assessment = assess(personas, case)
        with pytest.raises(ValidationError):
            workflow.assessment_save(
                actor=personas.pendamping,
                case=case,
                victim=victim_of(case),
                assessment=assessment,
                health="x",
            )
        assert denied("assessment.save", "assessment_completed")

    def test_the_victim_must_be_of_the_case(self, personas, case):
        other = register(personas.petugas)
        with pytest.raises(ValidationError) as refused:
            workflow.assessment_save(actor=personas.pendamping, case=case, victim=victim_of(other))
        assert "victim" in refused.value.message_dict


# --- plan and approvals --------------------------------------------------------------------------


class TestPlanApproval:
    def test_submit_and_approve(self, personas, case):
        plan = write_plan(personas, case)
        assert plan.status == PlanStatus.DRAFT and plan.actions.count() == 1
        request = workflow.plan_submit(actor=personas.pendamping, plan=plan)
        assert Notification.objects.filter(recipient=personas.kepala, kind="approval_requested").exists()
        assert list(approvals_waiting_for(personas.kepala)) == [request]
        waiting = approvals_waiting_for(personas.kepala)[0]
        assert (waiting.case, waiting.kind, waiting.requested_by) == (case, "rencana", personas.pendamping)
        workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        plan.refresh_from_db()
        assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, personas.kepala)
        assert list(approvals_waiting_for(personas.kepala)) == []
        assert Notification.objects.filter(recipient=personas.pendamping, kind="approval_decided").exists()

    def test_return_with_comments_keeps_the_history(self, personas, case):
        plan = write_plan(personas, case)
        first = workflow.plan_submit(actor=personas.pendamping, plan=plan)
        with pytest.raises(ValidationError) as refused:
            workflow.approval_decide(actor=personas.kepala, request=first, approve=False)
        assert "comment" in refused.value.message_dict
        workflow.approval_decide(
            actor=personas.kepala, request=first, approve=False, comment="Tambah target waktu."
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RETURNED
        plan = workflow.plan_save(
            actor=personas.pendamping,
            case=case,
            plan=plan,
            goals="Korban aman, pulih dan mandiri.",
            agreed_with_victim=True,
            agreed_on=timezone.localdate(),
            actions=[
                {"description": "Konseling", "responsible_other": "RSUD", "due_date": timezone.localdate()}
            ],
        )
        second = workflow.plan_submit(actor=personas.pendamping, plan=plan)
        workflow.approval_decide(actor=personas.kepala, request=second, approve=True)
        history = list(ApprovalRequest.objects.filter(plan=plan).order_by("requested_at", "id"))
        assert [(r.status, r.comment) for r in history] == [
            (ApprovalStatus.RETURNED, "Tambah target waktu."),
            (ApprovalStatus.APPROVED, ""),
        ]

    def test_nobody_approves_their_own_plan(self, personas, case):
        plan = workflow.plan_save(
            actor=personas.kepala,
            case=case,
            goals="Tujuan",
            agreed_with_victim=True,
            agreed_on=timezone.localdate(),
            actions=[{"description": "A", "responsible": personas.kepala, "due_date": timezone.localdate()}],
        )
        request = workflow.plan_submit(actor=personas.pendamping, plan=plan)  # submitted by another
        assert list(approvals_waiting_for(personas.kepala)) == []
        with pytest.raises(ValidationError) as refused:
            workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        assert refused.value.code == "own_request"
        assert "own plan" in refused.value.messages[0]
        assert denied("plan.approve", "own_request")
        assert InterventionPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED

    def test_a_case_worker_cannot_approve(self, personas, case):
        request = workflow.plan_submit(actor=personas.pendamping, plan=write_plan(personas, case))
        with pytest.raises(PermissionDenied):
            workflow.approval_decide(actor=personas.pendamping_lain, request=request, approve=True)
        with pytest.raises(PermissionDenied):
            workflow.approval_decide(actor=personas.kepala_luar, request=request, approve=True)
        assert approvals_waiting_for(personas.pendamping).count() == 0
        assert approvals_waiting_for(personas.kepala_luar).count() == 0

    def test_a_plan_is_agreed_with_the_survivor_before_submission(self, personas, case):
        plan = write_plan(personas, case, agreed=False)
        with pytest.raises(ValidationError) as refused:
            workflow.plan_submit(actor=personas.pendamping, plan=plan)
        assert refused.value.code == "not_agreed"

    def test_plan_validation(self, personas, case):
        with pytest.raises(ValidationError) as refused:
            workflow.plan_save(actor=personas.pendamping, case=case, goals="", actions=[{"description": "A"}])
        assert set(refused.value.message_dict) == {"goals", "actions"}

    def test_a_submitted_plan_is_locked_and_a_new_one_supersedes_the_approved(self, personas, case):
        first = approve_plan(personas, case)
        second = write_plan(personas, case)
        with pytest.raises(ValidationError):
            write_plan(personas, case)  # one plan in preparation at a time
        request = workflow.plan_submit(actor=personas.pendamping, plan=second)
        with pytest.raises(ValidationError):
            workflow.plan_save(actor=personas.pendamping, case=case, plan=second, goals="x", actions=[])
        assert denied("plan.save", "plan_locked")
        workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        first.refresh_from_db()
        assert first.status == PlanStatus.SUPERSEDED

    def test_a_decided_request_cannot_be_decided_again(self, personas, case):
        request = workflow.plan_submit(actor=personas.pendamping, plan=write_plan(personas, case))
        workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        request.refresh_from_db()
        with pytest.raises(ValidationError):
            workflow.approval_decide(actor=personas.kepala, request=request, approve=False, comment="x")
        assert denied("plan.return", "already_decided")


# --- closure and reopening -----------------------------------------------------------------------


def close(personas, case, reason="kebutuhan_terpenuhi"):
    request = workflow.closure_request(actor=personas.pendamping, case=case, reason=reason)
    workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
    return fresh(case)


class TestClosure:
    def test_closure_needs_the_kepala(self, personas, case):
        case = walk_to(personas, case, CaseStep.MONEV)
        request = workflow.closure_request(actor=personas.pendamping, case=case, reason="kebutuhan_terpenuhi")
        assert fresh(case).status != CaseStatus.CLOSED  # a request alone closes nothing
        assert request in approvals_waiting_for(personas.kepala)
        with pytest.raises(ValidationError):
            workflow.closure_request(actor=personas.pendamping, case=case, reason="kebutuhan_terpenuhi")
        assert denied("closure.request", "already_requested")
        workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        case = fresh(case)
        assert (case.status, case.step) == (CaseStatus.CLOSED, CaseStep.TERMINASI)
        event = AuditEvent.objects.get(action="case.close")
        assert event.details["closure_reason"] == "kebutuhan_terpenuhi"
        assert event.changes == {"status": ["aktif", "ditutup"]}

    def test_a_closure_reason_is_required(self, personas, case):
        with pytest.raises(ValidationError) as refused:
            workflow.closure_request(actor=personas.pendamping, case=case, reason="bosan")
        assert "reason" in refused.value.message_dict
        assert denied("closure.request", "reason_missing")

    def test_nobody_approves_their_own_closure(self, personas, case):
        request = workflow.closure_request(actor=personas.kepala, case=case, reason="pindah_wilayah")
        with pytest.raises(ValidationError):
            workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        assert denied("closure.approve", "own_request")
        assert fresh(case).status != CaseStatus.CLOSED

    def test_a_returned_closure_leaves_the_case_open(self, personas, case):
        request = workflow.closure_request(actor=personas.pendamping, case=case, reason="tidak_ada_kontak")
        workflow.approval_decide(
            actor=personas.kepala, request=request, approve=False, comment="Coba kunjungi dulu."
        )
        assert fresh(case).status != CaseStatus.CLOSED
        assert AuditEvent.objects.filter(action="closure.return").exists()

    def test_a_closed_case_is_read_only(self, personas, case):
        case = close(personas, case)
        victim = victim_of(case)
        attempts = [
            lambda: workflow.case_move(actor=personas.pendamping, case=case, to_step="asesmen"),
            lambda: assess(personas, case),
            lambda: write_plan(personas, case),
            lambda: workflow.note_add(actor=personas.pendamping, case=case, body="x"),
            lambda: workflow.monev_record(
                actor=personas.pendamping, case=case, reviewed_on=timezone.localdate(), progress="x"
            ),
            lambda: workflow.closure_request(actor=personas.pendamping, case=case, reason="pindah_wilayah"),
            lambda: workflow.case_set_lead(
                actor=personas.kepala, case=case, user=personas.psikolog, reason="x" * 12
            ),
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError) as refused:
                attempt()
            assert "closed and read-only" in refused.value.messages[0]
        assert AuditEvent.objects.filter(outcome="denied", details__reason="case_closed").count() == len(
            attempts
        )
        with pytest.raises(CaseClosed) as refused:
            case_update_incident(
                actor=personas.pendamping, case=case, version=case.version, place_type="sekolah"
            )
        assert "closed" in str(refused.value)
        assert victim.name == "Siti Aminah"

    def test_reopen_by_the_kepala_with_a_reason(self, personas, case):
        case = walk_to(personas, case, CaseStep.MONEV)
        case = close(personas, case)
        with pytest.raises(PermissionDenied):
            workflow.case_reopen(actor=personas.pendamping, case=case, reason="Korban kembali melapor.")
        with pytest.raises(ValidationError):
            workflow.case_reopen(actor=personas.kepala, case=case, reason="")
        assert denied("case.reopen", "reason_missing")
        workflow.case_reopen(actor=personas.kepala, case=case, reason="Korban kembali melapor.")
        case = fresh(case)
        assert (case.status, case.step) == (CaseStatus.OPEN, CaseStep.MONEV)  # where it was closed from
        change = CaseStepChange.objects.filter(case=case).last()
        assert (change.to_step, change.reason) == ("monev", "Korban kembali melapor.")
        workflow.note_add(actor=personas.pendamping, case=case, body="Lanjut.")  # editable again

    def test_reopen_only_a_closed_case(self, personas, case):
        with pytest.raises(ValidationError):
            workflow.case_reopen(actor=personas.kepala, case=case, reason="Alasan yang cukup panjang.")
        assert denied("case.reopen", "not_closed")

    def test_reopen_to_a_chosen_step(self, personas, case):
        case = close(personas, case)
        workflow.case_reopen(
            actor=personas.kepala, case=case, reason="Perlu asesmen ulang.", to_step="asesmen"
        )
        assert fresh(case).step == "asesmen"


# --- monitoring and review, notes ----------------------------------------------------------------


class TestMonevAndNotes:
    def test_a_review_follows_the_approved_plan(self, personas, case):
        with pytest.raises(ValidationError) as refused:
            workflow.monev_record(
                actor=personas.pendamping, case=case, reviewed_on=timezone.localdate(), progress="Baik."
            )
        assert refused.value.code == "plan_not_approved"
        approve_plan(personas, case)
        review = workflow.monev_record(
            actor=personas.pendamping,
            case=case,
            reviewed_on=timezone.localdate(),
            progress="Baik.",
            risk="rendah",
        )
        assert review.progress == "Baik." and fresh(case).risk == "rendah"

    def test_a_review_in_the_future_is_refused(self, personas, case):
        approve_plan(personas, case)
        with pytest.raises(ValidationError) as refused:
            workflow.monev_record(
                actor=personas.pendamping,
                case=case,
                reviewed_on=timezone.localdate() + dt.timedelta(days=2),
                progress="Baik.",
            )
        assert "reviewed_on" in refused.value.message_dict

    def test_private_notes_are_for_the_team_and_kepala(self, personas, case):
        Case.objects.filter(pk=case.pk).update(restricted=False)
        from sinergi.accounts.models import Organisation

        Organisation.objects.filter(pk=personas.orgs.unit.pk).update(all_staff_see_all_cases=True)
        workflow.note_add(actor=personas.pendamping, case=case, body="Catatan umum.")
        workflow.note_add(actor=personas.pendamping, case=case, body="Catatan rahasia.", private=True)
        personas.pendamping_lain.organisation.refresh_from_db()
        bodies = {
            u: [n.body for n in notes_visible_to(getattr(personas, u), case)]
            for u in ("pendamping", "kepala", "pendamping_lain")
        }
        assert (
            sorted(bodies["pendamping"]) == sorted(bodies["kepala"]) == ["Catatan rahasia.", "Catatan umum."]
        )
        assert bodies["pendamping_lain"] == ["Catatan umum."]
        event = AuditEvent.objects.filter(action="note.add").first()
        assert event.details == {"private": True} and "rahasia" not in str(event.details)

    def test_an_empty_note_is_refused(self, personas, case):
        with pytest.raises(ValidationError):
            workflow.note_add(actor=personas.pendamping, case=case, body="  ")


# --- the timeline --------------------------------------------------------------------------------


def test_the_timeline_reads_each_step_in_words(personas, case):
    case = walk_to(personas, case, CaseStep.MONEV)
    close(personas, case)
    entries = timeline_entries(case_timeline(case))
    labels = [str(e.label) for e in entries]
    for label in ("Case registered", "Lead case worker assigned", "Step changed", "Assessment completed"):
        assert label in labels
    for label in ("Plan submitted for approval", "Plan approved", "Closure requested", "Case closed"):
        assert label in labels
    moves = [e.detail for e in entries if e.action == "case.move"]
    assert "Intake and registration → Screening" in moves
    assert not [e for e in entries if e.outcome != "ok"]


# --- deadlines -----------------------------------------------------------------------------------


class TestClocks:
    @pytest.fixture(autouse=True)
    def _deadlines(self):
        pytest.importorskip("sinergi.deadlines.services")

    def clocks(self, case):
        from sinergi.deadlines.models import Deadline

        return {d.kind: d.status for d in Deadline.objects.filter(case=case)}

    def test_screening_stops_the_first_response(self, personas, case):
        from sinergi.deadlines.services import deadline_start

        deadline_start(kind="first_response", unit=case.unit, started_at=timezone.now(), case=case)
        workflow.case_move(actor=personas.pendamping, case=case, to_step=CaseStep.IDENTIFIKASI)
        assert self.clocks(case)["first_response"] in {"met", "met_late"}

    def test_a_completed_assessment_stops_its_clock(self, personas, case):
        from sinergi.deadlines.services import deadline_start

        deadline_start(kind="assessment", unit=case.unit, started_at=timezone.now(), case=case)
        assess(personas, case, complete=False, risk="")
        assert self.clocks(case)["assessment"] == "open"
        assess(personas, case)
        assert self.clocks(case)["assessment"] == "met"

    def test_plan_approval_starts_the_review_clock_and_each_review_restarts_it(self, personas, case):
        from sinergi.deadlines.models import Deadline

        approve_plan(personas, case)
        first = Deadline.objects.get(case=case, kind="review")
        assert first.status == "open" and first.responsible == personas.pendamping
        assert first.due_at - first.started_at >= dt.timedelta(days=80)
        workflow.monev_record(
            actor=personas.pendamping, case=case, reviewed_on=timezone.localdate(), progress="Baik."
        )
        reviews = list(Deadline.objects.filter(case=case, kind="review").order_by("id"))
        assert [d.status for d in reviews] == ["met", "open"]

    def test_closure_cancels_the_open_clocks(self, personas, case):
        from sinergi.deadlines.services import deadline_start

        deadline_start(kind="assessment", unit=case.unit, started_at=timezone.now(), case=case)
        close(personas, case)
        assert "open" not in self.clocks(case).values()

    def test_a_reevaluated_risk_retimes_the_first_response(self, personas, case):
        from sinergi.deadlines.models import Deadline

        clock = Deadline.objects.get(case=case, kind="first_response", status="open")
        assert clock.due_at - clock.started_at == dt.timedelta(hours=6)  # medium risk at intake
        assess(personas, case, risk="tinggi")
        clock.refresh_from_db()
        assert clock.due_at - clock.started_at == dt.timedelta(hours=1)

    def test_reopening_under_the_approved_plan_restarts_the_review_clock(self, personas, case):
        from sinergi.deadlines.models import Deadline

        case = walk_to(personas, case, CaseStep.MONEV)
        case = close(personas, case)
        assert not Deadline.objects.filter(case=case, kind="review", status="open").exists()
        workflow.case_reopen(actor=personas.kepala, case=case, reason="Korban kembali melapor.")
        assert Deadline.objects.filter(case=case, kind="review", status="open").exists()


def test_narratives_are_encrypted_at_rest(personas, case):
    """What staff write about the survivor in the workflow is ciphertext in every column."""
    from django.db import connection

    from sinergi.cases.models import Assessment, CaseNote, CaseStepChange, MonevReview, PlanAction
    from sinergi.core.fields import EncryptedTextField

    secret = "Rahasia Kusumaningrum"
    workflow.assessment_save(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        complete=True,
        risk="tinggi",
        **{f: f"{secret} {f}" for f in Assessment.NARRATIVE_FIELDS},
    )
    plan = workflow.plan_save(
        actor=personas.pendamping,
        case=case,
        goals=f"{secret} goals",
        agreed_with_victim=True,
        agreed_on=timezone.localdate(),
        actions=[{"description": f"{secret} action", "responsible": personas.psikolog, "due_date": TODAY()}],
    )
    request = workflow.plan_submit(actor=personas.pendamping, plan=plan, note=f"{secret} note")
    workflow.approval_decide(
        actor=personas.kepala, request=request, approve=False, comment=f"{secret} comment"
    )
    workflow.note_add(actor=personas.pendamping, case=case, body=f"{secret} body", private=True)
    workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.psikolog, reason=f"{secret} lead")
    InterventionPlan.objects.filter(pk=plan.pk).update(status="disetujui")
    workflow.monev_record(
        actor=personas.pendamping,
        case=case,
        reviewed_on=TODAY(),
        progress=f"{secret} p",
        next_steps=f"{secret} n",
    )
    case = close(personas, case)
    workflow.case_reopen(actor=personas.kepala, case=case, reason=f"{secret} reopen")
    models = (Assessment, InterventionPlan, PlanAction, ApprovalRequest, CaseNote, LeadChange, MonevReview)
    checked = 0
    with connection.cursor() as cursor:
        for model in (*models, CaseStepChange):
            for field in model._meta.fields:
                if isinstance(field, EncryptedTextField):
                    cursor.execute(f"SELECT {field.column} FROM {model._meta.db_table}")  # noqa: S608
                    for (value,) in cursor.fetchall():
                        assert "Rahasia" not in (value or ""), f"{model.__name__}.{field.name} in clear"
                        checked += bool(value)
    assert checked == 15  # every narrative written above, found encrypted
    assert secret not in str(list(AuditEvent.objects.values_list("details", "changes")))
