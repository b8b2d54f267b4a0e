"""The rules of registration live in the service: the intake form, the importer and the API get
the same answers (the form only shows them next to its fields)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case
from sinergi.core.errors import Refusal
from sinergi.testing.cases import register_case as register

VICTIM = {"name": "Siti Aminah", "sex": "perempuan", "age_years": 30}


pytestmark = pytest.mark.usefixtures("english")


def refused(personas, **extra):
    before = Case.objects.count()
    with pytest.raises(Refusal) as info:
        register(personas.petugas, **extra)
    assert Case.objects.count() == before  # nothing half-saved
    return info.value.message_dict


def test_a_sapa129_report_keeps_its_ticket(personas):
    assert refused(personas, channel="sapa129") == {"sapa_ticket": ["Enter the SAPA 129 ticket number."]}
    assert refused(personas, channel="sapa129", sapa_ticket="   ")
    case = register(personas.petugas, channel="sapa129", sapa_ticket="SAPA-2026-0042")
    assert case.sapa_ticket == "SAPA-2026-0042"


def test_an_anonymous_reporter_leaves_no_name_or_phone(personas):
    errors = refused(personas, reporter={"is_anonymous": True, "phone": "081234567890"})
    assert errors == {"reporter.name": ["An anonymous reporter has no name or phone; clear them."]}
    case = register(personas.petugas, reporter={"is_anonymous": True, "reporter_kind": "anonim"})
    assert case.persons.get(role="pelapor").is_anonymous


def test_an_age_is_given_one_way(personas):
    both = {**VICTIM, "birth_date": dt.date(1996, 5, 1)}
    assert refused(personas, victims=[VICTIM, both]) == {
        "victims.1.age_years": ["Enter either the date of birth or the age, not both."]
    }


def test_a_perpetrator_is_named_or_unknown(personas):
    errors = refused(personas, perpetrators=[{"name": "  "}])
    assert errors == {"perpetrators.0.name": ["Enter the name or tick 'identity unknown'."]}
    case = register(personas.petugas, perpetrators=[{"is_unknown": True}])
    assert case.persons.get(role="pelaku").is_unknown


def test_every_problem_is_reported_at_once(personas):
    errors = refused(
        personas,
        channel="sapa129",
        perpetrators=[{}],
        reporter={"is_anonymous": True, "name": "Pak RT"},
    )
    assert set(errors) == {"sapa_ticket", "perpetrators.0.name", "reporter.name"}
    assert not AuditEvent.objects.filter(action="case.register").exists()


def test_a_victim_born_after_the_incident_is_a_child_not_an_error(personas):
    """DOMAIN.md §4: unborn at the time (UU 35/2014 Ps 1 angka 1 counts the unborn as children)."""
    case = register(
        personas.petugas,
        incident_date=dt.date(2020, 3, 1),
        victims=[{"name": "Bayi", "sex": "perempuan", "birth_date": dt.date(2020, 9, 1)}],
    )
    victim = case.persons.get(role="korban")
    assert victim.age_at_incident == 0 and victim.is_child


def test_moving_the_incident_before_a_birth_date_is_no_error_either(personas):
    from sinergi.cases.record import case_update_incident

    case = register(
        personas.petugas, victims=[{"name": "Anak", "sex": "laki_laki", "birth_date": dt.date(2019, 5, 1)}]
    )
    case = case_update_incident(
        actor=personas.petugas, case=case, version=case.version, incident_date=dt.date(2018, 1, 1)
    )
    assert case.persons.get(role="korban").is_child


def test_a_woman_abused_as_a_child_consents_for_herself_today(personas):
    """Consent goes by the age on the day of consent (UU PDP Ps 25), the classification by the age
    at the incident: abused at 10, 25 today."""
    from sinergi.cases.record import consent_record

    today = dt.date.today()
    born = dt.date(today.year - 25, 1, 1)
    case = register(
        personas.pendamping,
        incident_date=dt.date(born.year + 10, 6, 1),
        victims=[{"name": "Dewi", "sex": "perempuan", "birth_date": born}],
    )
    victim = case.persons.get(role="korban")
    assert victim.is_child  # at the incident
    consent = consent_record(actor=personas.pendamping, case=case, victim=victim, purpose="layanan")
    assert consent.given_by == "korban"


def test_a_child_today_still_needs_a_guardian(personas):
    from sinergi.cases.record import consent_record

    case = register(personas.pendamping, victims=[{"name": "Rina", "sex": "perempuan", "age_years": 12}])
    victim = case.persons.get(role="korban")
    with pytest.raises(ValidationError) as info:
        consent_record(actor=personas.pendamping, case=case, victim=victim, purpose="layanan")
    assert "given_by" in info.value.message_dict
