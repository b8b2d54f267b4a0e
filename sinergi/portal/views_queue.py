"""The intake queue: public web and SAPA 129 reports for the unit's intake officers and kepala.

Every report URL answers like a case URL: a role without `intake.queue`, or a report of another
unit, gets the same audited 404 (`portal_report.view` denied), so no URL confirms a report exists.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.cases.selectors import cases_visible_to
from sinergi.core.files import KIND_BY_CONTENT_TYPE
from sinergi.core.forms import add_service_errors
from sinergi.core.http import content_disposition

from . import services
from .alarm import minutes_left
from .choices import OPEN_STATUSES, HarmType, MessageKind, ReportSource
from .forms import MergeForm, MessageForm, PortalSettingsForm, RejectForm, SapaReportForm, VerifyForm
from .selectors import (
    first_response_clocks,
    intake_queue,
    public_status,
    report_evidence,
    reports_visible_to,
    unit_portal_settings,
)

QUEUE_PAGE_SIZE = 50


def _report_for(request, public_id):
    return get_visible_or_404(
        request,
        reports_visible_to(request.user).select_related("case", "place_region", "unit"),
        object_type="portal_report",
        public_id=public_id,
    )


def _clock_states(reports):
    """{report public id: deadline state} of each report's first-response clock."""
    return first_response_clocks([r.public_id for r in reports], kind=services.FIRST_RESPONSE)


