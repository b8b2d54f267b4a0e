"""Figures that read other apps' tables (services delivered, deadline clocks).

Each one costs a fixed number of aggregate queries, whatever the number of rows.
"""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import ServiceCategory
from sinergi.cases.choices import RiskLevel
from sinergi.cases.protection_choices import ProtectionStatus
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.models import Deadline
from sinergi.interventions.models import RightsExplanation, ServiceDelivery

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


# --- protection, safety plans and rights (sinergi.cases, sinergi.interventions) -------------------


def protection_coverage(victims):
    """Of the victims of high-risk cases: protection asked for, protection given, a safety plan;
    of all victims: told their rights (Perpres 55/2024). One aggregate query.

    `victims`: the scope's victims (CasePerson rows), as the dashboard counts them.
    """
    high = Q(case__risk=RiskLevel.TINGGI)
    given = [ProtectionStatus.DIBERIKAN, ProtectionStatus.BERAKHIR]
    counts = victims.aggregate(
        all=Count("pk", distinct=True),
        high=Count("pk", filter=high, distinct=True),
        asked=Count("pk", filter=high & Q(protection_measures__isnull=False), distinct=True),
        given=Count("pk", filter=high & Q(protection_measures__status__in=given), distinct=True),
        plan=Count("pk", filter=high & Q(safety_plan__isnull=False), distinct=True),
        rights=Count("pk", filter=Q(pk__in=RightsExplanation.objects.values("victim_id")), distinct=True),
    )

    def share(n, base):
        return round(100 * n / base) if base else None

    figure = Figure(
        "protection_coverage",
        str(_("Protection, safety plans and rights information")),
        [str(_("Victims")), str(_("Share (%)"))],
        note=str(
            _(
                "Shares of the victims of high-risk cases, except rights information: a share of all "
                "victims. A victim counts once, whatever the number of measures."
            )
        ),
        kind="multi",
        row_header=str(_("Victims")),
    )
    figure.rows = [
        Row("high_risk", str(_("Victims of high-risk cases")), [counts["high"], None]),
        Row(
            "asked",
            str(_("… protection asked for")),
            [counts["asked"], share(counts["asked"], counts["high"])],
        ),
        Row("given", str(_("… protection given")), [counts["given"], share(counts["given"], counts["high"])]),
        Row("plan", str(_("… with a safety plan")), [counts["plan"], share(counts["plan"], counts["high"])]),
        Row(
            "rights",
            str(_("All victims told their rights")),
            [counts["rights"], share(counts["rights"], counts["all"])],
        ),
    ]
    figure.bases = {
        "high_risk": counts["all"],
        "asked": counts["high"],
        "given": counts["high"],
        "plan": counts["high"],
        "rights": counts["all"],
    }
    return figure
