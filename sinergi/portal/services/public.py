"""The public side: submitting a report, tracking it with code and PIN, adding information."""

import re

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.audit.choices import Outcome
from sinergi.cases import documents
from sinergi.core.ids import insert_with_fresh_codes, new_public_id
from sinergi.notifications.services import notification_send

from .. import throttle
from ..choices import (
    MessageKind,
    ReportSource,
)
from ..models import Report, ReportMessage
from ..selectors import on_duty_staff
from ._common import (
    MESSAGE_MAX,
    TrackRefused,
    _alert_on_duty,
    _clean_report_fields,
    _dummy_pin_hash,
    _start_clock,
    audit_public,
    new_pin,
    new_tracking_code,
    normalise_code,
    seal_evidence,
)
from .receipts import form_key_digest, receipt_keep, receipt_recall

# --- public side ---------------------------------------------------------------------------------


def report_submit(*, unit, idempotency_key, uploaded_file=None, **fields):
    """Store a report from the public form; returns (report, pin, created).

    A second call with the same `idempotency_key` (a double submit, or a resubmit after the first
    answer was lost) returns the first report and created False, with its PIN when the same words
    come back within RECEIPT_MINUTES (the same receipt again, see receipts.py), else None. Either the report, its evidence, its audit
    event and its clock all exist afterwards, or none of them (a failed transaction removes the
    stored file).
    """
    if unit is None:
        raise ValidationError(_("Online reporting is not available right now. Please call us."))
    form_key = str(idempotency_key or "")[:64] or None
    key = form_key_digest(form_key) if form_key else None
    narrative = fields.get("narrative")
    if key:
        existing = Report.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, _receipt_again(existing, form_key, narrative), False
    cleaned = _clean_report_fields(fields)
    evidence = seal_evidence(uploaded_file)
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
            insert_with_fresh_codes(report, {"tracking_code": new_tracking_code, "public_id": new_public_id})
            if evidence is not None:
                evidence.report = report
                evidence.save()
            audit_public(
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
        return existing, _receipt_again(existing, form_key, narrative), False
    except BaseException:
        if evidence is not None:
            documents.delete_stored(evidence.storage_name)
        raise
    if form_key:
        receipt_keep(form_key, narrative, pin)
    return report, pin, True


def _receipt_again(report, form_key, narrative):
    """The PIN to show again to a resubmit of the same form with the same words, while it is kept."""
    pin = receipt_recall(form_key, narrative)
    return pin if pin and check_password(pin, report.pin_hash) else None


def report_lookup(*, code, pin, ip):
    """The report that `code` and `pin` open, or TrackRefused.

    A wrong pair counts against the address and against the code (whether or not a report has
    it: a locked code says nothing about its existence). Past the limits the pair is refused
    without being checked, until the window ends.
    """
    code = normalise_code(code)
    ip = ip or "unknown"
    # Each check takes its slot first (atomically): parallel requests cannot check more pairs
    # than the limits allow. A right pair gives its slots back. Without its counter (Redis down)
    # no pair is checked at all.
    try:
        if not throttle.attempt("track_ip", ip):
            throttle.refund("track_ip", ip)
            _audit_track_refused("locked_ip")
            raise TrackRefused("locked_ip")
        if code and not throttle.attempt("track_code", code):
            throttle.refund("track_code", code)
            throttle.refund("track_ip", ip)
            _audit_track_refused("locked_code")
            raise TrackRefused("locked_code")
    except throttle.Unavailable:
        _audit_track_refused("unavailable")
        raise TrackRefused("unavailable") from None
    report = (
        Report.objects.filter(tracking_code=code, source=ReportSource.DARING).select_related("case").first()
        if code
        else None
    )
    pin = re.sub(r"\s", "", str(pin or ""))[:20]
    ok = check_password(pin, report.pin_hash if report else _dummy_pin_hash()) and report is not None
    if not ok:
        _audit_track_refused("wrong", report)
        raise TrackRefused("wrong")
    throttle.refund("track_ip", ip)
    if code:
        throttle.refund("track_code", code)
    audit_public(action="portal.report.track", object_type="portal_report", object_id=report.public_id)
    return report


def _audit_track_refused(reason, report=None):
    audit_public(
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
    audit_public(
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
