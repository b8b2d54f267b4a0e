"""The coordination-meeting report (rakor lintas sektoral) as a PDF, made with WeasyPrint.

Black-and-white safe: charts use patterns and printed values, tables carry every figure. Only
local fonts (fontconfig: DejaVu Sans is installed with the system) and no network: the URL
fetcher accepts data: URLs only, and the page links to nothing.

A few pages take about a second; `meeting_report_pdf` is a plain function so that a background
job can call it when a long period makes it slow (sinergi.reports jobs).
"""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.coordination.choices import OPEN_STATUSES
from sinergi.coordination.selectors import action_items_visible_to, case_code_for, with_case_visibility

from . import aggregates as A
from . import charts
from .jobs import JobOutput, job_runner
from .protected import figures_as_seen, sees_detail, whole_months

PDF_FIGURES = [
    "cases_by_year",
    "cases_by_month",
    "tpks_tppo_by_year",
    "victims_by_violence_type",
    "victims_by_sex",
    "victims_by_age_band",
    "victims_child_adult",
    "cases_by_kecamatan",
    "cases_by_place",
    "perpetrators_by_relationship",
    "services_given",
    "cases_by_gbvims_type",
    "cases_by_step",
]
PERFORMANCE_FIGURES = ["deadline_compliance", "first_response_median", "referrals_by_agency"]
MAX_ACTION_ITEMS = 50


def _fetcher():
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 (WeasyPrint: only where a PDF is made)

    return URLFetcher(allowed_protocols={"data"})


def open_action_items(user, units):
    """The units' open action items that `user` may open, oldest due first (sinergi.coordination).

    The same rule as the action-item board: an item the reader would get a 404 on is not in
    their report, and a case's code only where they may see it (case_code_for).
    """
    items = (
        with_case_visibility(action_items_visible_to(user), user)
        .filter(unit__in=units, status__in=OPEN_STATUSES)
        .select_related("assignee_organisation", "meeting", "case")
        .order_by("due_date", "id")[:MAX_ACTION_ITEMS]
    )
    today = timezone.localdate()
    rows = []
    for item in items:
        code, _may_open = case_code_for(user, item.case, case_visible=item.case_visible)
        rows.append(
            {
                "reference": item.reference,
                "description": item.description,
                "agency": str(item.assignee_organisation or "—"),
                "due": item.due_date,
                "overdue": item.due_date < today,
                "status": item.get_status_display(),
                "case": code or "",
            }
        )
    return rows


def meeting_report_context(*, user, unit_scope, period, aggregate_only):
    units = list(unit_scope)
    scope = A.Scope.of(units, period)
    figures = []
    for key in PDF_FIGURES:
        figure = A.figure(key, scope)
        if key == "cases_by_year" and len(figure.columns) == 4:
            figure.columns = [figure.columns[0], figure.columns[2]]
            for row in figure.rows:
                row.values = [row.values[0], row.values[2]]
        figures.append(figure)
    figures = figures_as_seen(figures, scope, aggregate_only=aggregate_only)
    sections = [{"figure": f, "chart": charts.figure_chart(f)} for f in figures]
    performance = [
        {"figure": f, "chart": ""}
        for f in figures_as_seen(
            [A.figure(key, scope) for key in PERFORMANCE_FIGURES], scope, aggregate_only=aggregate_only
        )
    ]
    actions = open_action_items(user, units)
    return {
        "aggregate_only": aggregate_only,
        "units": ", ".join(str(u) for u in units),
        "period": period.describe(),
        "generated": timezone.localtime(),
        "sections": sections,
        "performance": performance,
        "actions": actions,
        "max_actions": MAX_ACTION_ITEMS,
    }


def meeting_report_html(*, user, unit_scope, period, aggregate_only):
    context = meeting_report_context(
        user=user, unit_scope=unit_scope, period=period, aggregate_only=aggregate_only
    )
    return render_to_string("reports/meeting_report.html", context)


def meeting_report_pdf(*, user, unit_scope, period, aggregate_only) -> bytes:
    """The meeting report for `user`, the units in `unit_scope` (Organisations) and `period`
    (aggregates.Period); `aggregate_only` readers get protected figures (sinergi.reports.protected)."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 (WeasyPrint: only where a PDF is made)

    html = meeting_report_html(user=user, unit_scope=unit_scope, period=period, aggregate_only=aggregate_only)
    css = CSS(string=render_to_string("reports/meeting_report.css"), url_fetcher=_fetcher())
    document = HTML(string=html, url_fetcher=_fetcher(), base_url=None)
    return document.write_pdf(stylesheets=[css])


def default_period():
    """The current year up to today: what the meeting usually discusses."""
    today = timezone.localdate()
    return A.Period(dt.date(today.year, 1, 1), today)


def title():
    return _("Meeting report: violence against women and children")


# --- as a background job (sinergi.reports.jobs) -----------------------------------------------------


def job_params(*, units, all_units, period):
    """The job's params: dates as ISO strings and the chosen unit (blank: every unit in scope)."""
    return {
        "date_from": period.start.isoformat() if period.start else "",
        "date_to": period.end.isoformat() if period.end else "",
        "unit": "" if len(units) == len(all_units) else units[0].public_id,
    }


def _job_scope(job):
    """Units and period of a job, re-checked against the requester's rights when it runs."""

    user = job.requested_by
    if not has_permission(user, "stats.view"):
        raise PermissionError("the requester may no longer see statistics")
    units = A.stats_units(user)
    code = job.params.get("unit") or ""
    if code:
        units = [u for u in units if u.public_id == code]
        if not units:
            raise PermissionError("the unit is outside the requester's scope")

    def day(value):
        return dt.date.fromisoformat(value) if value else None

    period = A.Period(day(job.params.get("date_from")), day(job.params.get("date_to")))
    aggregate_only = not sees_detail(user, units)
    if aggregate_only:
        period, _snapped = whole_months(period)
    return units, period, aggregate_only


@job_runner("meeting_pdf")
def run_meeting_pdf_job(job, progress):
    progress(5, _("Counting the figures"))
    units, period, aggregate_only = _job_scope(job)
    html = meeting_report_html(
        user=job.requested_by, unit_scope=units, period=period, aggregate_only=aggregate_only
    )
    progress(50, _("Typesetting the PDF"))
    from weasyprint import CSS, HTML  # noqa: PLC0415 (WeasyPrint: only where a PDF is made)

    css = CSS(string=render_to_string("reports/meeting_report.css"), url_fetcher=_fetcher())
    data = HTML(string=html, url_fetcher=_fetcher(), base_url=None).write_pdf(stylesheets=[css])
    stamp = timezone.localdate().strftime("%Y%m%d")
    return JobOutput(
        data=data,
        file_name=f"sinergi-laporan-rapat-{stamp}.pdf",
        content_type="application/pdf",
        result={"pages": data.count(b"/Type /Page\n") or None},
    )
