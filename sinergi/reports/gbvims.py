"""GBVIMS-style monthly statistics for partners: the six GBVIMS incident types by month of a year.

Consent-filtered (cases with a statistics consent or lawful basis) and protected like the public
page: each type's yearly total is protected against the year's total, and each type's months
against its yearly total; a type whose total is hidden is not broken down by month.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from sinergi.cases.choices import GbvimsType

from . import aggregates as A
from .disclosure import Cell, hidden, protect, shown

SIX_TYPES = [t for t in GbvimsType if t != GbvimsType.NON_GBV]
MONTHS = range(1, 13)
#: The months of a type whose yearly total is hidden: not broken down at all.
NOT_BROKEN_DOWN = Cell(None, "x")


@dataclass
class GbvimsTable:
    year: int
    rows: list  # [(code, label, [Cell × 12], total Cell)]
    total: object  # Cell: incidents of the six types in the year

    def month_labels(self):
        return [f"{m:02d}" for m in MONTHS]


def gbvims_counts(scope):
    """{(type, month): incidents}: one GROUP BY query. One survivor, one incident (DOMAIN.md §9):
    each victim of a case is counted with her own type."""
    rows = (
        A.victims(scope)
        .filter(gbvims_type__in=[t.value for t in SIX_TYPES])
        .annotate(month=ExtractMonth("case__reported_at"))
        .values("gbvims_type", "month")
        .annotate(n=Count("pk"))
    )
    return {(r["gbvims_type"], r["month"]): r["n"] for r in rows}


def gbvims_table(units, year):
    period = A.Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    counts = gbvims_counts(A.Scope.of(units, period, consented=True))
    grid = [[counts.get((t.value, m), 0) for m in MONTHS] for t in SIX_TYPES]
    type_totals = [sum(row) for row in grid]
    total_cells = protect(type_totals)
    rows = []
    for t, months, total in zip(SIX_TYPES, grid, total_cells, strict=True):
        month_cells = protect(months) if not total.suppressed else [NOT_BROKEN_DOWN] * len(months)
        rows.append((t.value, str(t.label), month_cells, total))
    grand = sum(type_totals)
    return GbvimsTable(year, rows, shown(grand) if grand == 0 or grand >= 5 else hidden(grand))


def gbvims_rows(table):
    yield [_("GBVIMS type"), _("Code"), *[f"{table.year}-{m}" for m in table.month_labels()], _("Total")]
    for code, label, months, total in table.rows:
        yield [label, code, *[c.shown for c in months], total.shown]
    yield [_("All six types"), "", *([""] * 12), table.total.shown]
