"""The SIMFONI-PPA export: one row per victim, in SIMFONI's categories, for a period.

Pseudonymous: the case is named by its case code (`Case.pseudonym`) and the victim by that code
plus a number; no name, NIK, phone, address, chronology or exact date of the victim leaves in
this file (dates are reduced to year and month). Every column is documented in
docs/simfoni-export.md; sinergi.reports.simfoni_columns holds their order and code lists.

The file is for SIMFONI's data entry, so the data sheet shows **labels** (Indonesian, whatever the
requester's language) and a second sheet, "Kode", lists each coded column's code → label pairs
(an XLSX with two sheets, or for CSV a zip of two CSV files). The fingerprint of each row's codes
lets the data officer record which victims were entered into SIMFONI and export only the new or
the changed ones (sinergi.reports.simfoni_entries).

The identifying variant (`identifying=True`) adds the registration number, the victim's name and
NIK in front. Only a kepala may ask for it, after re-authentication and with a stated reason
(sinergi.reports.views_export); it covers the kepala's own unit only.

Memory and queries are bounded: victims are read in chunks of CHUNK with their cases, and the
persons, relationships, services, legal stages, "not TPKS" decisions and SIMFONI entries of each
chunk in one query each; XLSX is written in openpyxl's write-only mode.
"""

import datetime as dt
import io
import zipfile

import openpyxl
from django.core.exceptions import PermissionDenied
from django.db.models import DateTimeField
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.cases import rules
from sinergi.cases.choices import SIMFONI_RELATIONSHIP, PersonRole, Relationship, ViolenceType
from sinergi.cases.models import CasePerson, PerpetratorRelation
from sinergi.cases.selectors import not_tpks_answered, victim_is_tpks
from sinergi.interventions.models import LegalProcessStage, ServiceDelivery

from .csvutil import csv_bytes, neutralise
from .jobs import JobOutput, job_runner
from .models import JobKind, SimfoniEntry, SimfoniExportRow
from .simfoni_columns import (
    COLUMNS,
    IDENTIFYING_COLUMNS,
    PERPETRATOR_SLOTS,
    EntryState,
    Labeller,
    code_rows,
    fingerprint,
)

__all__ = ["COLUMNS", "IDENTIFYING_COLUMNS", "export", "rows", "victim_values", "victims_in_period"]

CHUNK = 1000

#: Service statuses that count as "received" (sinergi.interventions ServiceStatus).
RECEIVED = ("diberikan", "sudah_diterima")

#: Which victims an export holds (DOMAIN.md §10: nothing entered twice, nothing missed).
SELECTIONS = ("all", "new", "changed")

#: A perpetrator who is the victim's spouse, parent, step- or foster parent is in the household
#: scope of UU 23/2004 PKDRT Ps 2(1)(a)-(b) by definition; relatives and domestic workers only
#: when they live in the household, which the officer records as PKDRT types.
_HOUSEHOLD = frozenset(
    {
        Relationship.SUAMI_ISTRI,
        Relationship.ORANG_TUA,
        Relationship.ORANG_TUA_TIRI,
        Relationship.ORANG_TUA_ASUH,
    }
)


def _yes(flag):
    return "ya" if flag else "tidak"


def period_bounds(date_from, date_to):
    """Aware datetimes [start of date_from, start of the day after date_to) in the local time zone."""
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    return start, end


def units_for(unit, *, with_units_below=True):
    return [unit, *unit.descendants()] if with_units_below else [unit]


def victims_in_period(units, date_from, date_to):
    """Victims of the units' cases reported in the period (a case without a report date counts
    from its registration)."""
    start, end = period_bounds(date_from, date_to)
    return (
        CasePerson.objects.filter(role=PersonRole.KORBAN, case__unit__in=units)
        .annotate(
            case_date=Coalesce("case__reported_at", "case__created_at", output_field=DateTimeField()),
        )
        .filter(case_date__gte=start, case_date__lt=end)
        .select_related("case", "case__unit", "case__incident_region", "case__incident_region__parent")
        .order_by("case_date", "case_id", "id")
    )


def selected(victims, selection):
    """Narrow `victims` to a selection the database can decide ("new"); "changed" needs each
    row's fingerprint and is decided while the rows are built (`rows`)."""
    if selection == "new":
        return victims.filter(simfoni_entry__isnull=True)
    if selection == "changed":
        return victims.filter(simfoni_entry__isnull=False)
    return victims


