"""Writes of the portal: submitting and tracking a public report, and the intake officer's decisions.

Public side: `report_submit`, `report_lookup` (code + PIN, throttled), `report_add_information`.
Staff side (`intake.queue`, own unit only): `report_acknowledge`, `report_verify` (→ a registered
case, channel daring or sapa129), `report_merge` (into an existing case), `report_reject`,
`report_message`, `sapa_report_enter`, `evidence_open`; and `portal_settings_save` for the kepala.
Every write is audited in its transaction; audit details carry codes and counts, never text.
"""

import functools
import hashlib
import logging
import re
import secrets

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.cases import documents
from sinergi.cases.choices import CaseStatus, CaseType, Channel, DocumentType, RiskLevel
from sinergi.cases.choices import ReporterKind as CaseReporterKind
from sinergi.core.crypto import DecryptionError
from sinergi.notifications.services import notification_send

from . import throttle
from .choices import (
    CHILD_AGE_GROUPS,
    HARM_TO_VIOLENCE,
    OPEN_STATUSES,
    AgeGroup,
    ContactMethod,
    HarmType,
    MessageKind,
    ReporterRelation,
    ReportSource,
    ReportStatus,
    WhenHappened,
)
from .models import PortalSettings, Report, ReportEvidence, ReportMessage
from .selectors import on_duty_staff

logger = logging.getLogger(__name__)

# No 0/O/1/I/L: the code is read aloud over the phone and copied by hand. 31**9 ≈ 2.6·10^13.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 9
PIN_LENGTH = 6
NARRATIVE_MAX = 10_000
SHORT_TEXT_MAX = 200
MESSAGE_MAX = 5_000
REJECT_REASON_MIN = 10

FIRST_RESPONSE = "first_response"
PHONE_METHODS = frozenset({ContactMethod.TELEPON, ContactMethod.WHATSAPP, ContactMethod.SMS})


@functools.cache
def _dummy_pin_hash():
    """Checked when no report has the code, so a wrong code costs as long as a wrong PIN."""
    return make_password(new_pin())


