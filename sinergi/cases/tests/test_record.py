import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson
from sinergi.cases.record import (
    StaleEdit,
    case_flags,
    case_update_incident,
    consent_record,
    person_add,
    person_match_candidates,
    person_update,
)
from sinergi.testing.cases import classify
from sinergi.testing.cases import register_case as register

TODAY = dt.date.today()


def test_registration_numbers_count_per_unit_and_year(personas):
    first, second = register(personas.petugas), register(personas.petugas)
    year = first.reported_at.year
    assert first.registration_number == f"PPA-1376-{year}-0001"
    assert second.registration_number == f"PPA-1376-{year}-0002"
    other = register(personas.orang_luar.__class__.objects.get(username="kepala_luar"))
    assert other.registration_number.endswith("-0001")


def test_the_registrar_joins_the_team_and_the_event_is_audited(personas):
    case = register(personas.petugas)
    assert case.assignments.filter(user=personas.petugas, active=True).exists()
    event = AuditEvent.objects.get(action="case.register", case_id=case.public_id)
    assert "Siti" not in str(event.details)


def test_roles_without_register_are_refused(personas):
    for name in ["psikolog", "datin", "mitra", "admin"]:
        with pytest.raises(PermissionDenied):
            register(getattr(personas, name))


def test_a_victim_is_required_and_dates_are_checked(personas):
    with pytest.raises(ValidationError) as err:
        register(personas.petugas, victims=[])
    assert "victims" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        register(personas.petugas, incident_date=TODAY + dt.timedelta(days=2))
    assert "incident_date" in err.value.message_dict
    assert not Case.objects.exists()


def test_child_is_computed_at_the_incident_date(personas):
    case = register(
        personas.petugas,
        incident_date=dt.date(2025, 1, 10),
        victims=[{"name": "Anak", "sex": "perempuan", "birth_date": dt.date(2007, 6, 1)}],
    )
    victim = case.persons.get()
    assert victim.age_at_incident == 17 and victim.is_child and victim.age_band == "13-17"
    case = case_update_incident(
        actor=personas.petugas, case=case, version=case.version, incident_date=dt.date(2025, 7, 1)
    )
    victim.refresh_from_db()
    assert victim.age_at_incident == 18 and victim.is_child is False and victim.age_band == "18-24"


def test_nik_is_validated(personas):
    with pytest.raises(ValidationError) as err:
        register(personas.petugas, victims=[{"name": "X", "nik": "137601450710000"}])  # 15 digits
    assert "nik" in err.value.message_dict
    with pytest.raises(ValidationError):
        register(personas.petugas, victims=[{"name": "X", "nik": "9976014507100003"}])  # no such province
    case = register(
        personas.petugas, victims=[{"name": "X", "nik": "1376 0145 0710 0003", "sex": "perempuan"}]
    )
    assert case.persons.get().nik == "1376014507100003"


def test_stale_edit_is_refused(personas):
    case = register(personas.petugas)
    case_update_incident(actor=personas.petugas, case=case, version=case.version, place_type="rumah_tangga")
    with pytest.raises(StaleEdit) as err:
        case_update_incident(actor=personas.petugas, case=case, version=1, place_type="sekolah")
    assert err.value.current.place_type == "rumah_tangga"


def test_flags_tpks_child_and_mediation(personas):
    case = register(
        personas.petugas,
        victims=[{"name": "Anak", "sex": "perempuan", "age_years": 12}],
        perpetrators=[{"name": "Ayah", "sex": "laki_laki", "age_years": 40, "relationships": ["orang_tua"]}],
    )
    case = classify(
        actor=personas.petugas,
        case=case,
        version=case.version,
        tpks_offences=["perkosaan"],
        pkdrt_types=["seksual"],
    )
    flags = case_flags(case)
    assert flags["child_victim"] and flags["tpks_case"] and not flags["mediation_allowed"]
    assert flags["ampk_missing"]


