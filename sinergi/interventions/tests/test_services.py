"""The rules of services delivered, shelter, mediation, accompaniment, legal process, restitution."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case
from sinergi.cases.policies import CaseClosed
from sinergi.cases.record import person_add
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.selectors import deadline_state
from sinergi.interventions import services as s
from sinergi.interventions.models import ServiceDelivery, ShelterBed, ShelterStay
from sinergi.interventions.selectors import stay_state

from .helpers import assess, make_case, make_shelter, perpetrator_of, victim_of

TODAY = dt.date.today()


def denied(action, case):
    return AuditEvent.objects.filter(action=action, outcome="denied", case_id=case.public_id)


def clock(case, kind, subject=None):
    qs = Deadline.objects.filter(case=case, kind=kind)
    if subject is not None:
        qs = qs.filter(subject_id=subject.public_id)
    return qs.get()


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


# --- shelter -------------------------------------------------------------------------------------


def admit(personas, case, shelter, **extra):
    args = {"criteria": ["nyawa_terancam"], "emergency": True}
    args.update(extra)
    return s.shelter_admit(
        actor=personas.pendamping, case=case, victim=victim_of(case), shelter=shelter, **args
    )


def test_a_high_risk_victim_is_admitted_at_once_for_seven_days(personas, case, shelter):
    stay = admit(personas, case, shelter, criteria=["nyawa_terancam", "kdrt_suami"])
    assert stay.planned_until - stay.admitted_at == dt.timedelta(days=7)
    assert stay.criteria == ["nyawa_terancam", "kdrt_suami"] and stay.emergency
    deadline = clock(case, "shelter_stay", stay)
    assert deadline.status == "open" and deadline.due_at == stay.planned_until
    assert ServiceDelivery.objects.filter(case=case, uptd_service="penampungan", status="diberikan").exists()
    event = AuditEvent.objects.get(action="shelter_stay.admit", object_id=stay.public_id)
    assert event.case_id == case.public_id and event.details["criteria"] == ["nyawa_terancam", "kdrt_suami"]


def test_admission_needs_criteria_a_stay_of_one_to_seven_days_and_an_own_shelter(personas, case, shelter):
    with pytest.raises(ValidationError) as err:
        admit(personas, case, shelter, criteria=[])
    assert "criteria" in err.value.message_dict
    for days in (0, 8):
        with pytest.raises(ValidationError) as err:
            admit(personas, case, shelter, days=days)
        assert "days" in err.value.message_dict
    other = make_shelter(personas.orgs.other_unit, name="Rumah Aman Lain")
    with pytest.raises(ValidationError) as err:
        admit(personas, case, other)
    assert "shelter" in err.value.message_dict
    short = admit(personas, case, shelter, days=3)
    deadline = clock(case, "shelter_stay", short)
    assert deadline.due_at == deadline.original_due_at == short.admitted_at + dt.timedelta(days=3)
    # The clock's start is audited with the due time it really has.
    started = AuditEvent.objects.get(action="deadline.start", object_id=str(deadline.public_id))
    assert started.details["due_at"] == deadline.due_at.isoformat()


def test_each_victim_waits_for_their_own_assessment(personas):
    case = make_case(personas.pendamping, risk="sedang")
    first = victim_of(case)
    assess(personas.pendamping, case)  # the first victim's assessment only
    sister = person_add(
        actor=personas.pendamping, case=case, role="korban", name="Sari Korban", sex="perempuan"
    )
    args = {"actor": personas.pendamping, "case": case, "category": "kesehatan", "status": "diberikan"}
    assert s.service_record(victim=first, date=TODAY, **args).pk
    with pytest.raises(ValidationError) as err:
        s.service_record(victim=sister, date=TODAY, **args)
    assert "assessment" in str(err.value)


def test_a_non_emergency_admission_waits_for_the_assessment(personas, case, shelter):
    with pytest.raises(ValidationError):
        admit(personas, case, shelter, emergency=False)
    assert denied("shelter_stay.admit", case).filter(details__refused="no_assessment").exists()
    assess(personas.pendamping, case)
    assert admit(personas, case, shelter, emergency=False).pk


def test_a_full_shelter_is_refused_and_the_refusal_audited(personas, shelter):
    cases = [make_case(personas.pendamping) for _ in range(3)]
    admit(personas, cases[0], shelter)
    admit(personas, cases[1], shelter)
    with pytest.raises(ValidationError) as err:
        admit(personas, cases[2], shelter)
    assert "full" in err.value.message_dict["shelter"][0]
    assert denied("shelter_stay.admit", cases[2]).filter(details__refused="shelter_full").exists()
    assert not ShelterStay.objects.filter(case=cases[2]).exists()
    assert not ServiceDelivery.objects.filter(case=cases[2]).exists()


def test_a_taken_bed_is_refused_and_a_bed_out_of_use_is_not_offered(personas, shelter):
    first, second = make_case(personas.pendamping), make_case(personas.pendamping)
    bed = ShelterBed.objects.filter(room__shelter=shelter).order_by("label").first()
    s.shelter_admit(
        actor=personas.pendamping,
        case=first,
        victim=victim_of(first),
        bed=bed,
        criteria=["sindikat"],
        emergency=True,
    )
    with pytest.raises(ValidationError) as err:
        s.shelter_admit(
            actor=personas.pendamping,
            case=second,
            victim=victim_of(second),
            bed=bed,
            criteria=["sindikat"],
            emergency=True,
        )
    assert "bed" in err.value.message_dict
    assert denied("shelter_stay.admit", second).filter(details__refused="bed_taken").exists()
    ShelterBed.objects.filter(room__shelter=shelter).exclude(pk=bed.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        admit(personas, second, shelter)


def test_a_victim_stays_in_one_bed_at_a_time(personas, case, shelter):
    admit(personas, case, shelter)
    with pytest.raises(ValidationError) as err:
        admit(personas, case, shelter)
    assert "victim" in err.value.message_dict


def test_discharge_before_admission_is_refused_and_audited(personas, case, shelter):
    stay = admit(personas, case, shelter, admitted_at=timezone.now() - dt.timedelta(hours=5))
    with pytest.raises(ValidationError) as err:
        s.shelter_discharge(
            actor=personas.pendamping, stay=stay, discharged_at=stay.admitted_at - dt.timedelta(hours=1)
        )
    assert "before the admission" in err.value.message_dict["discharged_at"][0]
    assert (
        denied("shelter_stay.discharge", case).filter(details__refused="discharge_before_admission").exists()
    )
    stay.refresh_from_db()
    assert stay.discharged_at is None


def test_discharge_frees_the_bed_and_stops_the_clock(personas, case, shelter):
    stay = admit(personas, case, shelter, admitted_at=timezone.now() - dt.timedelta(days=2))
    s.shelter_discharge(actor=personas.pendamping, stay=stay, notes="Pulang ke keluarga")
    stay.refresh_from_db()
    assert stay.discharged_at and stay.discharged_by == personas.pendamping
    assert clock(case, "shelter_stay", stay).status == "met"
    with pytest.raises(ValidationError):
        s.shelter_discharge(actor=personas.pendamping, stay=stay)
    assert denied("shelter_stay.discharge", case).filter(details__refused="already_discharged").exists()
    # The bed is free again: another victim takes it.
    other = make_case(personas.pendamping)
    again = s.shelter_admit(
        actor=personas.pendamping,
        case=other,
        victim=victim_of(other),
        bed=stay.bed,
        criteria=["saksi_korban"],
        emergency=True,
    )
    assert again.bed == stay.bed


def test_an_extension_without_a_reason_is_refused_and_audited(personas, case, shelter):
    stay = admit(personas, case, shelter)
    until = stay.planned_until + dt.timedelta(days=3)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as err:
            s.shelter_extend(actor=personas.pendamping, stay=stay, until=until, reason=reason)
        assert "reason" in err.value.message_dict
    assert denied("shelter_stay.extend", case).filter(details__refused="no_reason").count() == 2
    stay.refresh_from_db()
    assert stay.planned_until == until - dt.timedelta(days=3) and not stay.extensions.exists()


def test_an_extension_with_a_reason_moves_the_end_and_the_clock(personas, case, shelter):
    stay = admit(personas, case, shelter)
    until = stay.planned_until + dt.timedelta(days=5)
    extension = s.shelter_extend(
        actor=personas.pendamping, stay=stay, until=until, reason="Pelaku masih mencari korban"
    )
    stay.refresh_from_db()
    assert stay.planned_until == until and extension.reason == "Pelaku masih mencari korban"
    deadline = clock(case, "shelter_stay", stay)
    assert deadline.due_at == until and deadline.extensions.count() == 1
    with pytest.raises(ValidationError) as err:
        s.shelter_extend(
            actor=personas.pendamping, stay=stay, until=until + dt.timedelta(days=8), reason="Lama"
        )
    assert "until" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        s.shelter_extend(actor=personas.pendamping, stay=stay, until=until, reason="Sama")
    assert "until" in err.value.message_dict
    s.shelter_extend(actor=personas.pendamping, stay=stay, until=until + dt.timedelta(days=1), reason="Sakit")
    assert stay.extensions.count() == 2 and clock(case, "shelter_stay", stay).extensions.count() == 2


def test_the_seven_day_limit_makes_a_stay_overdue(personas, case, shelter):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stay = admit(personas, case, shelter)
    deadline = clock(case, "shelter_stay", stay)
    with time_machine.travel(start + dt.timedelta(days=6, hours=12), tick=False):
        assert stay_state(stay) == "ending"
        assert deadline_state(deadline) in {"due_soon", "on_time"}
    with time_machine.travel(start + dt.timedelta(days=7, minutes=1), tick=False):
        assert stay_state(stay) == "overdue"
        assert deadline_state(deadline) == "overdue"
        s.shelter_discharge(actor=personas.pendamping, stay=stay)
    assert clock(case, "shelter_stay", stay).status == "met_late"


# --- shelters themselves -------------------------------------------------------------------------


def test_only_the_kepala_manages_the_units_shelters(personas):
    with pytest.raises(PermissionDenied):
        s.shelter_create(actor=personas.pendamping, name="Rumah Aman")
    shelter = s.shelter_create(
        actor=personas.kepala, name="Rumah Aman", address="Rahasia", rooms=[("K1", ["A", "B"])]
    )
    assert (
        shelter.unit == personas.orgs.unit and ShelterBed.objects.filter(room__shelter=shelter).count() == 2
    )
    with pytest.raises(ValidationError):
        s.shelter_create(actor=personas.kepala, name="Rumah Aman")
    with pytest.raises(PermissionDenied):
        s.shelter_bed_add(actor=personas.kepala_luar, shelter=shelter, room_name="K1", label="C")
    bed = s.shelter_bed_add(actor=personas.kepala, shelter=shelter, room_name="K2", label="A")
    s.shelter_bed_set_active(actor=personas.kepala, bed=bed, is_active=False)
    assert AuditEvent.objects.filter(object_type="shelter", object_id=shelter.public_id).count() == 3


def test_an_occupied_bed_or_shelter_cannot_be_taken_out_of_use(personas, case, shelter):
    stay = admit(personas, case, shelter)
    with pytest.raises(ValidationError):
        s.shelter_bed_set_active(actor=personas.kepala, bed=stay.bed, is_active=False)
    with pytest.raises(ValidationError):
        s.shelter_update(actor=personas.kepala, shelter=shelter, name=shelter.name, is_active=False)


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
    mediation = start(personas, case, matter="lainnya")
    assert mediation.kind == "diversi" and mediation.matter == "diversi"
    s.mediation_session_add(actor=personas.pendamping, mediation=mediation, held_on=TODAY, mediator="Bapas")


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
    Case.objects.filter(pk=case.pk).update(tpks_offences=["pelecehan_fisik"])
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
