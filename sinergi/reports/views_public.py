"""The public statistics page (statistik/) and its open data: no login, aggregates only."""

import datetime as dt
import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .charts import Series, column_chart
from .csvutil import csv_response
from .public_stats import open_data_rows
from .releases import published


def _year(request):
    try:
        return int(request.GET.get("tahun", ""))
    except ValueError:
        return None


@login_not_required
@require_GET
def public_statistics(request):
    data = publication(_year(request))
    chart = _trend_chart(data["trend"]) if data else ""
    return render(request, "reports/public.html", {"data": data, "trend_chart": chart})


def publication(year=None):
    """The newest release as the page shows it: the trend and one closed year's tables.

    None before the first release. An unknown or missing year shows the newest closed one.
    """
    release = published()
    if release is None:
        return None
    years = sorted((int(y) for y in release["years"]), reverse=True)
    if year not in years:
        year = years[0] if years else None
    return {
        **release,
        "published_at": dt.datetime.fromisoformat(release["generated_at"]),
        "cut_off_date": dt.date.fromisoformat(release["cut_off"]),
        "closed_years": years,
        "year": year,
        "tables": release["years"][str(year)] if year else [],
    }


def _trend_chart(trend):
    if not trend:
        return ""
    series = [
        Series(_("Cases"), [_bar(t["cases"]) for t in trend], [t["cases"]["shown"] for t in trend]),
        Series(_("Victims"), [_bar(t["victims"]) for t in trend], [t["victims"]["shown"] for t in trend]),
    ]
    return column_chart(
        "chart-public-trend", _("Cases and victims by year"), [str(t["year"]) for t in trend], series
    )


def _bar(cell):
    # A hidden count is drawn at its lower bound ("<5" at 0, "10–14" at 10), labelled as published.
    return cell["value"] if cell["value"] is not None else cell.get("at_least", 0)


def _open_data():
    return published() or {"release": None, "trend": [], "years": {}}


@login_not_required
@require_GET
def public_data_json(request):
    body = json.dumps(_open_data(), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: anyone may fetch it
    return response


@login_not_required
@require_GET
def public_data_csv(request):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return csv_response(open_data_rows(_open_data()), f"sinergi-statistik-{stamp}.csv")
