"""What the portal services share: limits, tracking codes and PINs, the checks of a report's
fields, sealed evidence, the first-response clock and the alert to the staff on duty.
"""

import functools
import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import context
from sinergi.audit.services import audit_record
from sinergi.cases import documents
from sinergi.cases.choices import RiskLevel
from sinergi.deadlines.services import deadline_handover, deadline_start, deadline_stop
from sinergi.notifications.services import notification_send

from ..alarm import alarm_headline, minutes_left
from ..choices import (
    AgeGroup,
    ContactMethod,
    HarmType,
    ReporterRelation,
    WhenHappened,
)
from ..models import PortalSettings, ReportEvidence
from ..selectors import first_response_clocks, on_duty_staff

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
    """The code and PIN do not open a report. `reason`: wrong | locked_code | locked_ip | unavailable
    (the attempt counter cannot be reached, so no PIN is checked)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class EvidenceUnreadable(Exception):
    pass


def audit_public(**kwargs):
    """An audit event of an anonymous member of the public, without their address or browser.

    The trail is append-only: an IP address kept there beside an anonymous report could never be
    removed, and would tie the report to a household's connection. Rate limits use keyed hashes of
    the address in the cache instead (throttle.py), which expire.
    """

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


def seal_evidence(uploaded_file):
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
    deadline_start(
        kind=FIRST_RESPONSE,
        unit=report.unit,
        started_at=report.submitted_at,
        subject=report,
        risk=RiskLevel.TINGGI if report.danger_now else "",
    )


def _hand_over_clock(report, case, actor):
    deadline_handover(subject=report, case=case, actor=actor)


def _stop_clock(report, actor):
    deadline_stop(kind=FIRST_RESPONSE, stopped_at=timezone.now(), subject=report, actor=actor)


def _absolute(link):
    # The installation's public address is its first trusted origin (as for other e-mails).
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None) or [""]
    return f"{origins[0].rstrip('/')}{link}"


def _alert_on_duty(report):
    """In-app and e-mail alert to the unit's on-duty staff; no names, no narrative, only a link."""
    link = reverse("portal:report_detail", args=[report.public_id])
    # The banner's and the queue's words (sinergi.portal.alarm): the code and the minutes left.
    clock = first_response_clocks([report.public_id], kind=FIRST_RESPONSE).get(report.public_id)
    message = " · ".join(
        part
        for part in (
            alarm_headline(report),
            minutes_left(clock[1].due_at) if clock else "",
            _("Take it from the red banner at the top of your pages."),
        )
        if part
    )
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
