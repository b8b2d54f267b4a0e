"""The public statistics page (statistik/) and its open data: no login, aggregates only."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .charts import Series, column_chart
from .csvutil import csv_response
from .public_stats import open_data, open_data_rows, publication


def _year(request):
    try:
        return int(request.GET.get("tahun", ""))
    except ValueError:
        return None


@login_not_required
@require_GET
def public_statistics(request):
    data = publication(_year(request))
    return render(request, "reports/public.html", {"data": data, "trend_chart": _trend_chart(data["trend"])})


def _trend_chart(trend):
    if not trend:
        return ""
    series = [
        Series(_("Cases"), [t["cases"].value for t in trend], [t["cases"].shown for t in trend]),
        Series(_("Victims"), [t["victims"].value for t in trend], [t["victims"].shown for t in trend]),
    ]
    return column_chart(
        "chart-public-trend", _("Cases and victims by year"), [str(t["year"]) for t in trend], series
    )


@login_not_required
@require_GET
def public_data_json(request):
    body = json.dumps(open_data(), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: anyone may fetch it
    return response


@login_not_required
@require_GET
def public_data_csv(request):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return csv_response(open_data_rows(open_data()), f"sinergi-statistik-{stamp}.csv")
