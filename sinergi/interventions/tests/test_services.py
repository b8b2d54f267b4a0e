"""The rules of services delivered, shelter, mediation, accompaniment, legal process, restitution."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson
from sinergi.cases.policies import CaseClosed
from sinergi.cases.record import person_update
from sinergi.interventions import services as s
from sinergi.interventions.models import Mediation, ServiceDelivery, ShelterStay

from .helpers import admit, assess, clock, denied, make_case, perpetrator_of, victim_of

TODAY = dt.date.today()


# --- the service register ----------------------------------------------------------------------


def test_a_service_is_recorded_audited_and_its_notes_encrypted(personas, case):
    assess(personas.pendamping, case)
    service = s.service_record(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        uptd_service="pendampingan",
        category="bantuan_hukum",
        status="diberikan",
        date=TODAY,
        provider_org=personas.orgs.partner,
        notes="Catatan rahasia korban",
    )
    event = AuditEvent.objects.get(action="service.record", object_id=service.public_id)
    assert event.details["status"] == "diberikan" and "rahasia" not in str(event.details)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM interventions_servicedelivery WHERE id = %s", [service.pk])
        assert "rahasia" not in cursor.fetchone()[0]
    assert ServiceDelivery.objects.get().notes == "Catatan rahasia korban"


def test_a_service_needs_a_kind_a_victim_of_the_case_and_a_past_date(personas, case):
    other = make_case(personas.pendamping)
    base = {"actor": personas.pendamping, "case": case, "status": "tidak_berlaku", "date": TODAY}
    with pytest.raises(ValidationError) as err:
        s.service_record(victim=victim_of(case), **base)
    assert "uptd_service" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        s.service_record(victim=victim_of(other), category="kesehatan", **base)
    assert "victim" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        s.service_record(victim=perpetrator_of(case), category="kesehatan", **base)
    assert "victim" in err.value.message_dict
    base["date"] = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        s.service_record(victim=victim_of(case), category="kesehatan", **base)
    assert "date" in err.value.message_dict


def test_services_wait_for_the_assessment_unless_emergency_of_a_high_risk_case(personas):
    high = make_case(personas.pendamping, risk="tinggi")
    args = {"actor": personas.pendamping, "category": "kesehatan", "status": "diberikan", "date": TODAY}
    with pytest.raises(ValidationError) as err:
        s.service_record(case=high, victim=victim_of(high), **args)
    assert "assessment" in str(err.value)
    assert denied("service.record", high).filter(details__refused="no_assessment").exists()
    service = s.service_record(case=high, victim=victim_of(high), emergency=True, **args)
    assert service.emergency

    medium = make_case(personas.pendamping, risk="sedang")
    with pytest.raises(ValidationError) as err:
        s.service_record(case=medium, victim=victim_of(medium), emergency=True, **args)
    assert "emergency" in err.value.message_dict
    assert denied("service.record", medium).filter(details__refused="emergency_not_high_risk").exists()
    # Facts (already received elsewhere) and intake services need no assessment.
    s.service_record(case=medium, victim=victim_of(medium), **{**args, "status": "sudah_diterima"})
    s.service_record(
        case=medium, victim=victim_of(medium), **{**args, "category": "", "uptd_service": "penjangkauan"}
    )
    assess(personas.pendamping, medium)
    s.service_record(case=medium, victim=victim_of(medium), **args)
    assert ServiceDelivery.objects.filter(case=medium).count() == 3


def test_delivered_outreach_stops_the_outreach_clock(personas):
    case = make_case(personas.pendamping, risk="tinggi", channel="telepon")
    assert clock(case, "outreach").status == "open"
    s.service_record(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        uptd_service="penjangkauan",
        status="diberikan",
        date=TODAY,
    )
    assert clock(case, "outreach").status == "met"


def test_outsiders_and_closed_cases_cannot_write(personas, case):
    args = {
        "case": case,
        "victim": victim_of(case),
        "category": "kesehatan",
        "status": "dirujuk",
        "date": TODAY,
    }
    for name in ("pendamping_lain", "orang_luar", "datin", "mitra"):
        with pytest.raises(PermissionDenied):
            s.service_record(actor=getattr(personas, name), emergency=True, **args)
    Case.objects.filter(pk=case.pk).update(status="ditutup")
    case.refresh_from_db()
    with pytest.raises(CaseClosed):
        s.service_record(actor=personas.pendamping, emergency=True, **args)


# --- mediation -----------------------------------------------------------------------------------


def start(personas, case, **extra):
    args = {"matter": "nafkah", "parties": list(case.persons.all())}
    args.update(extra)
    return s.mediation_start(actor=personas.pendamping, case=case, **args)


def test_mediation_is_refused_in_a_tpks_case_with_an_adult_perpetrator(personas):
    case = make_case(personas.pendamping, tpks=["perkosaan"])
    assess(personas.pendamping, case)
    with pytest.raises(ValidationError) as err:
        start(personas, case)
    assert "TPKS" in str(err.value)
    assert denied("mediation.start", case).filter(details__refused="tpks_case").exists()
    # A perpetrator of unknown age is not a child either.
    unknown = make_case(personas.pendamping, tpks=["pelecehan_fisik"], perpetrator_age=None)
    assess(personas.pendamping, unknown)
    with pytest.raises(ValidationError):
        start(personas, unknown)


def test_a_tpks_case_with_a_child_perpetrator_gets_diversion(personas):
    case = make_case(personas.pendamping, tpks=["pelecehan_fisik"], perpetrator_age=15)
    assess(personas.pendamping, case)
    with pytest.raises(ValidationError) as err:
        start(personas, case, parties=[victim_of(case)])
    assert "parties" in err.value.message_dict
    # UU SPPA Ps 7(2): the test is answered, and passed, before a diversi opens.
    with pytest.raises(ValidationError) as err:
        start(personas, case, matter="lainnya")
    assert set(err.value.message_dict) == {"sppa_penalty_under_7", "sppa_repeat_offence"}
    with pytest.raises(ValidationError) as err:
        start(personas, case, sppa_penalty_under_7=False, sppa_repeat_offence=False)
    assert "7(2)(a)" in str(err.value)
    assert denied("mediation.start", case).filter(details__refused="sppa_penalty").exists()
    with pytest.raises(ValidationError) as err:
        start(personas, case, sppa_penalty_under_7=True, sppa_repeat_offence=True)
    assert "7(2)(b)" in str(err.value)
    assert not Mediation.objects.filter(case=case).exists()
    mediation = start(personas, case, matter="lainnya", sppa_penalty_under_7=True, sppa_repeat_offence=False)
    assert mediation.kind == "diversi" and mediation.matter == "diversi"
    assert (mediation.sppa_penalty_under_7, mediation.sppa_repeat_offence) == (True, False)
    s.mediation_session_add(actor=personas.pendamping, mediation=mediation, held_on=TODAY, mediator="Bapas")


def test_diversion_waits_for_the_age_of_a_perpetrator_estimated_close_to_18(personas):
    case = make_case(personas.pendamping, tpks=["pelecehan_fisik"], perpetrator_age=17)
    perpetrator = perpetrator_of(case)
    person_update(
        actor=personas.pendamping, person=perpetrator, version=perpetrator.version, age_estimated=True
    )
    assess(personas.pendamping, case)
    answers = {"matter": "lainnya", "sppa_penalty_under_7": True, "sppa_repeat_offence": False}
    with pytest.raises(ValidationError) as err:
        start(personas, case, **answers)
    assert "Confirm the perpetrator's age" in str(err.value)
    assert denied("mediation.start", case).filter(details__refused="age_to_confirm").exists()
    perpetrator.refresh_from_db()
    person_update(
        actor=personas.pendamping, person=perpetrator, version=perpetrator.version, age_estimated=False
    )
    assert start(personas, case, **answers).kind == "diversi"


def test_mediation_needs_a_completed_assessment(personas):
    case = make_case(personas.pendamping, risk="sedang")
    with pytest.raises(ValidationError) as err:
        start(personas, case)
    assert "assessment" in str(err.value)
    assert denied("mediation.start", case).filter(details__refused="no_assessment").exists()
    assess(personas.pendamping, case)
    mediation = start(personas, case)
    assert mediation.kind == "mediasi" and mediation.parties.count() == 2 and mediation.assessment_ref


def test_an_agreement_needs_the_signatures_then_is_followed_up(personas):
    case = make_case(personas.pendamping, risk="sedang")
    assess(personas.pendamping, case)
    mediation = start(personas, case, matter="hak_asuh")
    s.mediation_session_add(
        actor=personas.pendamping, mediation=mediation, held_on=TODAY, mediator="Mediator UPTD"
    )
    with pytest.raises(ValidationError) as err:
        s.mediation_conclude(
            actor=personas.pendamping,
            mediation=mediation,
            status="sepakat",
            agreement_date=TODAY,
            terms="Hak asuh ibu",
        )
    assert "agreement_signed" in err.value.message_dict
    assert denied("mediation.conclude", case).filter(details__refused="agreement_not_signed").exists()
    with pytest.raises(ValidationError):
        s.mediation_follow_up(
            actor=personas.pendamping, mediation=mediation, checked_on=TODAY, compliance="dipatuhi"
        )
    s.mediation_conclude(
        actor=personas.pendamping,
        mediation=mediation,
        status="sepakat",
        agreement_signed=True,
        agreement_date=TODAY,
        terms="Hak asuh ibu",
    )
    follow_up = s.mediation_follow_up(
        actor=personas.pendamping, mediation=mediation, checked_on=TODAY, compliance="sebagian"
    )
    assert follow_up.compliance == "sebagian"
    with pytest.raises(ValidationError):
        s.mediation_session_add(actor=personas.pendamping, mediation=mediation, held_on=TODAY, mediator="X")


def test_a_case_that_becomes_tpks_stops_its_mediation(personas):
    case = make_case(personas.pendamping, risk="sedang")
    assess(personas.pendamping, case)
    mediation = start(personas, case)
    CasePerson.objects.filter(case=case, role="korban").update(tpks_offences=["pelecehan_fisik"])
    mediation.case.refresh_from_db()
    with pytest.raises(ValidationError):
        s.mediation_session_add(actor=personas.pendamping, mediation=mediation, held_on=TODAY, mediator="X")
    assert denied("mediation.session", case).filter(details__refused="tpks_case").exists()


# --- accompaniment -------------------------------------------------------------------------------


def accompany(personas, case, **extra):
    args = {
        "destination": "kepolisian",
        "visited_on": TODAY,
        "officer_type": "uptd_ppa",
        "officer": personas.pendamping,
        "emergency": True,
    }
    args.update(extra)
    return s.accompaniment_record(actor=personas.pendamping, case=case, victim=victim_of(case), **args)


def test_same_sex_is_computed_when_both_sexes_are_known(personas, case):
    assert accompany(personas, case, officer_sex="perempuan").same_sex is True
    visit = accompany(personas, case, officer_sex="laki_laki", same_sex_recorded=True)
    assert visit.same_sex is False and visit.same_sex_computed


def test_same_sex_is_recorded_when_a_sex_is_unknown(personas):
    case = make_case(personas.pendamping, victim_sex="")
    visit = accompany(personas, case, officer_sex="perempuan", same_sex_recorded=True)
    assert visit.same_sex is True and not visit.same_sex_computed
    assert accompany(personas, case).same_sex is None


def test_an_accompaniment_names_its_companion(personas, case):
    with pytest.raises(ValidationError) as err:
        accompany(personas, case, officer=None)
    assert "officer_name" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        accompany(personas, case, officer=personas.orang_luar)
    assert "officer" in err.value.message_dict
    visit = accompany(personas, case, officer=None, officer_name="Advokat LBH", officer_type="advokat")
    assert visit.companion == "Advokat LBH"


# --- legal process and restitution ---------------------------------------------------------------


def test_a_police_report_stops_the_tpks_clock(personas):
    case = make_case(personas.pendamping, tpks=["perkosaan"])
    assert clock(case, "tpks_police_report").status == "open"
    stage = s.legal_stage_record(
        actor=personas.pendamping,
        case=case,
        perpetrator=perpetrator_of(case),
        stage="laporan_polisi",
        occurred_at=timezone.now(),
        agency=personas.orgs.partner,
        reference="LP/B/12/2026",
    )
    assert stage.agency_label == str(personas.orgs.partner)
    assert clock(case, "tpks_police_report").status == "met"


def test_diversion_is_for_child_perpetrators_and_stages_for_perpetrators(personas, case):
    with pytest.raises(ValidationError) as err:
        s.legal_stage_record(
            actor=personas.pendamping,
            case=case,
            perpetrator=perpetrator_of(case),
            stage="diversi",
            occurred_at=timezone.now(),
        )
    assert "stage" in err.value.message_dict
    assert denied("legal_stage.record", case).filter(details__refused="diversion_adult").exists()
    with pytest.raises(ValidationError) as err:
        s.legal_stage_record(
            actor=personas.pendamping,
            case=case,
            perpetrator=victim_of(case),
            stage="penyidikan",
            occurred_at=timezone.now(),
        )
    assert "perpetrator" in err.value.message_dict
    child = make_case(personas.pendamping, perpetrator_age=16)
    s.legal_stage_record(
        actor=personas.pendamping,
        case=child,
        perpetrator=perpetrator_of(child),
        stage="diversi",
        occurred_at=timezone.now(),
    )


def test_restitution_moves_forward_only(personas, case):
    claim = s.restitution_file(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        perpetrator=perpetrator_of(case),
        forms=["biaya_medis_psikologis", "penderitaan"],
        filed_on=TODAY - dt.timedelta(days=10),
        amount_claimed=15_000_000,
    )
    with pytest.raises(ValidationError):
        s.restitution_file(
            actor=personas.pendamping, case=case, victim=victim_of(case), forms=[], filed_on=TODAY
        )
    with pytest.raises(ValidationError) as err:
        s.restitution_advance(actor=personas.pendamping, restitution=claim, stage="dibayar", date=TODAY)
    assert "stage" in err.value.message_dict
    s.restitution_advance(
        actor=personas.pendamping,
        restitution=claim,
        stage="diputus",
        date=TODAY - dt.timedelta(days=2),
        amount=10_000_000,
    )
    with pytest.raises(ValidationError):
        s.restitution_advance(actor=personas.pendamping, restitution=claim, stage="dinilai_lpsk", date=TODAY)
    claim = s.restitution_advance(
        actor=personas.pendamping,
        restitution=claim,
        stage="kompensasi_dana_bantuan_korban",
        date=TODAY,
        amount=10_000_000,
    )
    assert claim.stage == "kompensasi_dana_bantuan_korban" and claim.amount_awarded == 10_000_000
    assert list(claim.steps.values_list("stage", flat=True)) == [
        "diajukan",
        "diputus",
        "kompensasi_dana_bantuan_korban",
    ]


def test_deleting_a_case_takes_its_services_but_a_person_with_services_stays(personas, case, shelter):
    from django.db.models import RestrictedError

    admit(personas, case, shelter)
    with pytest.raises(RestrictedError):
        victim_of(case).delete()
    Case.objects.filter(pk=case.pk).delete()
    assert not ShelterStay.objects.exists() and not ServiceDelivery.objects.exists()
