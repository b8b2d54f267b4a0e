"""The workflow services: the plan and its approval, closure and reopening."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow
from sinergi.cases.choices import ApprovalStatus, CaseStatus, CaseStep, PlanStatus
from sinergi.cases.models import (
    ApprovalRequest,
    CaseStepChange,
    InterventionPlan,
)
from sinergi.cases.policies import CaseClosed
from sinergi.cases.record import case_update_incident
from sinergi.cases.workflow_selectors import approvals_waiting_for
from sinergi.notifications.models import Notification

from .helpers import approve_plan, assess, close, denied, fresh, victim_of, walk_to, write_plan

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

    def test_nobody_approves_a_plan_they_changed(self, personas, case):
        plan = write_plan(personas, case)  # written by the case worker
        # The kepala rewrites the draft, then the case worker submits it.
        write_plan(personas, case, actor=personas.kepala, plan=plan)
        request = workflow.plan_submit(actor=personas.pendamping, plan=plan)
        assert list(approvals_waiting_for(personas.kepala)) == []
        with pytest.raises(ValidationError) as refused:
            workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        assert refused.value.code == "own_request"
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
