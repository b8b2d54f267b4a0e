"""Shelter stays (admission, discharge, extension) and the shelters themselves."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases.record import person_add
from sinergi.deadlines.selectors import deadline_state
from sinergi.interventions import services as s
from sinergi.interventions.models import ServiceDelivery, ShelterBed, ShelterStay
from sinergi.interventions.selectors import stay_state

from .helpers import admit, assess, clock, denied, make_case, make_shelter, victim_of

TODAY = dt.date.today()


# --- shelter -------------------------------------------------------------------------------------


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


def test_a_bed_of_another_shelter_is_refused_by_the_service(personas):
    """The admission form shows it next to the bed; the rule is the service's (API, importer)."""
    case = make_case(personas.pendamping)
    assess(personas.pendamping, case)
    first = make_shelter(personas.orgs.unit, name="Rumah Aman Satu")
    other_bed = ShelterBed.objects.filter(
        room__shelter=make_shelter(personas.orgs.unit, name="Rumah Aman Dua")
    ).first()
    with pytest.raises(ValidationError) as info:
        s.shelter_admit(
            actor=personas.pendamping,
            case=case,
            victim=victim_of(case),
            criteria=["nyawa_terancam"],
            shelter=first,
            bed=other_bed,
        )
    assert list(info.value.message_dict) == ["bed"]
    assert not ShelterStay.objects.filter(case=case).exists()