class ChunkFacts:
    """What the rows of one chunk of victims need beyond their own fields: one query each."""

    def __init__(self, chunk):
        victim_ids = [v.pk for v in chunk]
        case_ids = {v.case_id for v in chunk}
        # Every victim's number within the case counts all the case's victims, whichever are
        # exported, so that `kode_korban` is the same in an "all", "new" or "changed" file.
        self.numbers, self.perpetrators = {}, {}
        persons = (
            CasePerson.objects.filter(case_id__in=case_ids, role__in=[PersonRole.KORBAN, PersonRole.PELAKU])
            .only("pk", "case_id", "role", "sex", "age_band", "education", "occupation")
            .order_by("case_id", "id")
        )
        counters = {}
        for person in persons:
            if person.role == PersonRole.KORBAN:
                counters[person.case_id] = counters.get(person.case_id, 0) + 1
                self.numbers[person.pk] = counters[person.case_id]
            else:
                self.perpetrators.setdefault(person.case_id, []).append(person)
        self.relations = {}
        pairs = PerpetratorRelation.objects.filter(victim_id__in=victim_ids).values_list(
            "victim_id", "perpetrator_id", "relationship"
        )
        for victim_id, perpetrator_id, relationship in pairs:
            self.relations.setdefault(victim_id, {})[perpetrator_id] = relationship
        self.services = {}
        deliveries = (
            ServiceDelivery.objects.filter(victim_id__in=victim_ids, status__in=RECEIVED)
            .select_related("provider_org")
            .only("victim_id", "category", "uptd_service", "date", "provider_name", "provider_org__name")
            .order_by("date", "id")
        )
        for service in deliveries:
            self.services.setdefault(service.victim_id, []).append(service)
        perpetrator_ids = [p.pk for people in self.perpetrators.values() for p in people]
        self.stages = {}
        stages = LegalProcessStage.objects.filter(perpetrator_id__in=perpetrator_ids).order_by(
            "occurred_at", "id"
        )
        for perpetrator_id, stage in stages.values_list("perpetrator_id", "stage"):
            self.stages.setdefault(perpetrator_id, []).append(stage)
        self.entries = {e.victim_id: e for e in SimfoniEntry.objects.filter(victim_id__in=victim_ids)}
        self.answered = not_tpks_answered(chunk)


def _kecamatan(region):
    if region is None:
        return "", ""
    if region.level >= 4 and region.parent is not None:
        region = region.parent
    return region.code, region.name


def _local(value):
    return timezone.localtime(value) if value else None


def _simfoni_relationship(code):
    return SIMFONI_RELATIONSHIP.get(code, code) if code else ""


def _victims_perpetrators(victim, facts):
    """The perpetrators of this victim: those with a relationship to her recorded (DOMAIN.md §4,
    per pair); when none is, every perpetrator of the case (an unlinked one is still hers)."""
    people = facts.perpetrators.get(victim.case_id, [])
    related = facts.relations.get(victim.pk, {})
    linked = [p for p in people if p.pk in related]
    return linked or people


def _service_detail(service):
    """(service code, agency, year-month): an agency's name only, never a free-text provider."""
    code = service.category or service.uptd_service
    agency = (
        service.provider_org.name if service.provider_org_id else ("lainnya" if service.provider_name else "")
    )
    return (code, agency, f"{service.date:%Y-%m}" if service.date else "")