class TrackRefused(Exception):
    """The code and PIN do not open a report. `reason`: wrong | locked_code | locked_ip."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class EvidenceUnreadable(Exception):
    pass


def _audit_public(**kwargs):
    """An audit event of an anonymous member of the public, without their address or browser.

    The trail is append-only: an IP address kept there beside an anonymous report could never be
    removed, and would tie the report to a household's connection. Rate limits use keyed hashes of
    the address in the cache instead (throttle.py), which expire.
    """
    from sinergi.audit import context

    token = context._context.set(context.RequestContext(request_id=context.current().request_id))
    try:
        return audit_record(actor=None, **kwargs)
    finally:
        context._context.reset(token)


# --- codes and PINs ------------------------------------------------------------------------------


def new_tracking_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_pin():
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def normalise_code(text):
    """ "7kq m4x-p2d" → "7KQM4XP2D"; anything that cannot be a code → ""."""
    code = re.sub(r"[\s\-.]", "", str(text or "")).upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def format_code(code):
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


# --- shared checks -------------------------------------------------------------------------------


def _require_queue(actor, report=None):
    if not has_permission(actor, "intake.queue") or actor.organisation_id is None:
        raise PermissionDenied
    if report is not None and report.unit_id != actor.organisation_id:
        raise PermissionDenied


def _clean_report_fields(fields):
    """Validate the fields of a new report (the form checks the same; services never trust a form)."""
    errors = {}
    narrative = (fields.get("narrative") or "").strip()
    if not narrative:
        errors["narrative"] = _("Tell us briefly what happened.")
    elif len(narrative) > NARRATIVE_MAX:
        errors["narrative"] = _("Please keep it under %(max)s characters.") % {"max": NARRATIVE_MAX}
    if fields.get("reporter_relation") not in ReporterRelation.values:
        errors["reporter_relation"] = _("Say whether it happened to you or to someone else.")
    harm = list(dict.fromkeys(fields.get("harm_types") or []))
    if any(h not in HarmType.values for h in harm):
        errors["harm_types"] = _("Choose from the list.")
    if fields.get("when_happened", WhenHappened.UNKNOWN) not in WhenHappened.values:
        errors["when_happened"] = _("Choose from the list.")
    if fields.get("victim_age_group", AgeGroup.UNKNOWN) not in AgeGroup.values:
        errors["victim_age_group"] = _("Choose from the list.")
    incident_date = fields.get("incident_date")
    if incident_date and incident_date > timezone.localdate():
        errors["incident_date"] = _("The date cannot be in the future.")
    region = fields.get("place_region")
    if region is not None and region.level < 3:
        errors["place_region"] = _("Choose a kecamatan or kelurahan.")
    method = fields.get("contact_method", ContactMethod.NONE)
    if method not in ContactMethod.values:
        errors["contact_method"] = _("Choose from the list.")
    anonymous = bool(fields.get("anonymous")) or method == ContactMethod.NONE
    detail = (fields.get("contact_detail") or "").strip()
    if not anonymous and not detail:
        errors["contact_detail"] = _("Write the number or address we may use, or choose not to be contacted.")
    for name in ("contact_detail", "contact_safe_time", "sapa_ticket"):
        if len(fields.get(name) or "") > SHORT_TEXT_MAX:
            errors[name] = _("Please keep it under %(max)s characters.") % {"max": SHORT_TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    cleaned = {
        "reporter_relation": fields["reporter_relation"],
        "narrative": narrative,
        "harm_types": harm,
        "place_region": region,
        "outside_city": bool(fields.get("outside_city")) and region is None,
        "when_happened": fields.get("when_happened") or WhenHappened.UNKNOWN,
        "incident_date": incident_date,
        "victim_age_group": fields.get("victim_age_group") or AgeGroup.UNKNOWN,
        "danger_now": bool(fields.get("danger_now")),
        "anonymous": anonymous,
        # Anonymous means no contact at all: nothing to reach the reporter by is kept.
        "contact_method": ContactMethod.NONE if anonymous else method,
        "contact_detail": "" if anonymous else detail,
        "contact_safe_time": "" if anonymous else (fields.get("contact_safe_time") or "").strip(),
    }
    return cleaned


def _seal_evidence(uploaded_file):
    """Check an upload exactly as a case document is checked; store it sealed. Returns the unsaved
    ReportEvidence (its file already in storage) or None. Raises ValidationError on `file`."""
    if uploaded_file is None:
        return None
    # The same content checks as case documents (signatures, disguised extensions, zip bombs).
    data, kind, name = documents.read_checked_upload(uploaded_file)
    evidence = ReportEvidence(
        original_name=name,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    evidence.key_version, blob = documents.seal(data, public_id=evidence.public_id)
    try:
        evidence.storage_name = default_storage.save(documents.new_storage_name(), ContentFile(blob))
    except Exception as exc:
        logger.exception("could not store the evidence of a public report")
        raise documents.DocumentStorageError from exc
    return evidence


def _start_clock(report):
    from sinergi.deadlines.services import deadline_start

    deadline_start(
        kind=FIRST_RESPONSE,
        unit=report.unit,
        started_at=report.submitted_at,
        subject=report,
        risk=RiskLevel.TINGGI if report.danger_now else "",
    )


def _hand_over_clock(report, case, actor):
    from sinergi.deadlines.services import deadline_handover

    deadline_handover(subject=report, case=case, actor=actor)


def _stop_clock(report, actor):
    from sinergi.deadlines.services import deadline_stop

    deadline_stop(kind=FIRST_RESPONSE, stopped_at=timezone.now(), subject=report, actor=actor)


def _absolute(link):
    # The installation's public address is its first trusted origin (as for other e-mails).
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None) or [""]
    return f"{origins[0].rstrip('/')}{link}"


def _alert_on_duty(report):
    """In-app and e-mail alert to the unit's on-duty staff; no names, no narrative, only a link."""
    link = reverse("portal:report_detail", args=[report.public_id])
    message = _("Urgent: a new report says someone is in danger now. Open the intake queue.")
    recipients = on_duty_staff(report.unit)
    for user in recipients:
        notification_send(recipient=user, kind="portal.danger_now", message=message, link=link)
    emails = [u.email for u in recipients if u.email]
    own = PortalSettings.objects.filter(unit=report.unit).values_list("alert_email", flat=True).first()
    if own:
        emails.append(own)
    if emails:
        subject = _("Sinergi: urgent report waiting")
        body = _(
            "A report from the public says someone is in danger now. Log in to Sinergi and open "
            "the intake queue: %(link)s\n\nThis e-mail carries no personal data."
        ) % {"link": _absolute(link)}

        def send():
            try:
                send_mail(subject, body, None, sorted(set(emails)))
            except Exception:  # the in-app alert stands; the mail server's failure is logged
                logger.exception("could not e-mail the danger-now alert of report %s", report.public_id)

        transaction.on_commit(send)


