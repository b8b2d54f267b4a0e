"""The workflow pages under /kasus/<public_id>/: each works for the case team (or the kepala),
is a 404 to outsiders and to roles without the right, and refuses edits of a closed case."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow
from sinergi.cases.choices import CaseStatus, CaseStep, PlanStatus
from sinergi.cases.models import ApprovalRequest, Assessment, Case, CaseAssignment, CaseNote, InterventionPlan
from sinergi.cases.record import case_register
from sinergi.testing.cases import register_case


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def case(personas):
    case = register_case(personas.petugas, risk="tinggi")
    workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
    return Case.objects.get(pk=case.pk)


def victim_of(case):
    return case.persons.get(role="korban")


def completed_assessment(personas, case):
    return workflow.assessment_save(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        complete=True,
        risk="tinggi",
        safety="Aman.",
    )


def submitted_plan(personas, case, author=None):
    plan = workflow.plan_save(
        actor=author or personas.pendamping,
        case=case,
        goals="Pulih.",
        agreed_with_victim=True,
        agreed_on=timezone.localdate(),
        actions=[
            {"description": "Konseling", "responsible_other": "Psikolog", "due_date": timezone.localdate()}
        ],
    )
    return workflow.plan_submit(actor=personas.pendamping, plan=plan)


def urls(personas, case):
    """(name, url, who gets 200) for every GET page of the workflow."""
    assessment = completed_assessment(personas, case)
    request = submitted_plan(personas, case)
    return [
        ("team", reverse("cases:team", args=[case.public_id]), "kepala"),
        ("assessment_add", reverse("cases:assessment_add", args=[case.public_id]), "pendamping"),
        (
            "assessment",
            reverse("cases:assessment", args=[case.public_id, assessment.public_id]),
            "pendamping",
        ),
        ("plan", reverse("cases:plan", args=[case.public_id]), "pendamping"),
        ("approval", reverse("cases:approval", args=[case.public_id, request.public_id]), "kepala"),
        ("closure", reverse("cases:closure", args=[case.public_id]), "pendamping"),
        ("reopen", reverse("cases:reopen", args=[case.public_id]), "kepala"),
        ("monev", reverse("cases:monev", args=[case.public_id]), "pendamping"),
    ]


class TestPages:
    def test_it_hides_from_outsiders(self, personas, login, case):
        for name, url, _who in urls(personas, case):
            for outsider in ("pendamping_lain", "orang_luar", "kepala_luar", "kepala_provinsi"):
                assert login(getattr(personas, outsider)).get(url).status_code == 404, (name, outsider)
        denials = AuditEvent.objects.filter(outcome="denied", action="case.view", case_id=case.public_id)
        assert denials.count() == 8 * 4


class TestCasePage:
    def test_the_panel_shows_the_step_and_the_possible_moves(self, personas, login, case):
        html = login(personas.pendamping).get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert 'id="workflow"' in html and 'data-current-step="penerimaan"' in html
        assert 'value="identifikasi"' in html

    def test_moving_and_the_timeline(self, personas, login, case):
        client = login(personas.pendamping)
        response = client.post(reverse("cases:move", args=[case.public_id]), {"to_step": "identifikasi"})
        assert response.status_code == 302
        assert Case.objects.get(pk=case.pk).step == CaseStep.IDENTIFIKASI
        html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        timeline = html.split('id="timeline"', 1)[1].split("</section>", 1)[0]
        assert "Step changed" in timeline and "Intake and registration → Screening" in timeline

    def test_an_unreachable_step_is_refused_with_a_message(self, personas, login, case):
        client = login(personas.pendamping)
        response = client.post(
            reverse("cases:move", args=[case.public_id]), {"to_step": "intervensi"}, follow=True
        )
        assert "cannot move" in response.content.decode()
        assert Case.objects.get(pk=case.pk).step == CaseStep.PENERIMAAN
        assert AuditEvent.objects.filter(action="case.move", outcome="denied").exists()

    def test_private_notes_are_shown_to_the_team_only(self, personas, login, case):
        from sinergi.accounts.models import Organisation

        Organisation.objects.filter(pk=personas.orgs.unit.pk).update(all_staff_see_all_cases=True)
        client = login(personas.pendamping)
        url = reverse("cases:note_add", args=[case.public_id])
        client.post(url, {"note-body": "Catatan untuk semua."})
        client.post(url, {"note-body": "Catatan rahasia tim.", "note-private": "on"})
        assert CaseNote.objects.filter(case=case).count() == 2
        detail = reverse("cases:detail", args=[case.public_id])
        for persona, sees in (("pendamping", True), ("kepala", True), ("pendamping_lain", False)):
            html = login(getattr(personas, persona)).get(detail).content.decode()
            assert "Catatan untuk semua." in html, persona
            assert ("Catatan rahasia tim." in html) is sees, persona


class TestTeamPage:
    def test_reassignment_needs_a_reason(self, personas, login, case):
        client = login(personas.kepala)
        url = reverse("cases:team", args=[case.public_id])
        response = client.post(url, {"action": "lead", "lead-user": personas.pendamping_lain.pk})
        assert response.status_code == 200
        assert "Say why the lead case worker changes" in response.content.decode()
        response = client.post(
            url,
            {
                "action": "lead",
                "lead-user": personas.pendamping_lain.pk,
                "lead-reason": "Pendamping cuti lama.",
            },
        )
        assert response.status_code == 302
        lead = CaseAssignment.objects.get(case=case, team_role="lead", active=True)
        assert lead.user == personas.pendamping_lain

    def test_add_a_psychologist(self, personas, login, case):
        client = login(personas.kepala)
        url = reverse("cases:team", args=[case.public_id])
        response = client.post(
            url, {"action": "member", "member-user": personas.psikolog.pk, "member-team_role": "psikolog"}
        )
        assert response.status_code == 302
        assert CaseAssignment.objects.filter(case=case, user=personas.psikolog, team_role="psikolog").exists()

    def test_my_cases(self, personas, login, case):
        other = case_register(
            actor=personas.kepala, victims=[{"name": "Ani", "sex": "perempuan", "age_years": 20}]
        )
        client = login(personas.kepala)
        assert 'href="/kasus/?mine=on"' in client.get(reverse("cases:list")).content.decode()
        html = client.get(reverse("cases:list") + "?mine=on").content.decode()
        assert other.pseudonym in html and case.pseudonym not in html


def test_the_case_list_filters_and_shows_the_step(personas, login, case):
    other = case_register(
        actor=personas.kepala, victims=[{"name": "Ani", "sex": "perempuan", "age_years": 20}]
    )
    workflow.case_move(actor=personas.kepala, case=other, to_step=CaseStep.IDENTIFIKASI)
    html = login(personas.kepala).get(reverse("cases:list") + "?step=identifikasi").content.decode()
    assert other.pseudonym in html and case.pseudonym not in html
    assert "Screening" in html


class TestAssessmentAndPlanPages:
    def test_assessment_draft_then_complete(self, personas, login, case):
        client = login(personas.pendamping)
        data = {"victim": victim_of(case).public_id, "risk": "", "safety": "", "health": "Baik."}
        response = client.post(reverse("cases:assessment_add", args=[case.public_id]), data)
        assessment = Assessment.objects.get(case=case)
        assert response.status_code == 302 and assessment.completed_at is None
        url = reverse("cases:assessment", args=[case.public_id, assessment.public_id])
        response = client.post(url, {**data, "complete": "1"})
        assert response.status_code == 200  # risk and safety are required to complete
        assert "Re-evaluate the risk" in response.content.decode()
        response = client.post(url, {**data, "risk": "sedang", "safety": "Aman.", "complete": "1"})
        assert response.status_code == 302
        assert Assessment.objects.get(pk=assessment.pk).completed_at is not None
        assert Case.objects.get(pk=case.pk).risk == "sedang"

    def test_write_submit_and_approve_a_plan(self, personas, login, case):
        client = login(personas.pendamping)
        url = reverse("cases:plan", args=[case.public_id])
        data = {
            "goals": "Korban aman.",
            "agreed_with_victim": "on",
            "agreed_on": timezone.localdate().isoformat(),
            "actions-TOTAL_FORMS": "2",
            "actions-INITIAL_FORMS": "0",
            "actions-0-description": "Konseling",
            "actions-0-responsible": personas.psikolog.pk,
            "actions-0-due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        }
        assert client.post(url, data).status_code == 302
        plan = InterventionPlan.objects.get(case=case)
        assert plan.actions.get().responsible == personas.psikolog
        assert client.post(reverse("cases:plan_submit", args=[case.public_id])).status_code == 302
        request = ApprovalRequest.objects.get(case=case)
        kepala = login(personas.kepala)
        approval = reverse("cases:approval", args=[case.public_id, request.public_id])
        assert "Korban aman." in kepala.get(approval).content.decode()
        response = kepala.post(approval, {"decision": "return", "comment": ""})
        assert response.status_code == 200 and "Say what should change" in response.content.decode()
        assert kepala.post(approval, {"decision": "approve", "comment": ""}).status_code == 302
        assert InterventionPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED

    def test_approving_ones_own_plan_is_refused(self, personas, login, case):
        request = submitted_plan(personas, case, author=personas.kepala)
        client = login(personas.kepala)
        url = reverse("cases:approval", args=[case.public_id, request.public_id])
        assert "nobody approves their own" in client.get(url).content.decode()
        response = client.post(url, {"decision": "approve"})
        assert response.status_code == 200
        assert "Nobody approves their own plan" in response.content.decode()
        assert AuditEvent.objects.filter(action="plan.approve", outcome="denied").exists()
        assert InterventionPlan.objects.get(pk=request.plan_id).status == PlanStatus.SUBMITTED


class TestClosedCase:
    def close(self, personas, case):
        request = workflow.closure_request(actor=personas.pendamping, case=case, reason="permintaan_korban")
        workflow.approval_decide(actor=personas.kepala, request=request, approve=True)
        return Case.objects.get(pk=case.pk)

    def test_closure_through_the_pages(self, personas, login, case):
        client = login(personas.pendamping)
        response = client.post(reverse("cases:closure", args=[case.public_id]), {"reason": ""})
        assert response.status_code == 200
        client.post(reverse("cases:closure", args=[case.public_id]), {"reason": "kebutuhan_terpenuhi"})
        request = ApprovalRequest.objects.get(case=case, kind="penutupan")
        response = login(personas.kepala).post(
            reverse("cases:approval", args=[case.public_id, request.public_id]), {"decision": "approve"}
        )
        assert response.status_code == 302
        assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED

    def test_edit_pages_refuse_a_closed_case_with_a_message(self, personas, login, case):
        case = self.close(personas, case)
        client = login(personas.pendamping)
        for name in ("assessment_add", "closure", "monev", "edit_incident", "classify", "consent_add"):
            response = client.get(reverse(f"cases:{name}", args=[case.public_id]))
            assert response.status_code == 403, name
            assert "closed and read-only" in response.content.decode(), name
        response = client.post(reverse("cases:note_add", args=[case.public_id]), {"note-body": "x"})
        assert response.status_code == 403
        assert not CaseNote.objects.exists()
        refusals = AuditEvent.objects.filter(outcome="denied", details__reason="case_closed")
        assert refusals.count() == 7
        html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Closed: read-only" in html and 'id="note-body"' not in html

    def test_the_kepala_reopens(self, personas, login, case):
        case = self.close(personas, case)
        client = login(personas.kepala)
        url = reverse("cases:reopen", args=[case.public_id])
        assert client.post(url, {"reason": "pendek"}).status_code == 200
        assert client.post(url, {"reason": "Korban melapor kekerasan berulang."}).status_code == 302
        assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_the_case_page_query_count_does_not_grow_with_workflow_records(
    personas, login, case, django_assert_max_num_queries
):
    client = login(personas.pendamping)
    url = reverse("cases:detail", args=[case.public_id])
    completed_assessment(personas, case)
    workflow.note_add(actor=personas.pendamping, case=case, body="Satu.")
    client.get(url)  # warm the session (its first request records the user session)
    with django_assert_max_num_queries(200) as few:
        client.get(url)
    for i in range(6):
        workflow.note_add(actor=personas.pendamping, case=case, body=f"Catatan {i}.", private=bool(i % 2))
        workflow.assessment_save(actor=personas.pendamping, case=case, victim=victim_of(case), health=f"{i}")
    with django_assert_max_num_queries(200) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


class TestMoreRefusals:
    def test_removing_a_member_and_refusing_the_lead(self, personas, login, case):
        workflow.case_add_member(
            actor=personas.kepala, case=case, user=personas.psikolog, team_role="psikolog"
        )
        client = login(personas.kepala)
        url = reverse("cases:team", args=[case.public_id])
        remove = {"action": "remove", "confirm": "ya"}
        response = client.post(url, {**remove, "user": personas.pendamping.public_id}, follow=True)
        assert "The lead case worker cannot leave the team" in response.content.decode()
        # Without the confirmation nobody is removed.
        client.post(url, {"action": "remove", "user": personas.psikolog.public_id})
        assert CaseAssignment.objects.filter(case=case, user=personas.psikolog, active=True).exists()
        assert client.post(url, {**remove, "user": personas.psikolog.public_id}).status_code == 302
        assert not CaseAssignment.objects.filter(case=case, user=personas.psikolog, active=True).exists()
        assert client.post(url, {"action": "remove", "user": "bukan-id"}).status_code == 404

    def test_a_review_before_an_approved_plan_is_refused_on_the_page(self, personas, login, case):
        client = login(personas.pendamping)
        url = reverse("cases:monev", args=[case.public_id])
        data = {
            "reviewed_on": timezone.localdate().isoformat(),
            "progress": "Baik.",
            "plan_still_valid": "on",
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "get the plan approved first" in response.content.decode()
        assert AuditEvent.objects.filter(action="monev.record", outcome="denied").exists()

    def test_reopening_an_open_case_is_refused_on_the_page(self, personas, login, case):
        response = login(personas.kepala).post(
            reverse("cases:reopen", args=[case.public_id]), {"reason": "Alasan yang cukup panjang."}
        )
        assert response.status_code == 200
        assert "Only a closed case can be reopened." in response.content.decode()

    def test_an_unknown_request_is_a_404(self, personas, login, case):
        url = reverse("cases:approval", args=[case.public_id, "bukan-id"])
        assert login(personas.kepala).get(url).status_code == 404

    def test_another_cases_assessment_is_a_404(self, personas, login, case):
        other = case_register(actor=personas.pendamping, victims=[{"name": "Ani", "sex": "perempuan"}])
        assessment = completed_assessment(personas, other)
        url = reverse("cases:assessment", args=[case.public_id, assessment.public_id])
        assert login(personas.pendamping).get(url).status_code == 404
