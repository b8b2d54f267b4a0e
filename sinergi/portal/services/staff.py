"""The staff side of the intake queue: acknowledge, verify into a case, merge, reject, message,
enter a SAPA 129 report, open evidence.
"""

import hashlib

from cryptography.exceptions import InvalidTag
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.services import audit_record
from sinergi.cases import documents
from sinergi.cases.choices import AgeGroupTold, CaseType, Channel, DocumentType, RiskLevel
from sinergi.cases.choices import ReporterKind as CaseReporterKind
from sinergi.cases.policies import can_edit_case
from sinergi.cases.record import case_register
from sinergi.core.crypto import DecryptionError
from sinergi.deadlines.services import deadlines_lock

from ..choices import (
    CHILD_AGE_GROUPS,
    HARM_TO_VIOLENCE,
    OPEN_STATUSES,
    MessageKind,
    ReporterRelation,
    ReportSource,
    ReportStatus,
)
from ..models import Report, ReportMessage
from ..policies import require_queue
from ._common import (
    MESSAGE_MAX,
    PHONE_METHODS,
    REJECT_REASON_MIN,
    EvidenceUnreadable,
    _alert_on_duty,
    _clean_report_fields,
    _hand_over_clock,
    _start_clock,
    _stop_clock,
)

# --- staff side ----------------------------------------------------------------------------------


def _audit_staff(actor, action, report, **details):
    audit_record(
        actor=actor,
        action=action,
        object_type="portal_report",
        object_id=report.public_id,
        case=report.case,
        details=details,
    )


def _lock(report):
    """The report, then its own rows (its files, its clocks): every lock a decision on the report
    takes, before its first audit event (docs/development.md, "Locks and conflicts")."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    list(locked.evidence.select_for_update().values_list("pk", flat=True))
    deadlines_lock(subject=locked)
    return locked


def _require_open(report):
    if report.status not in OPEN_STATUSES:
        raise ValidationError(_("This report has already been decided."), code="decided")


@transaction.atomic
def report_acknowledge(*, actor, report):
    """Mark a waiting report as verified (read and found genuine); the reporter sees `diverifikasi`."""
    require_queue(actor, report)
    report = _lock(report)
    if report.status != ReportStatus.MENUNGGU:
        raise ValidationError(_("This report is no longer waiting."), code="not_waiting")
    report.status = ReportStatus.DIVERIFIKASI
    report.verified_at, report.verified_by = timezone.now(), actor
    report.save(update_fields=["status", "verified_at", "verified_by"])
    _audit_staff(actor, "portal.report.acknowledge", report)
    return report


@transaction.atomic
def report_take(*, actor, report):
    """Take a "danger now" report: the alarm on every queue page of the unit ends, and the queue
    shows who took it. Taking a report someone else took first is refused with their name."""
    require_queue(actor, report)
    report = _lock(report)
    if not report.danger_now:
        raise ValidationError(
            _("Only a report that says someone is in danger now is taken."), code="not_alarm"
        )
    if report.taken_by_id is not None:
        if report.taken_by_id == actor.pk:
            return report
        raise ValidationError(
            _("%(person)s already took this report at %(time)s.")
            % {
                "person": report.taken_by.name_and_position,
                "time": timezone.localtime(report.taken_at).strftime("%H:%M"),
            },
            code="taken",
        )
    _require_open(report)
    report.taken_at, report.taken_by = timezone.now(), actor
    report.save(update_fields=["taken_at", "taken_by"])
    _audit_staff(actor, "portal.report.take", report)
    return report


def _victim_from(report):
    violence = sorted({HARM_TO_VIOLENCE[h] for h in report.harm_types if h in HARM_TO_VIOLENCE})
    victim = {"violence_types": violence}
    if report.victim_age_group in AgeGroupTold.values:
        victim["age_group_told"] = report.victim_age_group
    by_phone = report.contact_method in PHONE_METHODS
    if report.reporter_relation == ReporterRelation.SELF and not report.anonymous and by_phone:
        victim["phone"] = report.contact_detail
    return victim


def _reporter_from(report):
    if report.anonymous:
        return {"is_anonymous": True, "reporter_kind": CaseReporterKind.ANONIM}
    reporter = {
        "reporter_kind": CaseReporterKind.KORBAN_SENDIRI
        if report.reporter_relation == ReporterRelation.SELF
        else CaseReporterKind.LAINNYA
    }
    if report.contact_method in PHONE_METHODS:
        reporter["phone"] = report.contact_detail
    elif report.contact_detail:
        reporter["address"] = report.contact_detail
    return reporter


def prefill_for_case(report):
    """What the "verify into a case" form starts with."""
    return {
        "case_type": CaseType.AMPK if report.victim_age_group in CHILD_AGE_GROUPS else "",
        "risk": RiskLevel.TINGGI if report.danger_now else "",
        "summary": report.narrative[:300],
    }


def _copy_evidence(actor, report, case):
    """Every file of the report becomes a document of the case (checked again, sealed anew)."""
    for evidence in report.evidence.filter(document__isnull=True):
        data = _evidence_bytes(evidence)
        doc_type = DocumentType.FOTO if evidence.content_type.startswith("image/") else DocumentType.LAINNYA
        upload = ContentFile(data, name=evidence.original_name)
        document = documents.document_upload(actor=actor, case=case, uploaded_file=upload, doc_type=doc_type)
        evidence.document = document
        evidence.save(update_fields=["document"])


@transaction.atomic
def report_verify(*, actor, report, case_type="", risk="", summary=""):
    """Register a case from the report (channel daring, or sapa129 with its ticket); the reporter
    then sees `diproses`. The report's first-response clock, running since the submission, is
    handed over to the case (it supersedes the one case registration starts), so the time the
    victim has waited counts until the first contact."""

    require_queue(actor, report)
    if not has_permission(actor, "case.register"):
        raise PermissionDenied
    report = _lock(report)
    _require_open(report)
    errors = {}
    if case_type and case_type not in CaseType.values:
        errors["case_type"] = _("Choose from the list.")
    if risk and risk not in RiskLevel.values:
        errors["risk"] = _("Choose from the list.")
    if errors:
        raise ValidationError(errors)
    sapa = report.source == ReportSource.SAPA129
    case = case_register(
        actor=actor,
        victims=[_victim_from(report)],
        reporter=_reporter_from(report),
        channel=Channel.SAPA129 if sapa else Channel.DARING,
        sapa_ticket=report.sapa_ticket if sapa else "",
        reported_at=report.submitted_at,
        case_type=case_type,
        risk=risk,
        summary=(summary or "").strip()[:1000],
        chronology=report.narrative,
        incident_date=report.incident_date,
        incident_region=report.place_region,
    )
    report.case = case
    report.status = ReportStatus.DIPROSES
    now = timezone.now()
    report.decided_at, report.decided_by = now, actor
    if report.verified_at is None:
        report.verified_at, report.verified_by = now, actor
    report.save()
    _copy_evidence(actor, report, case)
    _audit_staff(actor, "portal.report.verify", report, source=report.source)
    _hand_over_clock(report, case, actor)
    return case


@transaction.atomic
def report_merge(*, actor, report, case):
    """Attach the report to an existing case the officer may edit (the same incident reported again).

    The report's first-response clock is stopped: the case already has its own clocks."""

    require_queue(actor, report)
    if not can_edit_case(actor, case) or case.unit_id != report.unit_id:
        raise ValidationError({"case": _("You cannot add to this case.")})
    report = _lock(report)
    _require_open(report)
    report.case = case
    report.status = ReportStatus.DIPROSES
    now = timezone.now()
    report.decided_at, report.decided_by = now, actor
    if report.verified_at is None:
        report.verified_at, report.verified_by = now, actor
    report.save()
    _copy_evidence(actor, report, case)
    _audit_staff(actor, "portal.report.merge", report)
    _stop_clock(report, actor)
    return report


