"""Rights explained to victims and court monitoring: the service rules, coverage, open concerns."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.interventions import services as s
from sinergi.interventions.models import CourtMonitoring, RightsExplanation
from sinergi.interventions.selectors import open_court_concerns, rights_coverage
from sinergi.testing.cases import register_case

from .helpers import denied, make_case, perpetrator_of, victim_of

TODAY = dt.date.today()


def explain(personas, case, **extra):
    args = {
        "victim": victim_of(case),
        "rights": ["restitusi", "pendampingan"],
        "explained_on": TODAY,
        "method": "lisan",
    }
    args.update(extra)
    return s.rights_explanation_record(actor=personas.pendamping, case=case, **args)


def stage_of(personas, case, stage="sidang_tingkat_1", **extra):
    return s.legal_stage_record(
        actor=personas.pendamping,
        case=case,
        perpetrator=perpetrator_of(case),
        stage=stage,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        **extra,
    )


def monitor(personas, case, stage, **answers):
    return s.court_monitoring_record(actor=personas.pendamping, case=case, stage=stage, **answers)


# --- rights explained ----------------------------------------------------------------------------


def test_rights_explained_are_recorded_encrypted_and_audited(personas, case):
    record = explain(personas, case, note="Korban paham haknya")
    assert record.explained_by == personas.pendamping and record.rights == ["restitusi", "pendampingan"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM interventions_rightsexplanation WHERE id = %s", [record.pk])
        assert "paham" not in cursor.fetchone()[0]
    assert RightsExplanation.objects.get().note == "Korban paham haknya"
    event = AuditEvent.objects.get(action="rights.record", object_id=record.public_id)
    assert event.details["rights"] == ["restitusi", "pendampingan"] and "paham" not in str(event.details)


def test_a_future_date_an_unknown_right_or_no_right_is_refused(personas, case):
    with pytest.raises(ValidationError) as err:
        explain(personas, case, explained_on=TODAY + dt.timedelta(days=1))
    assert "explained_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        explain(personas, case, rights=["restitusi", "hak_palsu"])
    assert "hak_palsu" in err.value.message_dict["rights"][0]
    with pytest.raises(ValidationError) as err:
        explain(personas, case, rights=[])
    assert "rights" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        explain(personas, case, method="telepati")
    assert "method" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        explain(personas, case, victim=perpetrator_of(case))
    assert "victim" in err.value.message_dict
    assert not RightsExplanation.objects.exists()


def test_the_explainer_must_be_staff_of_the_case_unit_and_the_refusal_is_audited(personas, case):
    with pytest.raises(ValidationError) as err:
        explain(personas, case, explained_by=personas.orang_luar)
    assert "explained_by" in err.value.message_dict
    assert denied("rights.record", case).filter(details__refused="explainer_not_unit_staff").exists()
    assert not RightsExplanation.objects.exists()
    record = explain(personas, case, explained_by=personas.psikolog)
    assert record.explained_by == personas.psikolog and record.recorded_by == personas.pendamping


def test_coverage_is_the_union_of_the_records_with_the_first_explanation(personas, case):
    explain(personas, case, rights=["restitusi"], explained_on=TODAY - dt.timedelta(days=5))
    explain(
        personas, case, rights=["restitusi", "kesehatan"], method="leaflet", explained_by=personas.psikolog
    )
    (victim,) = rights_coverage(case)
    ticked = {i["code"]: i for i in victim["items"] if i["explained"]}
    assert set(ticked) == {"restitusi", "kesehatan"}
    assert ticked["restitusi"]["on"] == TODAY - dt.timedelta(days=5)
    assert ticked["restitusi"]["by"] == personas.pendamping
    assert (
        ticked["kesehatan"]["by"] == personas.psikolog
        and ticked["kesehatan"]["method"] == "With the rights leaflet"
    )
    assert victim["explained_count"] == 2 and victim["total"] == 7 and len(victim["missing"]) == 5
    assert len(victim["records"]) == 2


# --- court monitoring ------------------------------------------------------------------------------


def test_court_monitoring_is_recorded_per_stage_and_replaced_when_recorded_again(personas, case):
    stage = stage_of(personas, case)
    first = monitor(personas, case, stage, accompanied=True, not_confronted=False, problems="Dikonfrontasi")
    again = monitor(personas, case, stage, accompanied=True, not_confronted=True)
    assert first.pk == again.pk and CourtMonitoring.objects.count() == 1
    assert again.not_confronted is True and again.problems == ""
    events = AuditEvent.objects.filter(action="court_monitoring.record", object_id=first.public_id)
    assert events.count() == 2
    assert events.order_by("id").last().changes == {"not_confronted": [False, True]}


def test_a_stage_of_another_case_is_refused_and_audited(personas, case):
    other = make_case(personas.pendamping)
    stage = stage_of(personas, other)
    with pytest.raises(ValidationError) as err:
        monitor(personas, case, stage, accompanied=False)
    assert "stage" in err.value.message_dict
    assert denied("court_monitoring.record", case).filter(details__refused="stage_other_case").exists()
    assert not CourtMonitoring.objects.exists()


def test_a_closed_hearing_is_for_a_child_victim_only(personas, case):
    stage = stage_of(personas, case)
    with pytest.raises(ValidationError) as err:
        monitor(personas, case, stage, closed_hearing_child=True)
    assert "closed_hearing_child" in err.value.message_dict
    assert denied("court_monitoring.record", case).filter(details__refused="closed_hearing_adult").exists()
    child = register_case(
        personas.pendamping,
        victims=[{"name": "Anak Korban", "sex": "perempuan", "age_years": 12}],
        perpetrators=[{"name": "Budi Pelaku", "sex": "laki_laki", "age_years": 40}],
        risk="tinggi",
        incident_date=TODAY - dt.timedelta(days=3),
    )
    monitoring = monitor(personas, child, stage_of(personas, child), closed_hearing_child=False)
    assert monitoring.closed_hearing_child is False


def test_raising_nothing_at_the_rakor_or_a_bad_answer_is_refused(personas, case):
    stage = stage_of(personas, case)
    with pytest.raises(ValidationError) as err:
        monitor(personas, case, stage, accompanied=True, raise_at_rakor=True)
    assert "raise_at_rakor" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        monitor(personas, case, stage, accompanied="maybe")
    assert "accompanied" in err.value.message_dict
    assert not CourtMonitoring.objects.exists()


def test_a_concern_is_resolved_once_and_a_new_recording_reopens_it(personas, case):
    stage = stage_of(personas, case)
    monitoring = monitor(personas, case, stage, accompanied=False, raise_at_rakor=True)
    resolved = s.court_concern_resolve(actor=personas.pendamping, case=case, monitoring=monitoring)
    assert resolved.concern_resolved_at is not None and not resolved.is_open_concern
    with pytest.raises(ValidationError):
        s.court_concern_resolve(actor=personas.pendamping, case=case, monitoring=monitoring)
    assert denied("court_concern.resolve", case).filter(details__refused="no_open_concern").exists()
    other = make_case(personas.pendamping)
    with pytest.raises(ValidationError):
        s.court_concern_resolve(actor=personas.pendamping, case=other, monitoring=monitoring)
    assert denied("court_concern.resolve", other).filter(details__refused="stage_other_case").exists()
    again = monitor(personas, case, stage, accompanied=False, raise_at_rakor=True)
    assert again.is_open_concern


def test_open_concerns_are_grouped_by_agency_without_names_or_free_text(personas, case):
    police = stage_of(personas, case, stage="penyidikan", agency=personas.orgs.partner)
    court = stage_of(personas, case, agency_name="Pengadilan Negeri Uji")
    quiet = stage_of(personas, case, stage="penuntutan", agency_name="Kejaksaan Negeri Uji")
    monitor(personas, case, police, accompanied=False, not_confronted=False, raise_at_rakor=True)
    monitor(personas, case, court, problems="Hakim bertanya riwayat seksual", raise_at_rakor=True)
    monitor(personas, case, quiet, accompanied=False)  # not raised: not a concern
    resolved = monitor(
        personas,
        case,
        stage_of(personas, case, agency_name="Pengadilan Negeri Uji"),
        accompanied=False,
        raise_at_rakor=True,
    )
    s.court_concern_resolve(actor=personas.pendamping, case=case, monitoring=resolved)
    groups = open_court_concerns(personas.orgs.unit, personas.pendamping)
    assert [g["agency"] for g in groups] == ["Pengadilan Negeri Uji", str(personas.orgs.partner)]
    court_rows, police_rows = groups[0]["rows"], groups[1]["rows"]
    assert len(court_rows) == 1 and len(police_rows) == 1
    assert police_rows[0]["problems"] == ["not accompanied", "confronted with the perpetrator"]
    assert court_rows[0]["problems"] == ["other problem (see the case)"]
    assert police_rows[0]["case_visible"] is True and police_rows[0]["stage"] == "Investigation"
    assert "riwayat" not in repr(groups) and "Rina" not in repr(groups)
    assert open_court_concerns(personas.orgs.other_unit) == []
    outsider = open_court_concerns(personas.orgs.unit, personas.orang_luar)
    assert all(not r["case_visible"] for g in outsider for r in g["rows"])