def victim_values(victim, facts):
    """{column: code, list of codes, number or text} of one victim: the row before labels."""
    case = victim.case
    reported = _local(victim.case_date)
    incident = case.incident_date
    violence = set(victim.violence_types or [])
    kecamatan_code, kecamatan_name = _kecamatan(case.incident_region)
    related = facts.relations.get(victim.pk, {})
    perpetrators = _victims_perpetrators(victim, facts)
    relationships = [_simfoni_relationship(code) for code in related.values()]
    services = facts.services.get(victim.pk, [])
    stages = [stage for p in perpetrators for stage in facts.stages.get(p.pk, [])]
    values = {
        "kode_kasus": case.pseudonym,
        "kode_korban": f"{case.pseudonym}-{facts.numbers.get(victim.pk, 1)}",
        "unit": str(case.unit),
        "tahun_lapor": reported.year if reported else "",
        "bulan_lapor": reported.month if reported else "",
        "tahun_kejadian": incident.year if incident else "",
        "bulan_kejadian": incident.month if incident else "",
        "jenis_kasus": case.case_type,
        "kecamatan_kode": kecamatan_code,
        "kecamatan": kecamatan_name,
        "tempat_kejadian": case.place_type,
        "jenis_kelamin": victim.sex,
        "kelompok_umur": victim.age_band,
        "anak": "" if victim.is_child is None else _yes(victim.is_child),
        "pendidikan": victim.education,
        "pekerjaan": victim.occupation,
        "status_perkawinan": victim.marital_status,
        "agama": victim.religion,
        "kewarganegaraan": victim.nationality,
        "disabilitas": "ya" if victim.disabilities else victim.has_disability,
        "jenis_disabilitas": list(victim.disabilities or []),
        "kdrt": _yes(bool(victim.pkdrt_types) or bool(set(related.values()) & _HOUSEHOLD)),
        "jenis_kekerasan": sorted(violence),
        **{f"kekerasan_{code}": 1 if code in violence else 0 for code in ViolenceType.values},
        "kategori_tppo": victim.tppo_category,
        "hubungan_pelaku": sorted(set(relationships)),
        "jumlah_pelaku": len(perpetrators),
        "layanan_diterima": sorted({s.category or s.uptd_service for s in services} - {""}),
        "layanan_rinci": [_service_detail(s) for s in services],
        "tahap_hukum": sorted(set(stages)),
        "tpks": _yes(victim_is_tpks(victim, facts.answered)),
        "tppo": _yes("trafficking" in violence or rules.incident_tppo_indicated(victim)),
        "jenis_gbvims": victim.gbvims_type,
        "status_kasus": case.status,
        "historis": _yes(case.is_historical),
    }
    for n, person in enumerate(perpetrators[:PERPETRATOR_SLOTS], start=1):
        own_stages = facts.stages.get(person.pk, [])
        values.update(
            {
                f"pelaku{n}_hubungan": _simfoni_relationship(related.get(person.pk, "")),
                f"pelaku{n}_jenis_kelamin": person.sex,
                f"pelaku{n}_kelompok_umur": person.age_band,
                f"pelaku{n}_pendidikan": person.education,
                f"pelaku{n}_pekerjaan": person.occupation,
                f"pelaku{n}_tahap_hukum": own_stages[-1] if own_stages else "",
            }
        )
    return values


def entry_state(entry, row_fingerprint):
    if entry is None:
        return EntryState.NEW
    return EntryState.ENTERED if entry.fingerprint == row_fingerprint else EntryState.CHANGED


def _with_entry(values, entry, row_fingerprint):
    values["status_simfoni"] = entry_state(entry, row_fingerprint)
    values["nomor_simfoni"] = entry.number if entry else ""
    values["tanggal_entri_simfoni"] = entry.entered_on.isoformat() if entry and entry.entered_on else ""
    return values


def records(victims, *, selection="all", progress=None, total=None):
    """Yield (victim, values, fingerprint) for every victim of `victims` in the selection, reading
    them in chunks (a constant number of queries per chunk)."""
    done = 0
    chunk = []

    def emit(chunk):
        facts = ChunkFacts(chunk)
        for victim in chunk:
            values = victim_values(victim, facts)
            row_fingerprint = fingerprint(values)
            entry = facts.entries.get(victim.pk)
            if selection == "changed" and entry_state(entry, row_fingerprint) != EntryState.CHANGED:
                continue
            yield victim, _with_entry(values, entry, row_fingerprint), row_fingerprint

    for victim in selected(victims, selection).iterator(chunk_size=CHUNK):
        chunk.append(victim)
        if len(chunk) >= CHUNK:
            yield from emit(chunk)
            done += len(chunk)
            chunk = []
            if progress is not None and total:
                progress(
                    5 + 85 * done / total, _("%(done)s of %(total)s victims") % {"done": done, "total": total}
                )
    if chunk:
        yield from emit(chunk)


def rows(victims, *, identifying=False, selection="all", progress=None, total=None, on_row=None):
    """Yield the header, then one row of labels per victim. `on_row(victim, values, fingerprint)`
    is called for each (the job records what it exported)."""
    labeller = Labeller()
    yield list(IDENTIFYING_COLUMNS + COLUMNS if identifying else COLUMNS)
    for victim, values, row_fingerprint in records(
        victims, selection=selection, progress=progress, total=total
    ):
        if on_row is not None:
            on_row(victim, values, row_fingerprint)
        row = labeller.row(values)
        if identifying:
            row = [victim.case.registration_number, victim.name, victim.nik, *row]
        yield [neutralise(v) for v in row]


