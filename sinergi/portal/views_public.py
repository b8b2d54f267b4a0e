"""The public pages: help, the report form, tracking, the quick-exit page and safe-browsing tips.

No login (each view is @login_not_required). Every response is `no-store` (SecurityHeadersMiddleware).
No personal data in a URL: the tracking code and PIN are POSTed, and the status page finds its
report through a short-lived signed marker in the session, which the quick exit removes.

Each form posts to its own page's URL: browsers treat a same-URL navigation as a replacement of the
history entry, so reporting and tracking add no entries to the tab's history (docs/portal.md).
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.audit.context import client_ip
from sinergi.core import files as documents
from sinergi.core.forms import add_service_errors
from sinergi.core.http import UploadLimitHandler

from . import services, throttle
from .choices import MessageKind, ReportStatus
from .forms import AddInformationForm, ReportForm, TrackForm
from .selectors import LOGO_TYPES, portal_unit, public_status, tracked_report, unit_contacts, unit_logo_path

logger = logging.getLogger(__name__)

TRACK_SESSION_KEY = "portal_track"
TRACK_SALT = "sinergi.portal.track"
#: How long the status page stays open without activity.
TRACK_MINUTES = 15

DATABASE_DOWN_MESSAGE = gettext_lazy(
    "We could not receive the report just now, so it was not sent. "
    "Your text is still below: please try again in a moment, or call us."
)

STATUS_STEPS = (ReportStatus.MENUNGGU, ReportStatus.DIVERIFIKASI, ReportStatus.DIPROSES, ReportStatus.SELESAI)


def _base_context(unit=None):
    unit = unit or portal_unit()
    return {"portal_unit": unit, "contacts": unit_contacts(unit)}


def _render(request, template, context=None, status=200, base=None):
    return render(request, template, {**(base or _base_context()), **(context or {})}, status=status)


@login_not_required
@require_GET
def help_page(request):
    return _render(request, "portal/help.html")


@login_not_required
@require_GET
def logo(request):
    """The receiving unit's official logo, from the operator's branding folder (docs/configuration.md)."""
    path = unit_logo_path(portal_unit())
    if path is None:
        raise Http404
    content_type = LOGO_TYPES[path.suffix.lower().lstrip(".")]
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def safety(request):
    return _render(request, "portal/safety.html")


@login_not_required
@require_GET
def quick_exit(request):
    """A neutral page with nothing about Sinergi, violence or help on it. The portal's session
    markers go: a status page cannot be reopened with the back button."""
    request.session.pop(TRACK_SESSION_KEY, None)
    return render(request, "portal/neutral.html", {"outside": settings.SINERGI_QUICK_EXIT_URL})


# --- the report form ---------------------------------------------------------------------------


# The upload handler must be in place before anything reads the body (the CSRF check does): the
# outer view is exempt and the inner one runs the same check (as for case documents).
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "POST":
        request.upload_handlers.insert(0, UploadLimitHandler(request, documents.max_upload_bytes()))
    return _report(request)


@csrf_protect
def _report(request):
    if request.method != "POST":
        return _render(request, "portal/report.html", {"form": ReportForm()})
    data, files = request.POST, request.FILES  # reading the body sets sinergi_upload_too_large
    too_large = getattr(request, "sinergi_upload_too_large", False)
    try:
        return _report_post(request, ReportForm(data, files, too_large=too_large))
    except (OperationalError, InterfaceError):
        # The database is unreachable: nothing was stored. Keep what she typed and say so calmly.
        logger.warning("portal report: database unreachable, the form is shown again")
        form = ReportForm(data, too_large=too_large, offline=True)
        form.is_valid()
        form.add_error(None, DATABASE_DOWN_MESSAGE)
        base = {"portal_unit": None, "contacts": None, "database_down": True}
        return _render(request, "portal/report.html", {"form": form}, status=503, base=base)


#: The limits a report counts against: (scope, whether the address is its key).
REPORT_SCOPES = (("report_ip", True), ("report_global", False))


def _report_post(request, form):
    """Take the report's slots in the limits first (atomically: parallel submissions cannot pass
    a limit), then decide; a report that is not stored gives its slots back, except that a filled
    honeypot still counts against its address."""
    ip = client_ip(request) or "unknown"
    within = [throttle.attempt(scope, ip if by_address else "") for scope, by_address in REPORT_SCOPES]
    kept = set()
    try:
        response, kept = _report_decide(request, form, ip, all(within))
        return response
    finally:
        for scope, by_address in REPORT_SCOPES:
            if scope not in kept:
                throttle.refund(scope, ip if by_address else "")


def _report_decide(request, form, ip, within_limits):
    """(the response, the limits the attempt stays counted in)."""
    base = _base_context()  # read before storing: after the commit nothing may stand in the receipt's way
    unit = base["portal_unit"]
    status = 200
    if not within_limits:
        form.is_valid()  # shows the typed values back; nothing is stored
        form.add_error(
            None,
            _(
                "Too many reports have been sent from here in a short time, so this one was not sent. "
                "Your text is still below: please try again in an hour, or call us now."
            ),
        )
        services.audit_public(
            action="portal.report.submit", outcome="denied", details={"reason": "rate_limit"}
        )
        status = 429
    elif form.honeypot_filled:
        # Only robots fill the hidden field: store nothing, count it against the address.
        services.audit_public(action="portal.report.submit", outcome="denied", details={"reason": "honeypot"})
        form.is_valid()
        form.add_error(None, _("The report could not be sent. Please check the form and try again."))
        return _report_page(request, form, 400, base), {"report_ip"}
    elif unit is None:
        form.is_valid()
        form.add_error(None, _("Online reporting is not available right now. Please call us."))
        status = 503
    elif form.is_valid():
        try:
            report_obj, pin, created = services.report_submit(
                unit=unit,
                idempotency_key=form.cleaned_data.get("idempotency_key"),
                uploaded_file=form.cleaned_data.get("evidence"),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except documents.DocumentStorageError:
            form.add_error(None, _("The file could not be stored, so nothing was sent. Please try again."))
            status = 503
        else:
            kept = {scope for scope, _by_address in REPORT_SCOPES} if created else set()
            return _receipt(request, report_obj, pin, base), kept
    return _report_page(request, form, 400 if status == 200 else status, base), set()


def _report_page(request, form, status, base):
    file_lost = bool(request.FILES.get("evidence")) or getattr(request, "sinergi_upload_too_large", False)
    return _render(
        request, "portal/report.html", {"form": form, "file_lost": file_lost}, status=status, base=base
    )


def _receipt(request, report_obj, pin, base):
    """The receipt of a stored report. The report is committed: whatever fails now (the page
    around it), she still gets her code and PIN."""
    if pin is None:
        return _render(request, "portal/receipt.html", {"duplicate": True}, base=base)
    context = {"code": report_obj.display_code, "pin": pin, "danger_now": report_obj.danger_now}
    try:
        # The code and PIN are shown in this response (and again to a resubmit of the same form
        # and words for a short while, services/receipts.py): they are kept nowhere in clear.
        return _render(request, "portal/receipt.html", context, base=base)
    except Exception:
        logger.exception("portal report: the receipt page failed; the plain receipt is shown")
        return HttpResponse(loader.get_template("portal/receipt_plain.html").render(context))


# --- tracking ----------------------------------------------------------------------------------


def _tracked_report(request):
    marker = request.session.get(TRACK_SESSION_KEY)
    if not marker:
        return None
    try:
        public_id = signing.loads(marker, salt=TRACK_SALT, max_age=TRACK_MINUTES * 60)
    except signing.BadSignature:
        request.session.pop(TRACK_SESSION_KEY, None)
        return None
    report_obj = tracked_report(public_id)
    if report_obj is None:
        request.session.pop(TRACK_SESSION_KEY, None)
        return None
    # Sliding: every visit keeps the page open for another TRACK_MINUTES.
    request.session[TRACK_SESSION_KEY] = signing.dumps(public_id, salt=TRACK_SALT)
    return report_obj


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report_obj = services.report_lookup(
                    code=form.cleaned_data["code"], pin=form.cleaned_data["pin"], ip=client_ip(request)
                )
            except services.TrackRefused as refused:
                form.add_error(None, _track_refusal(refused.reason))
                status = {"locked_code": 429, "locked_ip": 429, "unavailable": 503}.get(refused.reason, 400)
            else:
                request.session.cycle_key()
                request.session[TRACK_SESSION_KEY] = signing.dumps(report_obj.public_id, salt=TRACK_SALT)
                return redirect("portal:status")
        else:
            status = 400
    return _render(request, "portal/track.html", {"form": form}, status=status)


def _track_refusal(reason):
    if reason == "unavailable":
        return _(
            "Reports cannot be checked right now. Please try again in a few minutes. "
            "If you need help now, call us or SAPA 129."
        )
    if reason == "locked_code":
        return _(
            "Too many wrong PINs were tried for this code, so it is locked for an hour. "
            "If you need help now, call us or SAPA 129."
        )
    if reason == "locked_ip":
        return _(
            "Too many wrong attempts from here. Please wait 15 minutes. If you need help now, call us or SAPA 129."
        )
    return _("The tracking code or the PIN is not right. Check both and try again.")


def _add_info_slot(ip):
    """Take a slot for one addition before it is checked (parallel additions cannot pass the
    limit); False, with the slot given back, once the limit is reached."""
    if throttle.attempt("add_info_ip", ip):
        return True
    throttle.refund("add_info_ip", ip)
    return False


@login_not_required
@require_http_methods(["GET", "POST"])
def status(request):
    report_obj = _tracked_report(request)
    if report_obj is None:
        messages.info(request, _("Enter your tracking code and PIN to see your report."))
        return redirect("portal:track")
    form = AddInformationForm()
    code = 200
    if request.method == "POST":
        if request.POST.get("action") == "end":
            request.session.pop(TRACK_SESSION_KEY, None)
            return redirect("portal:track")
        form = AddInformationForm(request.POST)
        ip = client_ip(request) or "unknown"
        if public_status(report_obj) == ReportStatus.SELESAI:
            form.add_error(None, _("This report is finished. To report something new, use the report form."))
            code = 400
        elif not _add_info_slot(ip):
            form.is_valid()
            form.add_error(
                None, _("Too many additions from here in a short time. Please try again in an hour.")
            )
            code = 429
        elif form.is_valid():
            try:
                services.report_add_information(report=report_obj, text=form.cleaned_data["text"])
            except ValidationError as exc:
                throttle.refund("add_info_ip", ip)  # nothing was added
                form.add_error("text", exc.error_dict.get("text", exc.messages))
                code = 400
            else:
                messages.success(request, _("Thank you. Your information was added to the report."))
                return redirect("portal:status")
        else:
            throttle.refund("add_info_ip", ip)  # an invalid form adds nothing
            code = 400
    current = public_status(report_obj)
    context = {
        "report": report_obj,
        "current": current,
        "current_label": ReportStatus(current).label,
        "steps": [(s, ReportStatus(s).label) for s in STATUS_STEPS],
        "step_index": STATUS_STEPS.index(current) if current in STATUS_STEPS else -1,
        "officer_messages": report_obj.messages.filter(kind=MessageKind.TO_REPORTER),
        "additions": report_obj.messages.filter(kind=MessageKind.FROM_REPORTER).count(),
        "form": form,
        "minutes": TRACK_MINUTES,
    }
    return _render(request, "portal/status.html", context, status=code)
