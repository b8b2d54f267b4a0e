"""Work moves the case (issue 14 item 7): the first contact stops the first-response clock, a
completed assessment carries the case to its plan, an approved plan to the intervention."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow
from sinergi.cases.choices import CaseStep
from sinergi.cases.models import Case, CaseStepChange
from sinergi.deadlines.models import Deadline

from .helpers import approve_plan, assess, close, denied, fresh, walk_to


def clock(case, kind):
    return Deadline.objects.filter(case=case, kind=kind).order_by("-id").first()


def history(case):
    return list(CaseStepChange.objects.filter(case=case).order_by("id").values_list("to_step", "cause"))


class TestFirstContact:
    @pytest.fixture(autouse=True)
    def _reported_an_hour_ago(self, case):
        Case.objects.filter(pk=case.pk).update(reported_at=timezone.now() - dt.timedelta(hours=1))
        case.refresh_from_db()

    def test_it_stops_the_first_response_at_the_contact_time_and_opens_screening(self, personas, case):
        assert clock(case, "first_response").status == "open"
        at = timezone.now() - dt.timedelta(minutes=1)
        case = workflow.case_first_contact(actor=personas.pendamping, case=case, at=at, method="telepon")
        first = clock(case, "first_response")
        assert first.status == "met" and first.stopped_at == at
        assert (case.step, case.status) == ("identifikasi", "aktif")
        assert history(case) == [("identifikasi", "first_contact")]
        assert fresh(case).first_contact_method == "telepon"
        event = AuditEvent.objects.get(action="case.advance")
        assert event.details == {"from": "penerimaan", "to": "identifikasi", "cause": "first_contact"}

    def test_a_late_contact_is_met_late_by_its_own_time(self, personas, case):
        first = clock(case, "first_response")
        Deadline.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(minutes=30))
        at = timezone.now() - dt.timedelta(minutes=10)
        workflow.case_first_contact(actor=personas.pendamping, case=case, at=at, method="kunjungan")
        assert clock(case, "first_response").status == "met_late"

    def test_it_is_recorded_once(self, personas, case):
        workflow.case_first_contact(actor=personas.pendamping, case=case, at=timezone.now(), method="pesan")
        with pytest.raises(ValidationError, match="already recorded"):
            workflow.case_first_contact(
                actor=personas.pendamping, case=fresh(case), at=timezone.now(), method="telepon"
            )
        assert denied("case.first_contact", "already_recorded")
        assert fresh(case).first_contact_method == "pesan"

    @pytest.mark.parametrize(
        ("shift", "method", "field"),
        [
            (dt.timedelta(hours=2), "telepon", "at"),
            (-dt.timedelta(days=3), "telepon", "at"),
            (dt.timedelta(0), "merpati", "method"),
        ],
        ids=["future", "before-the-report", "unknown-method"],
    )
    def test_bad_input_is_refused_with_a_message(self, personas, case, shift, method, field):
        with pytest.raises(ValidationError) as refused:
            workflow.case_first_contact(
                actor=personas.pendamping, case=case, at=timezone.now() + shift, method=method
            )
        assert field in refused.value.message_dict
        assert fresh(case).first_contact_at is None and clock(case, "first_response").status == "open"

    def test_a_case_already_screened_keeps_its_step(self, personas, case):
        case = walk_to(personas, case, CaseStep.ASESMEN)
        case = workflow.case_first_contact(
            actor=personas.pendamping, case=case, at=timezone.now(), method="telepon"
        )
        assert case.step == "asesmen"
        assert not AuditEvent.objects.filter(action="case.advance").exists()

    def test_outsiders_and_closed_cases_are_refused(self, personas, case):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            workflow.case_first_contact(
                actor=personas.orang_luar, case=case, at=timezone.now(), method="telepon"
            )
        closed = close(personas, case)
        with pytest.raises(ValidationError, match="closed"):
            workflow.case_first_contact(
                actor=personas.pendamping, case=closed, at=timezone.now(), method="telepon"
            )


class TestAssessmentAndPlan:
    def test_a_completed_assessment_at_intake_carries_the_case_to_the_plan(self, personas, case):
        assess(personas, case)
        case = fresh(case)
        assert case.step == "rencana" and case.status == "aktif"
        # Every step passed is in the history with its cause: nothing is skipped silently.
        assert history(case) == [
            ("identifikasi", "assessment"),
            ("asesmen", "assessment"),
            ("rencana", "assessment"),
        ]
        for kind in ("first_response", "complaint_follow_up", "assessment"):
            assert clock(case, kind).status in {"met", "met_late"}, kind

    def test_a_draft_assessment_moves_nothing(self, personas, case):
        assess(personas, case, complete=False, risk="")
        assert fresh(case).step == "penerimaan"

    def test_an_approved_plan_starts_the_intervention(self, personas, case):
        assess(personas, case)
        approve_plan(personas, fresh(case))
        case = fresh(case)
        assert case.step == "intervensi"
        assert history(case)[-1] == ("intervensi", "plan_approved")
        assert clock(case, "review").status == "open"

    def test_work_never_moves_a_case_back(self, personas, case):
        case = walk_to(personas, case, CaseStep.MONEV)
        assess(personas, case)  # a new assessment during monitoring
        approve_plan(personas, fresh(case))  # and a revised plan
        assert fresh(case).step == "monev"

    def test_a_returned_plan_moves_nothing(self, personas, case):
        from .helpers import write_plan

        assess(personas, case)
        request = workflow.plan_submit(actor=personas.pendamping, plan=write_plan(personas, fresh(case)))
        workflow.approval_decide(
            actor=personas.kepala, request=request, approve=False, comment="Tambah tujuan."
        )
        assert fresh(case).step == "rencana"

    def test_the_timeline_names_the_cause(self, personas, case):
        from sinergi.audit.selectors import case_timeline
        from sinergi.cases.workflow_selectors import timeline_entries

        workflow.case_first_contact(actor=personas.pendamping, case=case, at=timezone.now(), method="telepon")
        labels = {(e.label, e.detail) for e in timeline_entries(case_timeline(fresh(case)))}
        assert ("First contact with the survivor", "Phone call") in {(str(a), str(b)) for a, b in labels}
        assert ("Step moved on by the work done", "Intake and registration → Screening") in {
            (str(a), str(b)) for a, b in labels
        }
