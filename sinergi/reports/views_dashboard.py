"""The statistics dashboard (laporan/), its CSV downloads and the meeting report PDF."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.access import has_permission, permission_scope
from sinergi.accounts.guards import require_permission
from sinergi.audit.services import audit_record

from . import aggregates, charts, jobs
from .csvutil import csv_response
from .filters import filter_for
from .gbvims import gbvims_rows, gbvims_table
from .pdf import job_params, meeting_report_pdf
from .protected import figures_as_seen, last_closed_day


def _describe_units(units):
    return ", ".join(str(u) for u in units)


@require_permission("stats.view")
def dashboard(request):
    form, scope = filter_for(request)
    figures = figures_as_seen(aggregates.dashboard_figures(scope), scope, aggregate_only=form.aggregate_only)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "period": scope.period.describe(),
        "units": _describe_units(form.chosen_units()),
        "figures": [
            {"figure": f, "chart": charts.figure_chart(f), "csv_url": _csv_url(f.key, query)} for f in figures
        ],
        "aggregate_only": form.aggregate_only,
        "snapped": form.snapped,
        "can_gbvims": has_permission(request.user, "stats.gbvims"),
        "can_publish": has_permission(request.user, "stats.publish"),
    }
    return render(request, "reports/dashboard.html", context)


def _csv_url(key, query):
    url = reverse("reports:figure_csv", args=[key])
    return f"{url}?{query}" if query else url


def figure_rows(figure, *, period, units):
    """The CSV of one figure: a short header saying what it is, then the table."""
    rows = [
        [figure.title],
        [_("Period (report date)"), period],
        [_("Units"), units],
        [_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
    ]
    if figure.note:
        rows.append([_("Note"), figure.note])
    rows.append([])
    rows.append([_("Code"), _("Category"), *figure.columns])
    rows += [[r.code, r.label, *r.values] for r in figure.rows]
    if figure.kind == "categories" and figure.totals:
        rows.append(["", _("Total"), *figure.totals])
    return rows


@require_permission("stats.view")
def figure_csv(request, key):
    if key not in aggregates.FIGURES:
        raise Http404
    form, scope = filter_for(request)
    figure = figures_as_seen([aggregates.figure(key, scope)], scope, aggregate_only=form.aggregate_only)[0]
    audit_record(
        actor=request.user,
        action="report.download",
        object_type="statistics",
        object_id=key,
        details={"format": "csv", "filters": form.used_filters()},
    )
    rows = figure_rows(figure, period=scope.period.describe(), units=_describe_units(form.chosen_units()))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return csv_response(rows, f"sinergi-{key.replace('_', '-')}-{stamp}.csv")


@require_permission("stats.view")
def meeting_pdf(request):
    form, scope = filter_for(request)
    pdf = meeting_report_pdf(
        user=request.user,
        unit_scope=form.chosen_units(),
        period=scope.period,
        aggregate_only=form.aggregate_only,
    )
    audit_record(
        actor=request.user,
        action="report.download",
        object_type="statistics",
        object_id="meeting_report",
        details={"format": "pdf", "filters": form.used_filters()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="sinergi-laporan-rapat-{stamp}.pdf"'
    return response


# --- GBVIMS monthly statistics for partners -----------------------------------------------------


def _gbvims_units(user):
    return (
        aggregates.all_units()
        if permission_scope(user, "stats.gbvims") == "all"
        else aggregates.stats_units(user)
    )


def _gbvims_year(request):
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("tahun", this_year))
    except ValueError:
        year = this_year
    return min(max(year, 2000), this_year)


@require_permission("stats.gbvims")
def gbvims(request):
    year = _gbvims_year(request)
    this_year = timezone.localdate().year
    context = {
        "table": gbvims_table(_gbvims_units(request.user), year, until=last_closed_day()),
        "year": year,
        "years": list(range(this_year, this_year - 10, -1)),
    }
    return render(request, "reports/gbvims.html", context)


@require_permission("stats.gbvims")
def gbvims_csv(request):
    year = _gbvims_year(request)
    table = gbvims_table(_gbvims_units(request.user), year, until=last_closed_day())
    audit_record(
        actor=request.user,
        action="report.download",
        object_type="statistics",
        object_id="gbvims_monthly",
        details={"format": "csv", "year": year},
    )
    return csv_response(gbvims_rows(table), f"sinergi-gbvims-{year}.csv")


@require_POST
@require_permission("stats.view")
def meeting_pdf_job(request):
    """Make the meeting report in the background (a long period on a slow server), with progress."""

    form, scope = filter_for(request, data=request.POST)
    params = job_params(units=form.chosen_units(), all_units=form.units, period=scope.period)
    job = jobs.job_start(actor=request.user, kind="meeting_pdf", params=params)
    return redirect("reports:job", public_id=job.public_id)
