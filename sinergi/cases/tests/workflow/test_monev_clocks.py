"""The workflow services: reviews and notes, the timeline, the clocks they move, encryption."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.audit.selectors import case_timeline
from sinergi.cases import workflow
from sinergi.cases.choices import CaseStep
from sinergi.cases.models import (
    ApprovalRequest,
    Case,
    CaseStepChange,
    InterventionPlan,
    LeadChange,
)
from sinergi.cases.policies import notes_visible_to
from sinergi.cases.workflow_selectors import timeline_entries

from .helpers import (
    TODAY,
    approve_plan,
    assess,
    close,
    fresh,
    victim_of,
    walk_to,
)

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

    from sinergi.cases.models import Assessment, CaseNote, MonevReview, PlanAction
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
