"""The SIMFONI-PPA export: one row per victim, in SIMFONI's categories, for a period.

Pseudonymous: the case is named by its case code (`Case.pseudonym`) and the victim by that code
plus a number; no name, NIK, phone, address, chronology or exact date leaves in this file (dates
are reduced to year and month). Every column is documented in docs/simfoni-export.md; COLUMNS
below is the order of the file, and the test checks the two agree.

The identifying variant (`identifying=True`) adds the registration number, the victim's name and
NIK in front. Only a kepala may ask for it, after re-authentication and with a stated reason
(sinergi.reports.views_export); it covers the kepala's own unit only.

Memory is bounded: victims are read in chunks of CHUNK with their cases, and the perpetrators and
services of each chunk's cases in one query each; XLSX is written in openpyxl's write-only mode.
"""

import csv
import datetime as dt
import io

import openpyxl
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, DateTimeField
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.cases import rules
from sinergi.cases.choices import SIMFONI_RELATIONSHIP, PersonRole, ViolenceType
from sinergi.cases.models import CasePerson, PerpetratorRelation
from sinergi.cases.selectors import not_tpks_answered, victim_is_tpks

from .jobs import JobOutput, job_runner
from .models import JobKind

CHUNK = 1000
LIST_SEPARATOR = ";"

COLUMNS = (
    "kode_kasus",
    "kode_korban",
    "unit",
    "tahun_lapor",
    "bulan_lapor",
    "tahun_kejadian",
    "bulan_kejadian",
    "jenis_kasus",
    "kecamatan_kode",
    "kecamatan",
    "tempat_kejadian",
    "jenis_kelamin",
    "kelompok_umur",
    "anak",
    "pendidikan",
    "pekerjaan",
    "disabilitas",
    "jenis_kekerasan",
    *(f"kekerasan_{code}" for code in ViolenceType.values),
    "hubungan_pelaku",
    "jumlah_pelaku",
    "layanan_diterima",
    "tpks",
    "tppo",
    "jenis_gbvims",
    "status_kasus",
    "historis",
)
IDENTIFYING_COLUMNS = ("nomor_registrasi", "nama_korban", "nik_korban")

#: Service statuses that count as "received" (sinergi.interventions ServiceStatus).
RECEIVED = ("diberikan", "sudah_diterima")


def _yes(flag):
    return "ya" if flag else "tidak"


def _joined(values):
    return LIST_SEPARATOR.join(sorted({str(v) for v in values if v}))


def _safe(value):
    """Keep a spreadsheet from reading a cell as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


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


def _services_table_exists():
    try:
        model = apps.get_model("interventions", "ServiceDelivery")
    except LookupError:
        return None
    return model if model._meta.db_table in connection.introspection.table_names() else None


def _chunk_extras(case_ids, victim_ids, services_model):
    """({victim id: [SIMFONI relationship of each perpetrator]}, {case id: perpetrators},
    {victim id: services}) of a chunk: one query each."""
    relations = {}
    for victim_id, relationship in PerpetratorRelation.objects.filter(victim_id__in=victim_ids).values_list(
        "victim_id", "relationship"
    ):
        relations.setdefault(victim_id, []).append(SIMFONI_RELATIONSHIP.get(relationship, relationship))
    counts = dict(
        CasePerson.objects.filter(case_id__in=case_ids, role=PersonRole.PELAKU)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    perpetrators = (relations, counts)
    services = {}
    if services_model is not None:
        rows = services_model.objects.filter(victim_id__in=victim_ids, status__in=RECEIVED).values_list(
            "victim_id", "category", "uptd_service"
        )
        for victim_id, category, uptd_service in rows:
            services.setdefault(victim_id, set()).add(category or uptd_service)
    return perpetrators, services


def _kecamatan(region):
    if region is None:
        return "", ""
    if region.level >= 4 and region.parent is not None:
        region = region.parent
    return region.code, region.name


def _local(value):
    return timezone.localtime(value) if value else None


def victim_row(victim, number, perpetrators, services, *, identifying=False, answered=None):
    case = victim.case
    reported = _local(victim.case_date)
    incident = case.incident_date
    violence = set(victim.violence_types or [])
    kecamatan_code, kecamatan_name = _kecamatan(case.incident_region)
    relations, counts = perpetrators or ({}, {})
    relationships = relations.get(victim.pk, [])
    row = [
        case.pseudonym,
        f"{case.pseudonym}-{number}",
        str(case.unit),
        reported.year if reported else "",
        reported.month if reported else "",
        incident.year if incident else "",
        incident.month if incident else "",
        case.case_type,
        kecamatan_code,
        kecamatan_name,
        case.place_type,
        victim.sex,
        victim.age_band,
        "" if victim.is_child is None else _yes(victim.is_child),
        victim.education,
        victim.occupation,
        _joined(victim.disabilities or []),
        _joined(violence),
        *(1 if code in violence else 0 for code in ViolenceType.values),
        _joined(relationships),
        counts.get(case.pk, 0),
        _joined(services.get(victim.pk, ())),
        _yes(victim_is_tpks(victim, answered)),
        _yes("trafficking" in violence or rules.incident_tppo_indicated(victim)),
        victim.gbvims_type,
        case.status,
        _yes(case.is_historical),
    ]
    if identifying:
        row = [case.registration_number, victim.name, victim.nik, *row]
    return [_safe(v) for v in row]


def rows(victims, *, identifying=False, progress=None, total=None):
    """Yield the header, then one row per victim, reading `victims` in chunks."""
    yield list(IDENTIFYING_COLUMNS + COLUMNS if identifying else COLUMNS)
    services_model = _services_table_exists()
    done = 0
    current_case, number = None, 0
    chunk = []

    def emit(chunk):
        nonlocal current_case, number
        perpetrators, services = _chunk_extras(
            {v.case_id for v in chunk}, [v.pk for v in chunk], services_model
        )
        answered = not_tpks_answered(chunk)
        for victim in chunk:
            if victim.case_id != current_case:
                current_case, number = victim.case_id, 0
            number += 1
            yield victim_row(
                victim, number, perpetrators, services, identifying=identifying, answered=answered
            )

    for victim in victims.iterator(chunk_size=CHUNK):
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


def write_csv(row_iter):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in row_iter:
        writer.writerow(row)
    # A byte-order mark: Excel then reads the file as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(row_iter, sheet_name="simfoni"):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for row in row_iter:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export(*, unit, date_from, date_to, fmt, identifying=False, progress=None):
    """(bytes, file name, victim count) of the export for `unit` (and, pseudonymous, the units below)."""
    units = units_for(unit, with_units_below=not identifying)
    victims = victims_in_period(units, date_from, date_to)
    total = victims.count()
    row_iter = rows(victims, identifying=identifying, progress=progress, total=total)
    data = write_xlsx(row_iter) if fmt == "xlsx" else write_csv(row_iter)
    prefix = "identitas" if identifying else "simfoni"
    name = f"{prefix}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    return data, name, total


def _run(job, progress, identifying):
    # Rights are checked again when the job runs: a role may have changed since it was queued.
    if not has_permission(job.requested_by, "export.identifying" if identifying else "export.pseudonymous"):
        raise PermissionDenied
    params = job.params
    date_from = dt.date.fromisoformat(params["date_from"])
    date_to = dt.date.fromisoformat(params["date_to"])
    fmt = params.get("format", "xlsx")
    progress(2, _("Counting victims…"))
    data, name, total = export(
        unit=job.unit,
        date_from=date_from,
        date_to=date_to,
        fmt=fmt,
        identifying=identifying,
        progress=progress,
    )
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
