"""Figures that read other apps' tables (services delivered, deadline clocks).

Each one costs a fixed number of aggregate queries, whatever the number of rows.
"""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import ServiceCategory
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.models import Deadline
from sinergi.interventions.models import ServiceDelivery

from .figures import UNKNOWN, Figure, Row

# --- services delivered (sinergi.interventions) ---------------------------------------------------


def services_given(scope):
    figure = Figure(
        "services_given",
        str(_("Services given, by category")),
        [str(_("Services")), str(_("Cases"))],
        note=str(_("Services provided by the unit or through a referral (not declined or unavailable).")),
        kind="multi",  # a case may have services of several categories: no total row
    )
    given = ~Q(status__in=["tidak_berlaku", "ditolak_korban", "tidak_tersedia"])
    rows = (
        ServiceDelivery.objects.filter(scope.case_filter("case__"))
        .filter(given)
        .values("category")
        .annotate(n=Count("pk"), cases=Count("case", distinct=True))
        .order_by()
    )
    counts = {r["category"]: [r["n"], r["cases"]] for r in rows}
    figure.rows = [Row(code, str(label), counts.pop(code, [0, 0])) for code, label in ServiceCategory.choices]
    figure.rows += [
        Row(str(code or UNKNOWN), str(code or _("Not recorded")), v) for code, v in counts.items()
    ]
    return figure


# --- deadline clocks (sinergi.deadlines) ----------------------------------------------------------


def _clocks(scope):
    """The scope's clocks: of its units, started in its period (portal reports' clocks included).

    With `consented`, only clocks of cases counted in the public statistics.
    """
    qs = Deadline.objects.filter(unit_id__in=scope.unit_ids)
    lower, upper = scope.period.bounds()
    if lower:
        qs = qs.filter(started_at__gte=lower)
    if upper:
        qs = qs.filter(started_at__lt=upper)
    if scope.consented:
        qs = qs.filter(scope.case_filter("case__"))
    return qs.order_by()


def deadline_compliance(scope):
    """Per clock: how many were stopped on time, late, or are running past their due time.

    Share met on time = on time ÷ (on time + late + running and overdue). Clocks still running
    before their due time, and cancelled ones, are not counted. An extended clock is due at its
    extended time (extensions need a reason and are audited).
    """
    figure = Figure(
        "deadline_compliance",
        str(_("Deadline compliance by clock")),
        [
            str(_("Met on time")),
            str(_("Met late")),
            str(_("Running and overdue")),
            str(_("Share met on time (%)")),
        ],
        note=str(_("Share met on time = on time ÷ (on time + late + running and overdue).")),
        kind="table",
        row_header=str(_("Clock")),
    )
    rows = (
        _clocks(scope)
        .values("kind")
        .annotate(
            on_time=Count("pk", filter=Q(status="met")),
            late=Count("pk", filter=Q(status="met_late")),
            overdue=Count("pk", filter=Q(status="open", due_at__lt=timezone.now())),
        )
        .order_by("kind")
    )
    labels = dict(ClockKind.choices)
    found = {}
    for r in rows:
        counted = r["on_time"] + r["late"] + r["overdue"]
        share = round(100 * r["on_time"] / counted) if counted else None
        found[r["kind"]] = [r["on_time"], r["late"], r["overdue"], share]
    figure.rows = [Row(kind, str(label), found[kind]) for kind, label in labels.items() if kind in found]
    figure.rows += [Row(k, k, v) for k, v in found.items() if k not in labels]
    return figure


def _median_hours(qs):
    """The median of stopped_at − started_at in hours: the middle row(s) by duration.

    Two small queries (a count, then one or two rows at the middle offset) whatever the number
    of clocks; the ordering happens in the database.
    """
    qs = qs.filter(stopped_at__isnull=False).annotate(took=F("stopped_at") - F("started_at"))
    n = qs.count()
    if not n:
        return None, 0
    middle = list(qs.order_by("took").values_list("took", flat=True)[(n - 1) // 2 : n // 2 + 1])
    seconds = sum(d.total_seconds() for d in middle) / len(middle)
    return round(seconds / 3600, 1), n


def first_response_median(scope):
    figure = Figure(
        "first_response_median",
        str(_("Median time to first response")),
        [str(_("Median (hours)")), str(_("Responses counted"))],
        note=str(_("From the report to the first contact with the victim (the first-response clock).")),
        kind="table",
        row_header=str(_("Clock")),
    )
    median, n = _median_hours(_clocks(scope).filter(kind="first_response"))
    figure.rows = [Row("first_response", str(_("First response")), [median, n])]
    return figure