@transaction.atomic
def report_reject(*, actor, report, reason):
    """Decline the report; the reporter reads `reason` on the status page."""
    require_queue(actor, report)
    reason = (reason or "").strip()
    if len(reason) < REJECT_REASON_MIN:
        raise ValidationError(
            {
                "reason": _("Write the reason the reporter will read (at least %(min)s characters).")
                % {"min": REJECT_REASON_MIN}
            }
        )
    if len(reason) > MESSAGE_MAX:
        raise ValidationError(
            {"reason": _("Please keep it under %(max)s characters.") % {"max": MESSAGE_MAX}}
        )
    report = _lock(report)
    _require_open(report)
    report.status = ReportStatus.DITOLAK
    report.reject_reason = reason
    report.decided_at, report.decided_by = timezone.now(), actor
    report.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
    _audit_staff(actor, "portal.report.reject", report)
    _stop_clock(report, actor)
    return report


@transaction.atomic
def report_message(*, actor, report, body):
    """A message the reporter reads on the status page (never a name: anyone with the code reads it)."""
    require_queue(actor, report)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the message.")})
    if len(body) > MESSAGE_MAX:
        raise ValidationError({"body": _("Please keep it under %(max)s characters.") % {"max": MESSAGE_MAX}})
    if report.source != ReportSource.DARING:
        raise ValidationError({"body": _("Reports from SAPA 129 have no status page to show a message on.")})
    message = ReportMessage.objects.create(
        report=report, kind=MessageKind.TO_REPORTER, body=body, author=actor
    )
    _audit_staff(actor, "portal.report.message", report, length=len(body))
    return message


@transaction.atomic
def sapa_report_enter(*, actor, sapa_ticket, **fields):
    """A report from the national SAPA 129 hotline, typed in by an officer with its ticket number."""
    require_queue(actor)
    ticket = (sapa_ticket or "").strip()
    if not ticket:
        raise ValidationError({"sapa_ticket": _("Enter the SAPA 129 ticket number.")})
    if len(ticket) > 40:
        raise ValidationError({"sapa_ticket": _("Please keep it under %(max)s characters.") % {"max": 40}})
    cleaned = _clean_report_fields(fields)
    report = Report.objects.create(
        unit=actor.organisation,
        source=ReportSource.SAPA129,
        sapa_ticket=ticket,
        entered_by=actor,
        **cleaned,
    )
    _audit_staff(actor, "portal.report.sapa_enter", report, danger_now=report.danger_now)
    _start_clock(report)
    if report.danger_now:
        _alert_on_duty(report)
    return report


def _evidence_bytes(evidence):
    try:
        with default_storage.open(evidence.storage_name, "rb") as stored:
            blob = stored.read()
        data = documents.unseal(blob, public_id=evidence.public_id, key_version=evidence.key_version)
    except (OSError, DecryptionError, InvalidTag, ValueError) as exc:
        raise EvidenceUnreadable(evidence.public_id) from exc
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise EvidenceUnreadable(evidence.public_id)
    return data


def evidence_open(*, actor, evidence):
    """The plain bytes of a report's file, for the unit's intake staff; audited."""
    require_queue(actor, evidence.report)
    try:
        data = _evidence_bytes(evidence)
    except EvidenceUnreadable:
        _audit_staff(actor, "portal.evidence.download", evidence.report, outcome="unreadable")
        raise
    _audit_staff(actor, "portal.evidence.download", evidence.report, evidence=evidence.public_id)
    return data