def write_csv_zip(row_iter, name):
    """A zip of two CSV files: `<name>.csv` (the data) and `kode.csv` (the codes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.csv", csv_bytes(row_iter))
        archive.writestr("kode.csv", csv_bytes(code_rows()))
    return out.getvalue()


def write_xlsx(row_iter):
    """Two sheets: "Data" (one row per victim) and "Kode" (every coded column's codes)."""
    workbook = openpyxl.Workbook(write_only=True)
    data = workbook.create_sheet("Data")
    for row in row_iter:
        data.append(row)
    codes = workbook.create_sheet("Kode")
    for row in code_rows():
        codes.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}
EXTENSIONS = {"xlsx": "xlsx", "csv": "zip"}


def export(*, unit, date_from, date_to, fmt, identifying=False, selection="all", progress=None, on_row=None):
    """(bytes, file name, victim count) of the export of `unit`'s own cases.

    Never the units below: a higher unit reads their aggregate statistics, not their cases
    (access_control.md), and each unit enters its own victims into SIMFONI-PPA. A province's
    export of a city's rows was the finding (restricted cases and victims without the
    statistics consent included); docs/simfoni-export.md.
    """
    if selection not in SELECTIONS:
        raise ValueError(f"unknown selection {selection!r}")
    units = units_for(unit, with_units_below=False)
    victims = victims_in_period(units, date_from, date_to)
    total = selected(victims, selection).count()
    exported = 0

    def count(victim, values, row_fingerprint):
        nonlocal exported
        exported += 1
        if on_row is not None:
            on_row(victim, values, row_fingerprint)

    row_iter = rows(
        victims, identifying=identifying, selection=selection, progress=progress, total=total, on_row=count
    )
    prefix = "identitas" if identifying else "simfoni"
    suffix = "" if selection == "all" else f"-{selection}"
    stem = f"{prefix}-{date_from:%Y%m%d}-{date_to:%Y%m%d}{suffix}"
    data = write_xlsx(row_iter) if fmt == "xlsx" else write_csv_zip(row_iter, stem)
    return data, f"{stem}.{EXTENSIONS[fmt]}", exported


class ExportedRows:
    """on_row for a job: keeps which victim was exported with which fingerprint (SimfoniExportRow),
    written in batches, so the data officer can mark the victims of this export as entered."""

    def __init__(self, job):
        self.job, self.batch = job, []

    def __call__(self, victim, values, row_fingerprint):
        self.batch.append(
            SimfoniExportRow(
                job=self.job,
                victim_id=victim.pk,
                victim_code=values["kode_korban"],
                fingerprint=row_fingerprint,
            )
        )
        if len(self.batch) >= CHUNK:
            self.flush()

    def flush(self):
        SimfoniExportRow.objects.bulk_create(self.batch, ignore_conflicts=True)
        self.batch = []


def _run(job, progress, identifying):
    # Rights are checked again when the job runs: a role may have changed since it was queued.
    if not has_permission(job.requested_by, "export.identifying" if identifying else "export.pseudonymous"):
        raise PermissionDenied
    params = job.params
    date_from = dt.date.fromisoformat(params["date_from"])
    date_to = dt.date.fromisoformat(params["date_to"])
    fmt = params.get("format", "xlsx")
    recorder = None if identifying else ExportedRows(job)
    progress(2, _("Counting victims…"))
    data, name, total = export(
        unit=job.unit,
        date_from=date_from,
        date_to=date_to,
        fmt=fmt,
        identifying=identifying,
        selection=params.get("selection", "all"),
        progress=progress,
        on_row=recorder,
    )
    if recorder is not None:
        recorder.flush()
    return JobOutput(
        data=data,
        file_name=name,
        content_type=CONTENT_TYPES[fmt],
        result={"victims": total},
        message=_("%(count)s victims exported.") % {"count": total},
    )


@job_runner(JobKind.SIMFONI)
def run_simfoni(job, progress):
    return _run(job, progress, identifying=False)


@job_runner(JobKind.IDENTIFYING)
def run_identifying(job, progress):
    return _run(job, progress, identifying=True)
