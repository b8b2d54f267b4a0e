"""Figures for aggregate-only readers: whole closed months and the one disclosure rule.

Who reads a unit's figures in detail (exact counts, any day-to-day window): those who may already
see that unit's cases row by row — its kepala (every case of the unit) and its data officer
(pseudonymous exports of the unit). Everyone else who reads statistics is aggregate-only for
that unit: the leadership (pimpinan) always, and a higher unit for the units below it. They get
(docs/statistics.md, "Aggregate-only readers"):

- **windows of whole closed months**: the start moves to the first day of its month, the end to
  the last day of its month and never past the end of last month, so no window isolates a day
  or a case reported this month;
- **the same suppression as the public page** on every count (sinergi.reports.disclosure), and
  rates, means and medians only where every count they come from is published (a median or a
  mean only of five values or more).
"""

import datetime as dt

from django.utils import timezone

from sinergi.accounts.access import case_scope, has_permission

from .aggregates import Period, cases, victims
from .disclosure import protect_subset, protect_table, protect_total
from .figures import Row, ShownFigure

NOT_PUBLISHED = "x"  # a rate, mean or median computed from a hidden count


def sees_detail(user, units):
    """Whether `user` reads the exact figures of every unit in `units` (see the module's docstring)."""
    org_id = getattr(user, "organisation_id", None)
    if not units or any(u.pk != org_id for u in units):
        return False
    return case_scope(user) == "unit" or has_permission(user, "export.pseudonymous")


def last_closed_day(today=None):
    today = today or timezone.localdate()
    return today.replace(day=1) - dt.timedelta(days=1)


def whole_months(period, today=None):
    """The period as whole closed months: (Period, changed). Open ends stay open at the start and
    end at the last closed day."""
    last = last_closed_day(today)
    start = period.start.replace(day=1) if period.start else None
    end = period.end or last
    end = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    end = min(end, last)
    snapped = Period(start, end)
    return snapped, snapped != period


def _shown_columns(figure, columns):
    """Each listed column protected as an exclusive table (its rows add up to its total)."""
    protected, totals = {}, {}
    for c in columns:
        values = [v or 0 for v in figure.column(c)]
        protected[c] = protect_table(values).cells
        totals[c] = protect_total(sum(values))
    return protected, totals


def _rows(figure, cells):
    return [
        Row(row.code, row.label, [cells[c][i] for c in range(len(figure.columns))])
        for i, row in enumerate(figure.rows)
    ]


def _exclusive(figure):
    cols = range(len(figure.columns))
    protected, totals = _shown_columns(figure, cols)
    cells = {c: [cell.shown for cell in protected[c]] for c in cols}
    shown_totals = [totals[c].shown for c in cols] if figure.kind == "categories" else []
    return cells, shown_totals


def _multi(figure, base):
    """Rows that may overlap (a victim with several types): each against its complement."""
    cells = {c: [] for c in range(len(figure.columns))}
    for row in figure.rows:
        for c, value in enumerate(row.values):
            cells[c].append(
                protect_subset(value or 0, base).shown if c == 0 else protect_total(value or 0).shown
            )
    return cells, []


def _derived(value, *parts):
    """A rate, mean or median: shown only when every count it comes from is published."""
    if value is None:
        return "—"
    return str(value) if all(p is not None for p in parts) else NOT_PUBLISHED


def _deadline_rows(figure):
    cells = {c: [] for c in range(4)}
    for row in figure.rows:
        on_time, late, overdue, share = row.values
        shown = [protect_total(v or 0) for v in (on_time, late, overdue)]
        for c, cell in enumerate(shown):
            cells[c].append(cell.shown)
        cells[3].append(_derived(share, *(cell.value for cell in shown)))
    return cells, []


def _coverage_rows(figure):
    """Each count is a subset of its base (victims of high-risk cases, or all victims); a share
    is shown only where its count and its base are both published."""
    cells = {0: [], 1: []}
    bases = figure.bases
    for row in figure.rows:
        count, share = row.values
        base = bases.get(row.code, count)
        cell = protect_subset(count or 0, base or 0)
        cells[0].append(cell.shown)
        cells[1].append(_derived(share, cell.value, protect_total(base or 0).value))
    return cells, []


def _referral_rows(figure):
    cells = {c: [] for c in range(6)}
    for row in figure.rows:
        sent, accepted, declined, waiting, rate, hours = row.values
        other = sent - accepted - declined - waiting  # revoked or ended: part of what was sent
        parts = protect_table([accepted, declined, waiting, other]).cells
        sent_cell = protect_total(sent)
        for c, cell in enumerate([sent_cell, *parts[:3]]):
            cells[c].append(cell.shown)
        answered = accepted + declined
        cells[4].append(_derived(rate, parts[0].value, parts[1].value))
        if hours is None:
            cells[5].append("—")
        else:
            cells[5].append(str(hours) if answered >= 5 else NOT_PUBLISHED)
    return cells, []


def _median_rows(figure):
    cells = {0: [], 1: []}
    for row in figure.rows:
        median, n = row.values
        cells[0].append(_derived(median) if (n or 0) >= 5 or median is None else NOT_PUBLISHED)
        cells[1].append(protect_total(n or 0).shown)
    return cells, []


def protect_figure(figure, *, n_cases, n_victims):
    """`figure` as an aggregate-only reader may see it (a ShownFigure)."""
    if not figure.available or not figure.rows:
        return figure
    if figure.key == "deadline_compliance":
        cells, totals = _deadline_rows(figure)
    elif figure.key == "referrals_by_agency":
        cells, totals = _referral_rows(figure)
    elif figure.key == "first_response_median":
        cells, totals = _median_rows(figure)
    elif figure.key == "protection_coverage":
        cells, totals = _coverage_rows(figure)
    elif figure.key == "victims_by_violence_type":
        cells, totals = _multi(figure, n_victims)
    elif figure.key == "services_given":
        # Column 0 counts services (several per case), column 1 cases with at least one.
        cells = {0: [protect_total(r.values[0] or 0).shown for r in figure.rows]}
        cells[1] = [protect_subset(r.values[1] or 0, n_cases).shown for r in figure.rows]
        totals = []
    elif figure.key == "tpks_tppo_by_year":
        cells = {
            c: [protect_total(r.values[c] or 0).shown for r in figure.rows]
            for c in range(len(figure.columns))
        }
        totals = []
    else:
        cells, totals = _exclusive(figure)
    return ShownFigure(
        key=figure.key,
        title=figure.title,
        columns=figure.columns,
        rows=_rows(figure, cells),
        note=figure.note,
        kind=figure.kind,
        available=figure.available,
        row_header=figure.row_header,
        shown_totals=totals,
    )


def figures_as_seen(figures, scope, *, aggregate_only):
    """The figures as the reader may see them: unchanged, or each protected (two more queries)."""
    if not aggregate_only:
        return figures
    n_cases, n_victims = cases(scope).count(), victims(scope).count()
    return [protect_figure(f, n_cases=n_cases, n_victims=n_victims) for f in figures]
