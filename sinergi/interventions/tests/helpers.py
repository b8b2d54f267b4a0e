"""Building blocks of the interventions tests: a case with persons, an assessment, a shelter."""

import datetime as dt

from sinergi.audit.models import AuditEvent
from sinergi.cases.workflow import assessment_save
from sinergi.deadlines.models import Deadline
from sinergi.interventions import services as s
from sinergi.interventions.models import Shelter, ShelterBed, ShelterRoom
from sinergi.testing.cases import classify, register_case

INCIDENT = dt.date.today() - dt.timedelta(days=3)


def make_case(actor, *, risk="tinggi", tpks=(), perpetrator_age=40, victim_sex="perempuan", **extra):
    case = register_case(
        actor,
        victims=[{"name": "Rina Korban", "sex": victim_sex, "age_years": 25}],
        perpetrators=[{"name": "Budi Pelaku", "sex": "laki_laki", "age_years": perpetrator_age}],
        **{"risk": risk, "incident_date": INCIDENT, **extra},
    )
    if tpks:
        case = classify(actor=actor, case=case, version=case.version, tpks_offences=list(tpks))
    return case


def victim_of(case):
    return case.persons.get(role="korban")


def perpetrator_of(case):
    return case.persons.get(role="pelaku")


def assess(actor, case):
    return assessment_save(
        actor=actor,
        case=case,
        victim=victim_of(case),
        complete=True,
        risk=case.risk or "sedang",
        safety="Aman.",
    )


def make_shelter(unit, *, name="Rumah Aman Uji", beds=2):
    shelter = Shelter.objects.create(unit=unit, name=name, address="Jl. Rahasia 1")
    room = ShelterRoom.objects.create(shelter=shelter, name="Kamar 1")
    for i in range(beds):
        ShelterBed.objects.create(room=room, label=f"B{i + 1}")
    return shelter


def denied(action, case):
    return AuditEvent.objects.filter(action=action, outcome="denied", case_id=case.public_id)


def clock(case, kind, subject=None):
    qs = Deadline.objects.filter(case=case, kind=kind)
    if subject is not None:
        qs = qs.filter(subject_id=subject.public_id)
    return qs.get()


def admit(personas, case, shelter, **extra):
    args = {"criteria": ["nyawa_terancam"], "emergency": True}
    args.update(extra)
    return s.shelter_admit(
        actor=personas.pendamping, case=case, victim=victim_of(case), shelter=shelter, **args
    )
