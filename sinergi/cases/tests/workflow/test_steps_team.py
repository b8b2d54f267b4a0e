"""The workflow services: steps, the case team and the assessment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow
from sinergi.cases.choices import CaseStatus, CaseStep
from sinergi.cases.models import (
    Case,
    CaseAssignment,
    CaseStepChange,
    LeadChange,
)
from sinergi.notifications.models import Notification
from sinergi.testing.cases import register_case as register

from .helpers import (
    UNREACHABLE,
    approve_plan,
    assess,
    denied,
    fresh,
    victim_of,
    walk_to,
    write_plan,
)

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