# --- public side ---------------------------------------------------------------------------------


def report_submit(*, unit, idempotency_key, uploaded_file=None, **fields):
    """Store a report from the public form; returns (report, pin, created).

    A second call with the same `idempotency_key` (a double submit) returns the first report with
    pin None and created False. Either the report, its evidence, its audit event and its clock
    all exist afterwards, or none of them (a failed transaction removes the stored file).
    """
    if unit is None:
        raise ValidationError(_("Online reporting is not available right now. Please call us."))
    key = str(idempotency_key or "")[:64] or None
    if key:
        existing = Report.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, None, False
    cleaned = _clean_report_fields(fields)
    evidence = _seal_evidence(uploaded_file)
    pin = new_pin()
    try:
        with transaction.atomic():
            report = Report(
                unit=unit,
                source=ReportSource.DARING,
                pin_hash=make_password(pin),
                idempotency_key=key,
                **cleaned,
            )
            for _attempt in range(5):
                report.tracking_code = new_tracking_code()
                if not Report.objects.filter(tracking_code=report.tracking_code).exists():
                    break
            report.save()
            if evidence is not None:
                evidence.report = report
                evidence.save()
            _audit_public(
                action="portal.report.submit",
                object_type="portal_report",
                object_id=report.public_id,
                details={
                    "source": report.source,
                    "danger_now": report.danger_now,
                    "anonymous": report.anonymous,
                    "evidence": evidence is not None,
                },
            )
            _start_clock(report)
            if report.danger_now:
                _alert_on_duty(report)
    except IntegrityError:
        # The same form submitted twice at the same moment: the other request stored it.
        if evidence is not None:
            documents.delete_stored(evidence.storage_name)
        existing = Report.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, None, False
    except BaseException:
        if evidence is not None:
            documents.delete_stored(evidence.storage_name)
        raise
    return report, pin, True


def report_lookup(*, code, pin, ip):
    """The report that `code` and `pin` open, or TrackRefused.

    A wrong pair counts against the address and against the code (whether or not a report has
    it: a locked code says nothing about its existence). Past the limits the pair is refused
    without being checked, until the window ends.
    """
    code = normalise_code(code)
    ip = ip or "unknown"
    if throttle.blocked("track_ip", ip):
        _audit_track_refused("locked_ip")
        raise TrackRefused("locked_ip")
    if code and throttle.blocked("track_code", code):
        _audit_track_refused("locked_code")
        raise TrackRefused("locked_code")
    report = (
        Report.objects.filter(tracking_code=code, source=ReportSource.DARING).select_related("case").first()
        if code
        else None
    )
    pin = re.sub(r"\s", "", str(pin or ""))[:20]
    ok = check_password(pin, report.pin_hash if report else _dummy_pin_hash()) and report is not None
    if not ok:
        throttle.hit("track_ip", ip)
        if code:
            throttle.hit("track_code", code)
        _audit_track_refused("wrong", report)
        raise TrackRefused("wrong")
    _audit_public(action="portal.report.track", object_type="portal_report", object_id=report.public_id)
    return report


