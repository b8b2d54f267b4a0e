"""Importing: every case of the file in one transaction, or none."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.access import has_permission
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.cases import rules
from sinergi.cases.choices import (
    CaseStatus,
    ConsentPurpose,
    LawfulBasis,
    PersonRole,
)
from sinergi.cases.models import Case, CasePerson, Consent, PerpetratorRelation, new_pseudonym
from sinergi.core.ids import bulk_insert_with_fresh_codes, new_public_id

from ..models import ImportedCase
from ._common import BATCH, CHILD_BANDS, CheckResult, ImportRefused
from .check import check_rows
from .files import file_kind

# --- importing ----------------------------------------------------------------------------------------

STATISTICS_BASIS_NOTE = (
    "Historical record imported from the unit's own register; counted in non-identifiable "
    "statistics as part of the unit's public task."
)


def _reported_at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class _Writer:
    """Collects parsed rows and writes them in batches (bulk inserts; every part of the case)."""

    def __init__(self, actor, job):
        self.actor, self.job = actor, job
        self.rows = []
        self.created = 0

    def add(self, number, parsed):
        self.rows.append(parsed)
        if len(self.rows) >= BATCH:
            self.write()

    def write(self):
        if not self.rows:
            return
        unit = self.actor.organisation
        cases = [
            Case(
                unit=unit,
                created_by=self.actor,
                status=CaseStatus.CLOSED,
                is_historical=True,
                reported_at=_reported_at(p["tanggal_lapor"]),
                incident_date=p.get("tanggal_kejadian"),
                case_type=p.get("jenis_kasus", ""),
                place_type=p.get("tempat_kejadian", ""),
                incident_region=p.get("kecamatan"),
            )
            for p in self.rows
        ]
        bulk_insert_with_fresh_codes(Case, cases, {"pseudonym": new_pseudonym, "public_id": new_public_id})
        victims, perpetrators, relations = [], [], []
        for case, p in zip(cases, self.rows, strict=True):
            victim = _victim(case, p)
            victims.append(victim)
            if p.get("hubungan_pelaku") or p.get("jenis_kelamin_pelaku"):
                perpetrator = CasePerson(
                    case=case,
                    role=PersonRole.PELAKU,
                    is_unknown=True,
                    sex=p.get("jenis_kelamin_pelaku", ""),
                )
                perpetrators.append(perpetrator)
                if p.get("hubungan_pelaku"):
                    relations.append((perpetrator, victim, p["hubungan_pelaku"]))
        CasePerson.objects.bulk_create(victims + perpetrators)
        PerpetratorRelation.objects.bulk_create(
            [
                PerpetratorRelation(case_id=v.case_id, perpetrator=pp, victim=v, relationship=code)
                for pp, v, code in relations
            ]
        )
        Consent.objects.bulk_create(
            [
                Consent(
                    case=case,
                    victim=victim,
                    purpose=ConsentPurpose.STATISTIK,
                    lawful_basis=LawfulBasis.PUBLIC_TASK,
                    basis_note=STATISTICS_BASIS_NOTE,
                    given_at=case.reported_at,
                    recorded_by=self.actor,
                )
                for case, victim in zip(cases, victims, strict=True)
            ]
        )
        ImportedCase.objects.bulk_create(
            [
                ImportedCase(
                    unit=unit, external_id=p["id_eksternal"], case=case, job=self.job, imported_by=self.actor
                )
                for case, p in zip(cases, self.rows, strict=True)
            ]
        )
        self.created += len(cases)
        self.rows = []


def _victim(case, p):
    age = p.get("umur_korban")
    band = p.get("kelompok_umur_korban") or (str(rules.age_band(age)) if age is not None else "")
    violence = p.get("jenis_kekerasan", [])
    codes = sorted(set(violence))
    day = p.get("tanggal_kejadian") or p["tanggal_lapor"]
    return CasePerson(
        case=case,
        role=PersonRole.KORBAN,
        sex=p.get("jenis_kelamin_korban", ""),
        age_years=age,
        age_at_incident=age,
        birth_year=(day.year - age) if age is not None else None,
        age_band=band,
        is_child=(band in CHILD_BANDS) if band else None,
        education=p.get("pendidikan_korban", ""),
        occupation=p.get("pekerjaan_korban", ""),
        disabilities=p.get("disabilitas_korban", []),
        violence_types=violence,
        violence_codes=f"|{'|'.join(codes)}|" if codes else "",
        # The historical row is one victim's incident.
        tpks_offences=p.get("tindak_pidana_tpks", []),
        gbvims_type=p.get("jenis_gbvims", ""),
    )


def _require(actor):
    if not has_permission(actor, "case.import") or actor.organisation_id is None:
        raise PermissionDenied


def import_check(*, actor, data, name, progress=None):
    """The dry run: every row and column error, and how many cases the import would create."""
    _require(actor)
    check = CheckResult()
    kind = file_kind(name, data, check)
    if kind is None:
        return check
    return check_rows(unit=actor.organisation, data=data, kind=kind, progress=progress)


def import_apply(*, actor, data, name, job=None, progress=None):
    """Check everything again and create every new case in one transaction, or nothing.

    Raises ImportRefused (carrying the CheckResult) when any row has an error. Returns the
    CheckResult, whose `new` is the number of cases created.
    """
    _require(actor)
    check = CheckResult()
    kind = file_kind(name, data, check)
    if kind is None:
        raise ImportRefused(check)
    where = {"object_type": "report_job" if job else "", "object_id": job.public_id if job else ""}
    with transaction.atomic():
        writer = _Writer(actor, job)
        check = check_rows(
            unit=actor.organisation, data=data, kind=kind, progress=progress, on_valid=writer.add
        )
        if check.ok:
            writer.write()
            audit_record(
                actor=actor,
                action="case.import",
                details={"rows": check.rows, "created": writer.created, "skipped": check.already_imported},
                **where,
            )
        else:
            # Batches already written are undone with everything else: all or nothing.
            transaction.set_rollback(True)
    if not check.ok:
        audit_record(
            actor=actor,
            action="case.import",
            outcome=Outcome.FAILED,
            details={"rows": check.rows, "errors": check.error_count},
            **where,
        )
        raise ImportRefused(check)
    return check
