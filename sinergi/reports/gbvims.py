"""GBVIMS-style monthly statistics for partners: the six GBVIMS incident types by month of a year,
with the derived case context of each type (DOMAIN.md §9).

One survivor, one incident: every victim of a case with a GBV type is one incident. Consent-filtered
(cases with a statistics consent or lawful basis) and protected like the public page: each type's
yearly total is protected against the year's total, and each type's months against its yearly
total; a type whose total is hidden is not broken down by month or context. A context column is a
"multi" breakdown (an incident may have several contexts): each cell is protected against the
type's total (with the context, without it).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from sinergi.cases import rules
from sinergi.cases.choices import PARTNER_RELATIONSHIPS, GbvimsContext, GbvimsType
from sinergi.cases.models import PerpetratorRelation

from . import aggregates as A
from .disclosure import Cell, hidden, protect, protect_subset, shown

SIX_TYPES = [t for t in GbvimsType if t != GbvimsType.NON_GBV]
CONTEXTS = list(GbvimsContext)
MONTHS = range(1, 13)
#: The months of a type whose yearly total is hidden: not broken down at all.
NOT_BROKEN_DOWN = Cell(None, "x")


@dataclass
class GbvimsTable:
    year: int
    rows: list  # [(code, label, [Cell × 12], total Cell, [Cell × contexts])]
    total: object  # Cell: incidents of the six types in the year

    def month_labels(self):
        return [f"{m:02d}" for m in MONTHS]

    def context_labels(self):
        return [str(c.label) for c in CONTEXTS]


def gbvims_incidents(scope):
    """[(type, month, contexts)]: one incident per survivor (DOMAIN.md §9), each victim of a case
    with her own type and context, in one query. The context is derived in Python by the same rule
    as the case page (rules.gbvims_context); "partner" is whether any perpetrator's relationship to
    this victim is an intimate partner's."""
    partner = PerpetratorRelation.objects.filter(
        victim=OuterRef("pk"), relationship__in=PARTNER_RELATIONSHIPS
    )
    rows = (
        A.victims(scope)
        .filter(gbvims_type__in=[t.value for t in SIX_TYPES])
        .annotate(month=ExtractMonth("case__reported_at"), partner=Exists(partner))
        .values_list("gbvims_type", "month", "gbvims_answers", "is_child", "partner")
    )
    return [
        (
            gbvims_type,
            month,
            rules.gbvims_context(
                gbvims_type=gbvims_type,
                answers=answers or {},
                child=child,
                relationships=PARTNER_RELATIONSHIPS if partner else (),
            ),
        )
        for gbvims_type, month, answers, child, partner in rows
    ]


def gbvims_counts(scope):
    """{(type, month): incidents} and {(type, context): incidents}."""
    by_month, by_context = {}, {}
    for gbvims_type, month, contexts in gbvims_incidents(scope):
        by_month[(gbvims_type, month)] = by_month.get((gbvims_type, month), 0) + 1
        for context in contexts:
            by_context[(gbvims_type, context)] = by_context.get((gbvims_type, context), 0) + 1
    return by_month, by_context


def gbvims_table(units, year, *, until=None):
    """The year's table; `until` (a date) leaves out what was reported after it: the end of last
    month for every reader, so a month is counted once it is over and no table changes from one
    day to the next (docs/statistics.md)."""
    end = dt.date(year, 12, 31) if until is None else min(dt.date(year, 12, 31), until)
    period = A.Period(dt.date(year, 1, 1), end)
    counts, contexts = gbvims_counts(A.Scope.of(units, period, consented=True))
    grid = [[counts.get((t.value, m), 0) for m in MONTHS] for t in SIX_TYPES]
    type_totals = [sum(row) for row in grid]
    total_cells = protect(type_totals)
    rows = []
    for t, months, count, total in zip(SIX_TYPES, grid, type_totals, total_cells, strict=True):
        if total.suppressed:
            month_cells = [NOT_BROKEN_DOWN] * len(months)
            context_cells = [NOT_BROKEN_DOWN] * len(CONTEXTS)
        else:
            month_cells = protect(months)
            context_cells = [protect_subset(contexts.get((t.value, c.value), 0), count) for c in CONTEXTS]
        rows.append((t.value, str(t.label), month_cells, total, context_cells))
    grand = sum(type_totals)
    return GbvimsTable(year, rows, shown(grand) if grand == 0 or grand >= 5 else hidden(grand))


def gbvims_rows(table):
    months = [f"{table.year}-{m}" for m in table.month_labels()]
    yield [_("GBVIMS type"), _("Code"), *months, _("Total"), *table.context_labels()]
    for code, label, month_cells, total, context_cells in table.rows:
        yield [label, code, *[c.shown for c in month_cells], total.shown, *[c.shown for c in context_cells]]
    yield [_("All six types"), "", *([""] * 12), table.total.shown, *([""] * len(CONTEXTS))]
