"""Protection measures, breaches and safety plans (issue 16 items 1–2): every clock's start,
warning and stop, the breach → high-risk rule, the term limits and the safety-plan gate."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow
from sinergi.cases.models import Case, ProtectionMeasure, SafetyPlan
from sinergi.cases.workflow import protection as prot
from sinergi.deadlines.choices import DeadlineState
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.selectors import deadline_state
from sinergi.notifications.models import Notification
from sinergi.testing.cases import classify, register_case

from .helpers import assess, denied, fresh, victim_of

H = dt.timedelta(hours=1)


def clock(case, kind):
    return Deadline.objects.filter(case=case, kind=kind).order_by("-id").first()


@pytest.fixture
def tpks_case(personas):
    """A high-risk case of sexual violence (TPKS), reported two hours ago, led by the pendamping."""
    case = register_case(personas.petugas, risk="tinggi", reported_at=timezone.now() - 2 * H)
    workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
    return classify(actor=personas.pendamping, case=fresh(case), tpks_offences=["pelecehan_fisik"])


def police(personas, case, **fields):
    data = {
        "kind": "polisi_tpks",
        "status": "diberikan",
        "requested_at": timezone.now() - H,
        "issuer_name": "Polres Payakumbuh",
        "given_on": timezone.localdate(),
        "until": timezone.localdate() + dt.timedelta(days=14),
        **fields,
    }
    return prot.protection_save(actor=personas.pendamping, case=case, victim=victim_of(case), **data)


def plan(personas, case, **fields):
    data = {
        "risks": "Pelaku tinggal di dekat rumah.",
        "review_on": timezone.localdate() + dt.timedelta(days=14),
        "actions": [{"what": "Simpan nomor pendamping", "who": "Korban", "when": "Hari ini"}],
        **fields,
    }
    return prot.safety_plan_save(actor=personas.pendamping, case=case, victim=victim_of(case), **data)


class TestAskThePoliceClock:
    def test_a_high_risk_tpks_victim_starts_it_from_her_report_for_24_hours(self, tpks_case):
        ask = clock(tpks_case, "protection_request")
        assert ask.status == "open"
        assert ask.subject_id == victim_of(tpks_case).public_id
        assert ask.due_at == tpks_case.reported_at + 24 * H

    def test_a_medium_risk_or_non_tpks_case_does_not_need_it(self, personas):
        medium = register_case(personas.petugas, risk="sedang")
        classify(actor=personas.petugas, case=medium, tpks_offences=["pelecehan_fisik"])
        assert clock(medium, "protection_request") is None
        high_not_tpks = register_case(personas.petugas, risk="tinggi")
        assert clock(high_not_tpks, "protection_request") is None

    def test_it_starts_when_a_review_raises_the_risk_and_is_cancelled_when_it_falls(self, personas):
        case = register_case(personas.petugas, risk="sedang", reported_at=timezone.now() - H)
        workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
        case = classify(actor=personas.pendamping, case=fresh(case), tpks_offences=["pelecehan_fisik"])
        assert clock(case, "protection_request") is None
        assess(personas, fresh(case), risk="tinggi")  # a completed assessment re-evaluates the risk
        assert fresh(case).risk == "tinggi"
        assert clock(case, "protection_request").status == "open"
        assess(personas, fresh(case), risk="rendah")
        assert clock(case, "protection_request").status == "cancelled"

    def test_asking_the_police_stops_it_at_the_time_asked(self, personas, tpks_case):
        asked = timezone.now() - H
        police(personas, tpks_case, status="diminta", requested_at=asked, given_on=None, until=None)
        ask = clock(tpks_case, "protection_request")
        assert ask.status == "met" and ask.stopped_at == asked
        assert clock(tpks_case, "protection_end") is None  # nothing given yet

    def test_asked_late_is_met_late(self, personas, tpks_case):
        Deadline.objects.filter(case=tpks_case, kind="protection_request").update(
            due_at=timezone.now() - 2 * H
        )
        police(personas, tpks_case, status="diminta", given_on=None, until=None)
        assert clock(tpks_case, "protection_request").status == "met_late"


class TestProtectionEndsClock:
    def test_a_given_protection_runs_to_the_end_of_its_last_day_and_warns_two_days_before(
        self, personas, tpks_case
    ):
        measure = police(personas, tpks_case)
        end = clock(tpks_case, "protection_end")
        assert end.subject_id == measure.public_id
        last_day = timezone.localdate() + dt.timedelta(days=14)
        assert timezone.localtime(end.due_at).date() == last_day + dt.timedelta(days=1)
        assert timezone.localtime(end.due_at).time() == dt.time.min
        assert end.due_at - end.warn_at == dt.timedelta(days=2)
        now = timezone.now()
        assert deadline_state(end, now + dt.timedelta(days=12)) == DeadlineState.ON_TIME
        with time_machine.travel(now + dt.timedelta(days=13, hours=1), tick=False):
            assert deadline_state(end, timezone.now()) == DeadlineState.DUE_SOON
        assert deadline_state(end, end.due_at + H) == DeadlineState.OVERDUE

    def test_recording_its_end_stops_it(self, personas, tpks_case):
        measure = police(personas, tpks_case)
        prot.protection_end(
            actor=personas.pendamping, case=fresh(tpks_case), measure=measure, ended_on=timezone.localdate()
        )
        assert clock(tpks_case, "protection_end").status == "met"
        assert ProtectionMeasure.objects.get(pk=measure.pk).status == "berakhir"

    def test_a_new_until_moves_the_clock(self, personas, tpks_case):
        measure = police(personas, tpks_case, until=timezone.localdate() + dt.timedelta(days=7))
        first = clock(tpks_case, "protection_end")
        police_again = {
            "kind": "polisi_tpks",
            "status": "diberikan",
            "requested_at": measure.requested_at,
            "given_on": measure.given_on,
            "until": timezone.localdate() + dt.timedelta(days=10),
        }
        prot.protection_save(
            actor=personas.pendamping,
            case=fresh(tpks_case),
            victim=victim_of(tpks_case),
            measure=measure,
            **police_again,
        )
        first.refresh_from_db()
        assert first.status == "cancelled"
        assert clock(tpks_case, "protection_end").status == "open"
        assert clock(tpks_case, "protection_end").pk != first.pk


class TestBadInput:
    def test_until_before_given_is_refused_audited_and_nothing_saved(self, personas, tpks_case):
        with pytest.raises(ValidationError, match="cannot be before"):
            police(personas, tpks_case, until=timezone.localdate() - dt.timedelta(days=1))
        assert not ProtectionMeasure.objects.exists()
        assert denied("protection.record", "until_before_given")
        assert clock(tpks_case, "protection_request").status == "open"

    def test_more_than_14_days_of_tpks_police_protection_needs_a_court_order(self, personas, tpks_case):
        with pytest.raises(ValidationError, match="at most 14 days"):
            police(personas, tpks_case, until=timezone.localdate() + dt.timedelta(days=15))
        assert denied("protection.record", "term_too_long")
        court = police(
            personas,
            tpks_case,
            kind="perintah_pengadilan",
            until=timezone.localdate() + dt.timedelta(days=180),
        )
        assert court.kind == "perintah_pengadilan"

    def test_pkdrt_police_protection_is_at_most_7_days(self, personas, tpks_case):
        with pytest.raises(ValidationError, match="at most 7 days"):
            police(
                personas, tpks_case, kind="polisi_pkdrt", until=timezone.localdate() + dt.timedelta(days=8)
            )

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"given_on": None}, "given_on"),
            ({"until": None}, "until"),
            ({"requested_at": timezone.now() + dt.timedelta(days=2)}, "requested_at"),
            ({"status": "ditolak", "given_on": None, "until": None}, "decided_on"),
            ({"kind": "bogus"}, "kind"),
        ],
    )
    def test_missing_or_impossible_values_name_their_field(self, personas, tpks_case, fields, field):
        with pytest.raises(ValidationError) as caught:
            police(personas, tpks_case, **fields)
        assert field in caught.value.message_dict
        assert not ProtectionMeasure.objects.exists()

    def test_a_person_who_is_not_a_victim_of_the_case_is_refused(self, personas, tpks_case):
        other = register_case(personas.petugas)
        with pytest.raises(ValidationError, match="victim of this case"):
            prot.protection_save(
                actor=personas.pendamping,
                case=tpks_case,
                victim=victim_of(other),
                kind="lpsk",
                status="diminta",
                requested_at=timezone.now(),
            )

    def test_a_safety_plan_without_actions_is_refused_and_audited(self, personas, tpks_case):
        with pytest.raises(ValidationError, match="at least one action"):
            plan(personas, tpks_case, actions=[{"what": "", "who": "", "when": ""}])
        assert denied("safety_plan.save", "no_actions")
        assert not SafetyPlan.objects.exists()

    def test_a_half_written_action_is_refused(self, personas, tpks_case):
        with pytest.raises(ValidationError, match="by whom and when"):
            plan(personas, tpks_case, actions=[{"what": "Lapor", "who": "", "when": ""}])


class TestBreach:
    def test_a_breach_makes_the_case_high_risk_at_once_and_alerts_the_lead_and_the_kepala(self, personas):
        case = register_case(personas.petugas, risk="rendah", reported_at=timezone.now() - 3 * H)
        workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
        case = classify(actor=personas.pendamping, case=fresh(case), tpks_offences=["pelecehan_fisik"])
        first = clock(case, "first_response")
        assert first.due_at == case.reported_at + 24 * H
        measure = prot.protection_save(
            actor=personas.pendamping,
            case=fresh(case),
            victim=victim_of(case),
            kind="polisi_pkdrt",
            status="diberikan",
            requested_at=timezone.now() - 2 * H,
            given_on=timezone.localdate(),
            until=timezone.localdate() + dt.timedelta(days=7),
        )
        prot.protection_breach_record(
            actor=personas.pendamping,
            case=fresh(case),
            victim=victim_of(case),
            measure=measure,
            occurred_at=timezone.now() - H,
            description="Pelaku datang ke rumah.",
            reported_to_police=True,
        )
        case = fresh(case)
        assert case.risk == "tinggi"
        event = AuditEvent.objects.get(action="case.risk", case_id=case.public_id)
        assert event.details == {"source": "protection_breach"}
        assert event.changes == {"risk": ["rendah", "tinggi"]}
        # The clocks take the high-risk durations: the first response is now due an hour after the report.
        assert clock(case, "first_response").due_at == case.reported_at + H
        alerted = set(
            Notification.objects.filter(kind="protection_breach").values_list("recipient", flat=True)
        )
        assert alerted == {personas.pendamping.pk, personas.kepala.pk}
        assert all(
            case.pseudonym in n.message or case.registration_number in n.message
            for n in Notification.objects.filter(kind="protection_breach")
        )

    def test_a_breach_in_the_future_or_without_a_story_is_refused(self, personas, tpks_case):
        for when, text in ((timezone.now() + dt.timedelta(days=1), "x"), (timezone.now(), " ")):
            with pytest.raises(ValidationError):
                prot.protection_breach_record(
                    actor=personas.pendamping,
                    case=tpks_case,
                    victim=victim_of(tpks_case),
                    occurred_at=when,
                    description=text,
                )


class TestSafetyPlan:
    def test_it_is_encrypted_and_its_review_date_is_a_clock(self, personas, tpks_case):
        saved = plan(personas, tpks_case, code_word="Mangga")
        assert SafetyPlan.objects.get(pk=saved.pk).code_word == "Mangga"
        raw = SafetyPlan.objects.filter(pk=saved.pk).values_list("code_word", flat=True)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT code_word, risks FROM cases_safetyplan WHERE id = %s", [saved.pk])
            stored = cursor.fetchone()
        assert "Mangga" not in stored[0] and "Pelaku" not in stored[1]
        assert list(raw)
        review = clock(tpks_case, "safety_plan_review")
        assert timezone.localtime(review.due_at).date() == timezone.localdate() + dt.timedelta(days=15)
        plan(personas, fresh(tpks_case), review_on=timezone.localdate() + dt.timedelta(days=30))
        review.refresh_from_db()
        assert review.status == "met"
        assert clock(tpks_case, "safety_plan_review").status == "open"
        assert SafetyPlan.objects.count() == 1

    def test_a_review_date_more_than_three_months_ahead_is_refused(self, personas, tpks_case):
        with pytest.raises(ValidationError, match="three months"):
            plan(personas, tpks_case, review_on=timezone.localdate() + dt.timedelta(days=120))

    def test_a_high_risk_victim_without_one_holds_the_case_before_the_plan_step(self, personas, tpks_case):
        assess(personas, tpks_case, plan_safety=False)  # completed: would carry the case to its plan
        case = fresh(tpks_case)
        assert case.step == "asesmen"
        with pytest.raises(ValidationError, match="safety plan"):
            workflow.case_move(actor=personas.pendamping, case=case, to_step="rencana")
        assert denied("case.move", "safety_plan_missing")
        plan(personas, case)
        moved = workflow.case_move(actor=personas.pendamping, case=fresh(case), to_step="rencana")
        assert moved.step == "rencana"

    def test_a_case_that_is_not_high_risk_needs_none(self, personas):
        case = register_case(personas.petugas, risk="sedang")
        workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
        assess(personas, fresh(case), risk="sedang")
        assert Case.objects.get(pk=case.pk).step == "rencana"


class TestPages:
    def test_the_survivors_copy_has_no_name_unless_asked_and_each_print_is_audited(
        self, personas, login, tpks_case
    ):
        plan(personas, tpks_case, code_word="Mangga")
        victim = victim_of(tpks_case)
        client = login(personas.pendamping)
        url = f"/kasus/{tpks_case.public_id}/rencana-keselamatan/{victim.public_id}/cetak/"
        page = client.get(url).content.decode()
        assert "Rencana keselamatan saya" in page and "Mangga" in page
        assert victim.name not in page and tpks_case.pseudonym not in page
        assert tpks_case.registration_number not in page
        named = client.get(url + "?nama=1").content.decode()
        assert victim.name in named
        prints = AuditEvent.objects.filter(action="safety_plan.print").order_by("id")
        assert [e.details["with_name"] for e in prints] == [False, True]

    def test_a_print_for_a_victim_of_another_case_is_an_audited_404(self, personas, login, tpks_case):
        plan(personas, tpks_case)
        other = register_case(personas.petugas)
        client = login(personas.pendamping)
        url = f"/kasus/{tpks_case.public_id}/rencana-keselamatan/{victim_of(other).public_id}/cetak/"
        assert client.get(url).status_code == 404
        assert AuditEvent.objects.filter(
            action="case.view", outcome="denied", case_id=tpks_case.public_id
        ).exists()

    def test_a_bad_form_shows_its_errors_and_saves_nothing(self, personas, login, tpks_case):
        client = login(personas.pendamping)
        url = f"/kasus/{tpks_case.public_id}/perlindungan/{victim_of(tpks_case).public_id}/baru/"
        response = client.post(
            url,
            {
                "kind": "polisi_tpks",
                "status": "diberikan",
                "requested_at": "2026-01-01T10:00",
                "given_on": "2026-01-02",
                "until": "2026-01-01",
            },
        )
        assert response.status_code == 200
        assert not ProtectionMeasure.objects.exists()
        garbage = client.post(url, {"kind": "x" * 5000, "requested_at": "nonsense", "until": "2026-99-99"})
        assert garbage.status_code == 200
