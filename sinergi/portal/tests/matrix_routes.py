"""The portal's routes in the permission matrix (vocabulary: sinergi/testing/matrix.py).

The public pages are public by design (issue 8). Every intake-queue route is for the unit's
intake officer and kepala (`intake.queue`); a report URL answers like a case URL: an audited 404
for any other role and for another unit's head.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sinergi.core import files as documents
from sinergi.portal.models import Report, ReportEvidence, ReportMessage
from sinergi.testing.matrix import Guarded, Row, _post_only, _url, public, statuses

INTAKE = "kepala petugas"  # intake.queue, in the report's unit
INTAKE_ANY_UNIT = "kepala petugas kepala_provinsi kepala_luar"  # hold intake.queue somewhere
KEPALAS = "kepala kepala_provinsi kepala_luar"
EVIDENCE_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _report_id(w):
    return w.portal_report.public_id


def _report_row(name, *, method="get", data=None, expect=None, effect=None, effect_for=None):
    return Row(
        url=_url(name, _report_id),
        method=method,
        data=data,
        expect=expect or statuses({200: INTAKE}, default=404),
        denied="portal_report.view",
        effect=effect,
        effect_for=effect_for,
    )


def _status_is(status):
    return lambda w: Report.objects.filter(pk=w.portal_report.pk, status=status).exists()


ROUTES = {
    "portal:help": public("the public help page: emergency numbers, the unit's hotline and office"),
    "portal:logo": public(
        "the receiving unit's official logo, so the public pages show whose service they are"
    ),
    "portal:report": public("the public report form (anyone may report, anonymously: UU TPKS Ps 39)"),
    "portal:track": public("a reporter enters the tracking code and PIN (both POSTed, throttled)"),
    "portal:status": public("a reporter's status page; opens only after a right code and PIN in the session"),
    "portal:safety": public("tips on browsing safely"),
    "portal:exit": public("the neutral page the quick exit leads to; clears the portal's session marker"),
    "portal:queue": Guarded(
        permission="intake.queue",
        rows=(
            Row(
                url=_url("portal:queue"),
                expect=statuses({200: INTAKE_ANY_UNIT}, default=403),
                shows=((lambda w: w.portal_report.display_code, INTAKE),),
            ),
        ),
    ),
    "portal:sapa": Guarded(
        permission="intake.queue",
        rows=(Row(url=_url("portal:sapa"), expect=statuses({200: INTAKE_ANY_UNIT}, default=403)),),
    ),
    "portal:settings": Guarded(
        permission="portal.settings",
        rows=(Row(url=_url("portal:settings"), expect=statuses({200: KEPALAS}, default=403)),),
    ),
    "portal:report_detail": Guarded(
        permission="intake.queue",
        rows=(
            Row(
                url=_url("portal:report_detail", _report_id),
                expect=statuses({200: INTAKE}, default=404),
                denied="portal_report.view",
                shows=((lambda w: w.portal_report.narrative, INTAKE),),
            ),
        ),
    ),
    "portal:convert": Guarded(permission="intake.queue", rows=(_report_row("portal:convert"),)),
    "portal:evidence": Guarded(
        permission="intake.queue",
        rows=(
            Row(
                url=_url("portal:evidence", _report_id, lambda w: w.portal_evidence.public_id),
                expect=statuses({200: INTAKE}, default=404),
                denied="portal_report.view",
            ),
        ),
    ),
    "portal:acknowledge": Guarded(
        permission="intake.queue",
        rows=(
            _post_only("portal:acknowledge", _report_id),
            _report_row(
                "portal:acknowledge",
                method="post",
                expect=statuses({302: INTAKE}, default=404),
                effect=_status_is("diverifikasi"),
            ),
        ),
    ),
    "portal:take": Guarded(
        permission="intake.queue",
        rows=(
            _post_only("portal:take", _report_id),
            _report_row(
                "portal:take",
                method="post",
                data=lambda w: {"then": "call"},
                expect=statuses({302: INTAKE}, default=404),
                effect=lambda w: Report.objects.filter(
                    pk=w.portal_report.pk, taken_at__isnull=False
                ).exists(),
            ),
        ),
    ),
    "portal:reject": Guarded(
        permission="intake.queue",
        rows=(
            _post_only("portal:reject", _report_id),
            _report_row(
                "portal:reject",
                method="post",
                data=lambda w: {"reason": "Laporan ini bukan wewenang unit kami; hubungi SAPA 129."},
                expect=statuses({302: INTAKE}, default=404),
                effect=_status_is("ditolak"),
            ),
        ),
    ),
    "portal:message": Guarded(
        permission="intake.queue",
        rows=(
            _post_only("portal:message", _report_id),
            _report_row(
                "portal:message",
                method="post",
                data=lambda w: {"body": "Kami sudah membaca laporan Anda."},
                expect=statuses({302: INTAKE}, default=404),
                effect=lambda w: ReportMessage.objects.filter(report=w.portal_report).exists(),
            ),
        ),
    ),
    "portal:merge": Guarded(
        permission="intake.queue",
        rows=(
            _post_only("portal:merge", _report_id),
            # The kepala may edit every unit case; the intake officer is not on this case's team,
            # so the form comes back with an error (400) and nothing changes.
            _report_row(
                "portal:merge",
                method="post",
                data=lambda w: {"reference": w.unit_case.registration_number},
                expect=statuses({302: "kepala", 400: "petugas"}, default=404),
                effect=lambda w: Report.objects.filter(pk=w.portal_report.pk, case=w.unit_case).exists(),
                effect_for=frozenset({"kepala"}),
            ),
        ),
    ),
}


def world_extras(w):
    """A waiting "danger now" web report of the unit, with one evidence file (sealed as the service
    would)."""
    report = Report.objects.create(
        unit=w.orgs.unit,
        danger_now=True,
        tracking_code="M4TRXKS22",
        pin_hash="!",
        reporter_relation="self",
        narrative="Laporan matriks: tetangga berteriak setiap malam.",
    )
    evidence = ReportEvidence(report=report, original_name="bukti.png", content_type="image/png")
    evidence.size = len(EVIDENCE_BYTES)
    evidence.sha256 = hashlib.sha256(EVIDENCE_BYTES).hexdigest()
    evidence.key_version, blob = documents.seal(EVIDENCE_BYTES, public_id=evidence.public_id)
    evidence.storage_name = default_storage.save(documents.new_storage_name(), ContentFile(blob))
    evidence.save()
    return {"portal_report": report, "portal_evidence": evidence}