def test_tppo_indication(personas):
    case = register(personas.petugas, victims=[{"name": "Anak", "sex": "perempuan", "age_years": 15}])
    case = classify(
        actor=personas.petugas,
        case=case,
        version=case.version,
        tppo_processes=["perekrutan"],
        tppo_purposes=["kerja_paksa"],
    )
    assert case_flags(case)["tppo_indicated"]  # a child: no means needed


def test_unknown_codes_are_refused(personas):
    case = register(personas.petugas)
    with pytest.raises(ValidationError) as err:
        classify(actor=personas.petugas, case=case, version=case.version, tpks_offences=["terbang"])
    assert "tpks_offences" in err.value.message_dict


def test_gbvims_type_is_derived_from_the_questions(personas):
    from sinergi.cases import rules

    case = register(personas.petugas)
    keys = rules.GBVIMS_KEYS
    answers = {"gbv": True, keys[0]: False, keys[1]: False, keys[2]: True}
    case = classify(actor=personas.petugas, case=case, version=case.version, gbvims_answers=answers)
    assert case.persons.get(role="korban").gbvims_type == "physical_assault"


def test_guardian_who_is_a_perpetrator_cannot_consent(personas):
    case = register(
        personas.petugas,
        victims=[{"name": "Anak", "sex": "perempuan", "age_years": 10}],
        perpetrators=[{"name": "Ayah", "sex": "laki_laki", "age_years": 40, "relationships": ["orang_tua"]}],
    )
    child = case.persons.get(role="korban")
    father = case.persons.get(role="pelaku")
    with pytest.raises(ValidationError) as err:
        consent_record(
            actor=personas.petugas,
            case=case,
            victim=child,
            purpose="layanan",
            given_by="wali",
            guardian=father,
        )
    assert "guardian" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        consent_record(actor=personas.petugas, case=case, victim=child, purpose="layanan", given_by="korban")
    assert "given_by" in err.value.message_dict
    mother = person_add(actor=personas.petugas, case=case, role="pelapor", name="Ibu", sex="perempuan")
    consent = consent_record(
        actor=personas.petugas,
        case=case,
        victim=child,
        purpose="layanan",
        given_by="wali",
        guardian=mother,
        guardian_partner_of_perpetrator=False,
        child_assent="setuju",
    )
    assert consent.lawful_basis == "consent"


def test_likely_matches_are_offered_not_merged(personas):
    first = register(
        personas.petugas,
        victims=[{"name": "Siti Aminah", "phone": "0812-1111-2222", "birth_date": dt.date(1990, 1, 1)}],
    )
    second = register(personas.petugas, victims=[{"name": "Dewi", "phone": "+62 812 1111 2222"}])
    by_phone = person_match_candidates(actor=personas.petugas, phone="081211112222", exclude_case=second)
    assert [p.case for p in by_phone] == [first]
    by_name = person_match_candidates(actor=personas.petugas, name="aminah SITI", birth_year=1990)
    assert [p.case for p in by_name] == [first]
    assert person_match_candidates(actor=personas.petugas, name="Siti Aminah", birth_year=1991) == []
    # Matches come only from cases the actor may see.
    assert person_match_candidates(actor=personas.pendamping_lain, phone="081211112222") == []
    assert CasePerson.objects.values("person_key").distinct().count() == 2


def test_person_update_rebuilds_indexes(personas):
    case = register(personas.petugas)
    person = case.persons.get()
    person = person_update(
        actor=personas.petugas, person=person, version=person.version, name="Nur Halimah", phone="08123"
    )
    assert person_match_candidates(actor=personas.petugas, name="halimah nur", birth_year=person.birth_year)


def test_closed_cases_are_read_only(personas):
    case = register(personas.petugas)
    Case.objects.filter(pk=case.pk).update(status="ditutup")
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        case_update_incident(actor=personas.petugas, case=case, version=case.version, place_type="sekolah")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_get_distinct_numbers(personas):
    from django.db import connection

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a file or server database shared between threads")
    errors, numbers = [], []

    def worker():
        try:
            for _ in range(3):
                numbers.append(register(personas.petugas).registration_number)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's connections; the test database is dropped later

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(numbers) == 18 and len(set(numbers)) == 18
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 19))