def _audit_track_refused(reason, report=None):
    _audit_public(
        action="portal.report.track",
        outcome=Outcome.FAILED,
        object_type="portal_report",
        # Only a report that exists is named: a guessed code is not written down.
        object_id=report.public_id if report else "",
        details={"reason": reason},
    )


@transaction.atomic
def report_add_information(*, report, text):
    """The reporter adds information to their report (after opening it with code and PIN)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the information you want to add.")})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({"text": _("Please keep it under %(max)s characters.") % {"max": MESSAGE_MAX}})
    message = ReportMessage.objects.create(report=report, kind=MessageKind.FROM_REPORTER, body=text)
    _audit_public(
        action="portal.report.add_information",
        object_type="portal_report",
        object_id=report.public_id,
        case=report.case,
        details={"length": len(text)},
    )
    link = reverse("portal:report_detail", args=[report.public_id])
    for user in on_duty_staff(report.unit):
        notification_send(
            recipient=user,
            kind="portal.information_added",
            message=_("A reporter added information to a public report."),
            link=link,
        )
    return message


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
    return Report.objects.select_for_update().get(pk=report.pk)


def _require_open(report):
    if report.status not in OPEN_STATUSES:
        raise ValidationError(_("This report has already been decided."), code="decided")


@transaction.atomic
def report_acknowledge(*, actor, report):
    """Mark a waiting report as verified (read and found genuine); the reporter sees `diverifikasi`."""
    _require_queue(actor, report)
    report = _lock(report)
    if report.status != ReportStatus.MENUNGGU:
        raise ValidationError(_("This report is no longer waiting."), code="not_waiting")
    report.status = ReportStatus.DIVERIFIKASI
    report.verified_at, report.verified_by = timezone.now(), actor
    report.save(update_fields=["status", "verified_at", "verified_by"])
    _audit_staff(actor, "portal.report.acknowledge", report)
    return report


def _victim_from(report):
    violence = sorted({HARM_TO_VIOLENCE[h] for h in report.harm_types if h in HARM_TO_VIOLENCE})
    victim = {"violence_types": violence}
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
    from sinergi.cases.record import case_register

    _require_queue(actor, report)
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
    from sinergi.cases.record import can_edit_case

    _require_queue(actor, report)
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
    _require_queue(actor, report)
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
    _require_queue(actor, report)
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
    _require_queue(actor)
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
    _require_queue(actor, evidence.report)
    try:
        data = _evidence_bytes(evidence)
    except EvidenceUnreadable:
        _audit_staff(actor, "portal.evidence.download", evidence.report, outcome="unreadable")
        raise
    _audit_staff(actor, "portal.evidence.download", evidence.report, evidence=evidence.public_id)
    return data


@transaction.atomic
def portal_settings_save(*, actor, **fields):
    """The kepala's own unit's public contact details."""
    if not has_permission(actor, "portal.settings") or actor.organisation_id is None:
        raise PermissionDenied
    allowed = {"hotline", "whatsapp", "office_address", "opening_hours", "alert_email"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown portal settings: {sorted(unknown)}")
    own, _created = PortalSettings.objects.select_for_update().get_or_create(unit=actor.organisation)
    changed = [f for f, v in fields.items() if getattr(own, f) != v]
    for f, v in fields.items():
        setattr(own, f, v)
    own.updated_by = actor
    own.save()
    audit_record(
        actor=actor,
        action="portal.settings.update",
        object_type="organisation",
        object_id=actor.organisation.public_id,
        changes=dict.fromkeys(changed, "changed"),
    )
    return own


def case_is_closed(case):
    return case is not None and case.status == CaseStatus.CLOSED
