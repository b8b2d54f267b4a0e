"""The reasoned "not TPKS" decision (DOMAIN.md §5): proposed with a reason, decided by another head
of unit, audited; it answers only the indicators it saw, and its withdrawal makes the case TPKS again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sinergi.accounts.choices import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow
from sinergi.cases.models import NotTpksDecision
from sinergi.cases.record import case_flags
from sinergi.cases.selectors import victim_is_tpks
from sinergi.deadlines.models import Deadline
from sinergi.testing.cases import classify, register_case
from sinergi.testing.factories import UserFactory

from .helpers import denied

REASON = "Pelaku dan korban sama-sama dewasa; tindakan bukan seksual, salah centang sebelumnya."


@pytest.fixture
def tpks_case(personas):
    # A PKDRT "seksual" incident: TPKS derived (UU TPKS Ps 4(2)(h)).
    case = register_case(
        personas.pendamping,
        victims=[{"name": "Wati", "sex": "perempuan", "age_years": 30, "violence_types": ["psikis"]}],
    )
    classify(actor=personas.pendamping, case=case, pkdrt_types=["seksual"])
    return case


def _victim(case):
    return case.persons.get(role="korban")


def _police_clock(case):
    return Deadline.objects.filter(case=case, kind="tpks_police_report").order_by("-pk").first()


def _propose(personas, case, reason=REASON):
    return workflow.not_tpks_propose(
        actor=personas.pendamping, case=case, victim=_victim(case), reason=reason
    )


@pytest.mark.parametrize("reason", ["", "   ", "salah"])
def test_a_proposal_needs_a_reason(personas, tpks_case, reason):
    with pytest.raises(ValidationError) as exc:
        _propose(personas, tpks_case, reason)
    assert "reason" in exc.value.message_dict
    assert not NotTpksDecision.objects.exists()
    assert denied("not_tpks.propose", "reason_missing")


def test_an_incident_without_an_indicator_needs_no_decision(personas):
    case = register_case(personas.pendamping)
    with pytest.raises(ValidationError, match="Nothing in this incident indicates TPKS"):
        _propose(personas, case)


def test_approved_by_the_head_of_unit_the_incident_is_not_tpks(personas, tpks_case):
    assert _police_clock(tpks_case).status == "open"
    decision = _propose(personas, tpks_case)
    assert decision.grounds == ["pkdrt_seksual"]  # the indicators seen now
    assert victim_is_tpks(_victim(tpks_case))  # a proposal alone changes nothing
    workflow.not_tpks_decide(actor=personas.kepala, decision=decision, approve=True)
    victim = _victim(tpks_case)
    assert not victim_is_tpks(victim)
    flags = case_flags(tpks_case)
    assert not flags["tpks_case"] and flags["mediation_allowed"]
    assert _police_clock(tpks_case).status == "cancelled"
    events = AuditEvent.objects.filter(action__in=["not_tpks.propose", "not_tpks.approve"], outcome="ok")
    assert events.count() == 2
    assert all(REASON not in str(e.details) for e in events)


def test_nobody_approves_their_own_proposal(personas, tpks_case):
    decision = workflow.not_tpks_propose(
        actor=personas.kepala, case=tpks_case, victim=_victim(tpks_case), reason=REASON
    )
    with pytest.raises(ValidationError, match="their own proposal"):
        workflow.not_tpks_decide(actor=personas.kepala, decision=decision, approve=True)
    other_head = UserFactory(role=Role.KEPALA_UPTD, organisation=personas.kepala.organisation)
    workflow.not_tpks_decide(actor=other_head, decision=decision, approve=True)
    assert not victim_is_tpks(_victim(tpks_case))


def test_only_a_head_of_the_unit_decides(personas, tpks_case):
    decision = _propose(personas, tpks_case)
    for actor in (personas.pendamping_lain, personas.kepala_luar):
        with pytest.raises(PermissionDenied):
            workflow.not_tpks_decide(actor=actor, decision=decision, approve=True)
    assert NotTpksDecision.objects.get().status == "proposed"


def test_a_rejection_says_why_and_the_incident_stays_tpks(personas, tpks_case):
    decision = _propose(personas, tpks_case)
    with pytest.raises(ValidationError):
        workflow.not_tpks_decide(actor=personas.kepala, decision=decision, approve=False, note=" ")
    workflow.not_tpks_decide(actor=personas.kepala, decision=decision, approve=False, note="Tetap TPKS.")
    assert victim_is_tpks(_victim(tpks_case))
    assert _police_clock(tpks_case).status == "open"


def test_one_proposal_waits_at_a_time(personas, tpks_case):
    _propose(personas, tpks_case)
    with pytest.raises(ValidationError, match="already waits"):
        _propose(personas, tpks_case)


def test_a_new_indicator_makes_the_incident_tpks_again(personas, tpks_case):
    decision = _propose(personas, tpks_case)
    workflow.not_tpks_decide(actor=personas.kepala, decision=decision, approve=True)
    victim = _victim(tpks_case)
    classify(actor=personas.pendamping, case=tpks_case, pkdrt_types=["seksual"], tpks_offences=["perkosaan"])
    assert victim_is_tpks(_victim(tpks_case))
    assert victim.pk == _victim(tpks_case).pk


def test_withdrawing_an_approved_decision_restarts_the_police_clock(personas, tpks_case):
    decision = _propose(personas, tpks_case)
    workflow.not_tpks_decide(actor=personas.kepala, decision=decision, approve=True)
    with pytest.raises(PermissionDenied):  # an approved decision is the head of unit's to withdraw
        workflow.not_tpks_withdraw(actor=personas.pendamping, decision=decision)
    workflow.not_tpks_withdraw(actor=personas.kepala, decision=decision)
    assert victim_is_tpks(_victim(tpks_case))
    assert _police_clock(tpks_case).status == "open"


def test_the_pages_propose_decide_and_show_it(personas, login, tpks_case):
    victim = _victim(tpks_case)
    url = reverse("cases:not_tpks_propose", args=[tpks_case.public_id, victim.public_id])
    worker = login(personas.pendamping)
    page = worker.get(url)
    assert page.status_code == 200 and "UU TPKS Ps 4(2)(h)" in page.content.decode()
    empty = worker.post(url, {"reason": ""})
    assert empty.status_code == 200 and 'name="reason"' in empty.content.decode()
    assert not NotTpksDecision.objects.exists()
    assert worker.post(url, {"reason": REASON}).status_code == 302
    decision = NotTpksDecision.objects.get()
    case_page = worker.get(reverse("cases:detail", args=[tpks_case.public_id])).content.decode()
    assert 'data-not-tpks="proposed"' in case_page

    head = login(personas.kepala)
    review = head.get(reverse("cases:review_list")).content.decode()
    assert 'data-review="not_tpks"' in review
    decide = reverse("cases:not_tpks", args=[tpks_case.public_id, decision.pk])
    assert head.post(decide, {"decision": "reject", "note": ""}).status_code == 200
    assert head.post(decide, {"decision": "approve", "note": ""}).status_code == 302
    case_page = head.get(reverse("cases:detail", args=[tpks_case.public_id])).content.decode()
    assert 'data-not-tpks="approved"' in case_page and 'data-tpks="tidak"' in case_page


def test_the_review_list_is_the_head_of_units(personas, login):
    assert login(personas.pendamping).get(reverse("cases:review_list")).status_code in (403, 404)


def test_a_decision_of_another_case_is_not_found(personas, login, tpks_case):
    other = register_case(personas.pendamping)
    decision = _propose(personas, tpks_case)
    head = login(personas.kepala)
    assert head.get(reverse("cases:not_tpks", args=[other.public_id, decision.pk])).status_code == 404
    assert head.get(reverse("cases:not_tpks", args=[other.public_id, "x'1"])).status_code == 404