@require_permission("intake.queue")
@require_GET
def queue(request):
    show = "all" if request.GET.get("tampil") == "semua" else "open"
    # Danger-now first, then oldest: the first page is always what must be handled first.
    page = Paginator(intake_queue(request.user, show=show), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    reports = list(page)
    clocks = _clock_states(reports)
    rows = [(r, clocks.get(r.public_id), _alarm_left(r, clocks.get(r.public_id))) for r in reports]
    return render(
        request,
        "portal/queue.html",
        {
            "rows": rows,
            "page": page,
            "query": "tampil=semua" if show == "all" else "",
            "show": show,
            "may_enter_sapa": True,
            "may_edit_settings": has_permission(request.user, "portal.settings"),
        },
    )


def _call_link(report):
    # "Take it and call" lands here: one more tap dials the number the reporter gave.
    if report.anonymous or report.contact_method not in services.PHONE_METHODS:
        return ""
    digits = "".join(ch for ch in report.contact_detail if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""


def _alarm_left(report, clock):
    # The banner's words in the queue: minutes left for an open "danger now" report.
    if not (report.danger_now and clock and report.status in OPEN_STATUSES):
        return ""
    return minutes_left(clock[1].due_at)


def _detail_context(request, report, **forms):
    clocks = _clock_states([report])
    clock = clocks.get(report.public_id)
    return {
        "report": report,
        "call_link": _call_link(report),
        "alarm_left": _alarm_left(report, clock),
        "public_status": public_status(report),
        "is_open": report.status in OPEN_STATUSES,
        "clock": clock,
        "evidence": report.evidence.all(),
        "thread": report.messages.select_related("author"),
        "may_message": report.source == ReportSource.DARING,
        "may_register": has_permission(request.user, "case.register"),
        "case_visible": report.case_id and cases_visible_to(request.user).filter(pk=report.case_id).exists(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "message_form": forms.get("message_form") or MessageForm(),
        "MessageKind": MessageKind,
        "harm_labels": [HarmType(h).label for h in report.harm_types if h in HarmType.values],
    }


def _audit_view(request, report):
    audit_record(
        actor=request.user,
        action="portal_report.view",
        object_type="portal_report",
        object_id=report.public_id,
        case=report.case,
    )


@require_permission("intake.queue", object_type="portal_report")
@require_GET
def report_detail(request, public_id):
    report = _report_for(request, public_id)
    _audit_view(request, report)
    return render(request, "portal/report_detail.html", _detail_context(request, report))


def _redisplay(request, report, status=400, **forms):
    # The whole report again, with the form's errors: as much a read as the first look.
    _audit_view(request, report)
    return render(
        request, "portal/report_detail.html", _detail_context(request, report, **forms), status=status
    )


@require_POST
@require_permission("intake.queue", object_type="portal_report")
def acknowledge(request, public_id):
    report = _report_for(request, public_id)
    try:
        services.report_acknowledge(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report is marked as verified. The reporter now sees 'verified'."))
    return redirect("portal:report_detail", public_id=report.public_id)


# Where each of the alarm's one-tap actions goes once the report is taken.
TAKE_NEXT = {"call": "#kontak", "outreach": "#tempat", "register": None, "": ""}


@require_POST
@require_permission("intake.queue", object_type="portal_report")
def take(request, public_id):
    """The danger-now alarm's actions: take the report, then call the reporter, send outreach to
    the place told, or register the case. Someone else took it first: their name, and the report."""
    report = _report_for(request, public_id)
    then = request.POST.get("then", "")
    if then not in TAKE_NEXT or (then == "register" and not has_permission(request.user, "case.register")):
        then = ""
    try:
        services.report_take(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal:report_detail", public_id=report.public_id)
    messages.success(request, _("You took this report: the alarm is off for the others."))
    if then == "register":
        return redirect("portal:convert", public_id=report.public_id)
    return redirect(reverse("portal:report_detail", args=[report.public_id]) + TAKE_NEXT[then])


@require_permission("intake.queue", object_type="portal_report")
@require_http_methods(["GET", "POST"])
def convert(request, public_id):
    report = _report_for(request, public_id)
    if not has_permission(request.user, "case.register"):
        raise PermissionDenied
    if report.status not in OPEN_STATUSES:
        messages.error(request, _("This report has already been decided."))
        return redirect("portal:report_detail", public_id=report.public_id)
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid():
            try:
                case = services.report_verify(actor=request.user, report=report, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("Case %(number)s was registered from the report. Complete the record now.")
                    % {"number": case.registration_number},
                )
                return redirect("cases:detail", public_id=case.public_id)
        else:
            status = 400
    else:
        form = VerifyForm(initial=services.prefill_for_case(report))
    _audit_view(request, report)  # the page shows the report, with or without the form's errors
    return render(request, "portal/convert.html", {"report": report, "form": form}, status=status)


def _find_case(user, reference):
    reference = (reference or "").strip()
    return (
        cases_visible_to(user)
        .filter(Q(registration_number__iexact=reference) | Q(pseudonym__iexact=reference))
        .first()
    )


@require_POST
@require_permission("intake.queue", object_type="portal_report")
def merge(request, public_id):
    report = _report_for(request, public_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        case = _find_case(request.user, form.cleaned_data["reference"])
        if case is None:
            form.add_error("reference", _("No case you may edit has this number or code."))
        else:
            try:
                services.report_merge(actor=request.user, report=report, case=case)
            except ValidationError as exc:
                add_service_errors(form, exc, default_field="reference")
            else:
                messages.success(
                    request, _("The report was added to case %(code)s.") % {"code": case.pseudonym}
                )
                return redirect("portal:report_detail", public_id=report.public_id)
    return _redisplay(request, report, merge_form=form)


@require_POST
@require_permission("intake.queue", object_type="portal_report")
def reject(request, public_id):
    report = _report_for(request, public_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.report_reject(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="reason")
        else:
            messages.success(request, _("The report was declined. The reporter sees your reason."))
            return redirect("portal:report_detail", public_id=report.public_id)
    return _redisplay(request, report, reject_form=form)


@require_POST
@require_permission("intake.queue", object_type="portal_report")
def message(request, public_id):
    report = _report_for(request, public_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.report_message(actor=request.user, report=report, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="body")
        else:
            messages.success(request, _("The message is on the reporter's status page."))
            return redirect("portal:report_detail", public_id=report.public_id)
    return _redisplay(request, report, message_form=form)


@require_permission("intake.queue", object_type="portal_report")
@require_GET
def evidence(request, public_id, evidence_id):
    report = _report_for(request, public_id)
    item = get_visible_or_404(
        request,
        report_evidence(report),
        object_type="portal_evidence",
        public_id=evidence_id,
    )
    try:
        data = services.evidence_open(actor=request.user, evidence=item)
    except services.EvidenceUnreadable:
        return render(request, "errors/500.html", status=409)
    kind = KIND_BY_CONTENT_TYPE.get(item.content_type)
    response = HttpResponse(data, content_type=kind.content_type if kind else "application/octet-stream")
    response["Content-Disposition"] = content_disposition(item.original_name, kind)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_permission("intake.queue")
@require_http_methods(["GET", "POST"])
def sapa_enter(request):
    form = SapaReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.sapa_report_enter(
                    actor=request.user, sapa_ticket=form.cleaned_data["sapa_ticket"], **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("The SAPA 129 report is in the queue."))
                return redirect("portal:report_detail", public_id=report.public_id)
        else:
            status = 400
    return render(request, "portal/sapa.html", {"form": form}, status=status)


@require_permission("portal.settings")
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    unit = request.user.organisation
    instance = unit_portal_settings(unit)
    form = PortalSettingsForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.portal_settings_save(
                    actor=request.user, **{f: form.cleaned_data[f] for f in PortalSettingsForm.Meta.fields}
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The public pages now show these details."))
                return redirect("portal:settings")
        status = 400
    return render(request, "portal/settings.html", {"form": form, "unit": unit}, status=status)
