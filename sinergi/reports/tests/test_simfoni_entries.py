"""Victims entered into SIMFONI-PPA: marking them, who may, the audit, and the new/changed exports."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.choices import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases.models import CasePerson, PerpetratorRelation
from sinergi.core.errors import Refusal
from sinergi.reports import jobs
from sinergi.reports.models import SimfoniEntry, SimfoniExportRow
from sinergi.reports.simfoni_entries import simfoni_entries_record
from sinergi.testing.cases import case_row
from sinergi.testing.factories import UserFactory

TODAY = dt.date(2024, 6, 1)
PERIOD = {"date_from": "2024-01-01", "date_to": "2024-12-31", "format": "csv"}


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@pytest.fixture
def victims(personas):
    """A mother and her daughter, victims of the same father; and a victim of the other city."""
    case = case_row(personas.orgs.unit, status="aktif", reported_at=at(dt.date(2024, 3, 5)))
    mother = CasePerson.objects.create(case=case, role="korban", name="Ibu Rahasia", sex="perempuan")
    daughter = CasePerson.objects.create(case=case, role="korban", name="Anak Rahasia", sex="perempuan")
    father = CasePerson.objects.create(case=case, role="pelaku", sex="laki_laki")
    PerpetratorRelation.objects.create(
        case=case, perpetrator=father, victim=mother, relationship="suami_istri"
    )
    PerpetratorRelation.objects.create(
        case=case, perpetrator=father, victim=daughter, relationship="orang_tua"
    )
    elsewhere = case_row(personas.orgs.other_unit, reported_at=at(dt.date(2024, 4, 1)))
    other = CasePerson.objects.create(case=elsewhere, role="korban", sex="perempuan")
    return mother, daughter, other


def export(actor, **params):
    return jobs.job_start(actor=actor, kind="simfoni", params={**PERIOD, **params})


def data_rows(job):
    with zipfile.ZipFile(io.BytesIO(jobs.job_file_read(job))) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    lines = [line.split(",") for line in text.splitlines()]
    header = lines[0]
    return [dict(zip(header, line, strict=True)) for line in lines[1:]]


def test_an_export_remembers_what_it_held(personas, victims):
    mother, daughter, _other = victims
    job = export(personas.datin)
    rows = SimfoniExportRow.objects.filter(job=job).order_by("id")
    assert [r.victim_id for r in rows] == [mother.pk, daughter.pk]
    assert rows[0].victim_code.endswith("-1") and len(rows[0].fingerprint) == 64


def test_marking_records_the_entry_and_audits_it(personas, victims):
    mother, daughter, _other = victims
    job = export(personas.datin)
    count = simfoni_entries_record(
        actor=personas.datin,
        job=job,
        victim_ids=[mother.public_id],
        numbers={mother.public_id: "SIMFONI-2024/0012"},
        entered_on=TODAY,
    )
    assert count == 1
    entry = SimfoniEntry.objects.get(victim=mother)
    assert (entry.number, entry.entered_on, entry.entered_by, entry.job) == (
        "SIMFONI-2024/0012",
        TODAY,
        personas.datin,
        job,
    )
    assert entry.fingerprint == SimfoniExportRow.objects.get(job=job, victim=mother).fingerprint
    event = AuditEvent.objects.get(action="simfoni.entry", object_id=mother.public_id)
    # The audit says a number was given, not which: the number links to the victim's national record.
    assert event.details["job"] == job.public_id and event.details["number"] is True
    assert "Ibu Rahasia" not in str(event.details) and "SIMFONI-2024/0012" not in str(event.details)
    assert not SimfoniEntry.objects.filter(victim=daughter).exists()


def test_new_and_changed_exports(personas, victims):
    mother, daughter, _other = victims
    first = export(personas.datin)
    simfoni_entries_record(actor=personas.datin, job=first, pending=True, entered_on=TODAY)
    assert SimfoniEntry.objects.count() == 2  # both of the own unit; the other city is theirs
    assert data_rows(export(personas.datin, selection="new")) == []
    assert data_rows(export(personas.datin, selection="changed")) == []
    # The mother's religion is recorded after the entry: her row changed, the daughter's did not.
    CasePerson.objects.filter(pk=mother.pk).update(religion="islam")
    changed = export(personas.datin, selection="changed")
    rows = data_rows(changed)
    assert [(r["kode_korban"][-2:], r["agama"], r["status_simfoni"]) for r in rows] == [
        ("-1", "Islam", "Berubah sejak dientri")
    ]
    assert changed.file_name.endswith("-changed.zip")
    # A new victim joins the case: only she is new, numbered after the others.
    newcomer = CasePerson.objects.create(case=mother.case, role="korban", sex="perempuan")
    rows = data_rows(export(personas.datin, selection="new"))
    assert [r["kode_korban"] for r in rows] == [f"{mother.case.pseudonym}-3"]
    # Entered again from the changed export: nothing is pending any more.
    simfoni_entries_record(actor=personas.datin, job=changed, victim_ids=[mother.public_id], entered_on=TODAY)
    assert [r["kode_korban"] for r in data_rows(export(personas.datin, selection="changed"))] == []
    assert newcomer.pk not in set(SimfoniEntry.objects.values_list("victim_id", flat=True))
    # The number of the first entry is kept when the update gives none.
    assert AuditEvent.objects.filter(action="simfoni.entry", object_id=mother.public_id).count() == 2


def test_a_change_between_export_and_marking_stays_visible(personas, victims):
    mother, _daughter, _other = victims
    job = export(personas.datin)
    CasePerson.objects.filter(pk=mother.pk).update(education="sd")
    simfoni_entries_record(actor=personas.datin, job=job, victim_ids=[mother.public_id], entered_on=TODAY)
    rows = data_rows(export(personas.datin, selection="changed"))
    assert [r["pendidikan"] for r in rows] == ["SD"]


def test_only_the_data_officer_of_the_unit_marks(personas, victims):
    mother, _daughter, other = victims
    job = export(personas.datin)
    with pytest.raises(PermissionDenied):
        simfoni_entries_record(
            actor=personas.kepala, job=job, victim_ids=[mother.public_id], entered_on=TODAY
        )
    # Another data officer of the same unit marks from their own export, not from this one.
    colleague = UserFactory(role=Role.PENGELOLA_DATA, organisation=personas.orgs.unit)
    with pytest.raises(PermissionDenied):
        simfoni_entries_record(actor=colleague, job=job, victim_ids=[mother.public_id], entered_on=TODAY)
    # A province data officer's export holds none of the cities' victims, and cannot mark them.
    province_officer = UserFactory(role=Role.PENGELOLA_DATA, organisation=personas.orgs.province)
    province_job = export(province_officer)
    assert SimfoniExportRow.objects.filter(job=province_job).count() == 0
    with pytest.raises(Refusal):
        simfoni_entries_record(
            actor=province_officer, job=province_job, victim_ids=[other.public_id], entered_on=TODAY
        )
    assert not SimfoniEntry.objects.exists()
    assert AuditEvent.objects.filter(action="simfoni.entry", outcome="denied").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"entered_on": TODAY + dt.timedelta(days=3650)}, "entered_on"),
        ({"entered_on": None}, "entered_on"),
        ({"numbers": "long"}, "numbers"),
        ({"numbers": "=HYPERLINK()"}, "numbers"),
        ({"victim_ids": ["not-a-victim"]}, "victims"),
        ({"victim_ids": []}, "victims"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(personas, victims, kwargs, field):
    mother, _daughter, _other = victims
    job = export(personas.datin)
    arguments = {"victim_ids": [mother.public_id], "entered_on": TODAY, **kwargs}
    if arguments.get("numbers") == "long":
        arguments["numbers"] = {mother.public_id: "1" * 41}
    elif isinstance(arguments.get("numbers"), str):
        arguments["numbers"] = {mother.public_id: arguments["numbers"]}
    with pytest.raises(Refusal) as refused:
        simfoni_entries_record(actor=personas.datin, job=job, **arguments)
    assert refused.value.field == field
    assert not SimfoniEntry.objects.exists()


# --- the page -------------------------------------------------------------------------------


def entries_url(job):
    return reverse("reports:simfoni_entries", args=[job.public_id])


def test_it_works(personas, victims, login):
    mother, daughter, _other = victims
    job = export(personas.datin)
    client = login(personas.datin)
    page = client.get(entries_url(job))
    assert page.status_code == 200
    text = page.content.decode()
    assert mother.case.pseudonym + "-1" in text and "Rahasia" not in text
    response = client.post(
        entries_url(job),
        {
            "action": "selected",
            "entered_on": "2024-06-01",
            "victims": [daughter.public_id],
            f"number_{daughter.public_id}": "SF-7",
        },
    )
    assert response.status_code == 302
    assert SimfoniEntry.objects.get(victim=daughter).number == "SF-7"
    response = client.post(entries_url(job), {"action": "pending", "entered_on": "2024-06-02"})
    assert response.status_code == 302
    assert SimfoniEntry.objects.get(victim=mother).entered_on == dt.date(2024, 6, 2)
    # The daughter was entered, unchanged: "mark every new or changed" leaves her entry alone.
    assert SimfoniEntry.objects.get(victim=daughter).entered_on == dt.date(2024, 6, 1)


def test_it_hides_from_outsiders(personas, victims, login):
    job = export(personas.datin)
    colleague = UserFactory(role=Role.PENGELOLA_DATA, organisation=personas.orgs.unit)
    assert login(colleague).get(entries_url(job)).status_code == 404
    assert login(colleague).get(reverse("reports:simfoni_entries", args=["no-such-job"])).status_code == 404


def test_it_refuses_without_permission(personas, victims, login):
    job = export(personas.datin)
    for persona in (personas.kepala, personas.pendamping, personas.pimpinan):
        assert login(persona).get(entries_url(job)).status_code == 403
        assert (
            login(persona)
            .post(entries_url(job), {"action": "pending", "entered_on": "2024-06-01"})
            .status_code
            == 403
        )
    assert not SimfoniEntry.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "selected", "entered_on": "kemarin", "victims": ["x"]},
        {"action": "selected", "entered_on": "2024-02-30"},
        {"action": "selected", "entered_on": "2099-01-01", "victims": ["zzz"]},
        {"action": "pending", "entered_on": ""},
        {"action": "selected", "victims": "x" * 5000},
    ],
)
def test_bad_input_keeps_the_page(personas, victims, login, data):
    job = export(personas.datin)
    client = login(personas.datin)
    response = client.post(entries_url(job), data)
    assert response.status_code == 200
    assert (
        'class="field-error"' in response.content.decode()
        or 'class="form-errors"' in response.content.decode()
    )
    assert not SimfoniEntry.objects.exists()
    assert client.get(entries_url(job) + "?page=abc").status_code == 200


def test_the_page_reads_in_bounded_queries(personas, login, django_assert_max_num_queries):
    for _i in range(25):
        case = case_row(personas.orgs.unit, reported_at=at(dt.date(2024, 3, 5)))
        CasePerson.objects.create(case=case, role="korban", sex="perempuan")
    job = export(personas.datin)
    client = login(personas.datin)
    with django_assert_max_num_queries(16):
        assert client.get(entries_url(job)).status_code == 200


def test_the_export_page_links_the_recent_exports(personas, victims, login):
    job = export(personas.datin)
    page = login(personas.datin).get(reverse("reports:export")).content.decode()
    assert entries_url(job) in page
    detail = login(personas.datin).get(reverse("reports:job", args=[job.public_id])).content.decode()
    assert entries_url(job) in detail
    assert (
        entries_url(job)
        not in login(personas.kepala).get(reverse("reports:job", args=[job.public_id])).content.decode()
    )
