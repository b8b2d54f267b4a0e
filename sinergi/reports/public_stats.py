"""The tables a statistics release publishes (sinergi.reports.releases): consent-filtered, protected.

Only cases with at least one victim whose statistics consent (or lawful basis) is on record, of
every service unit of the installation. Every cell, totals included, goes through
sinergi.reports.disclosure. The rules are in docs/statistics.md.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import aggregates as A
from .disclosure import Cell, protect_subset, protect_table, protect_total

CACHE_SECONDS = 600
MAX_YEARS = 10


@dataclass
class PublicTable:
    key: str
    title: str
    unit: str  # what is counted: cases, victims, perpetrators
    total: Cell
    rows: list = field(default_factory=list)  # [(code, label, Cell)]
    note: str = ""
    withheld: bool = False  # too few to break down: only the total is published

    def as_dict(self):
        return {
            "key": self.key,
            "title": self.title,
            "counted": self.unit,
            "total": _cell_json(self.total),
            "withheld": self.withheld,
            "rows": []
            if self.withheld
            else [{"code": code, "label": label, **_cell_json(cell)} for code, label, cell in self.rows],
            **({"note": self.note} if self.note else {}),
        }


def _cell_json(cell):
    return {"value": cell.value, "shown": cell.shown}


def _exclusive(figure, unit, total):
    """A table whose rows add up to `total` (the published total of what it counts)."""
    # A table whose total is under 5 (its total then shows "<5"), or that cannot be protected,
    # is withheld: no rows at all.
    result = protect_table(figure.column(0))
    return PublicTable(
        figure.key,
        figure.title,
        unit,
        total,
        [(r.code, r.label, c) for r, c in zip(figure.rows, result.cells, strict=True)],
        withheld=result.withheld,
    )


def _multi(figure, unit, total_value, total):
    rows = [(r.code, r.label, protect_subset(r.values[0], total_value)) for r in figure.rows]
    return PublicTable(
        figure.key, figure.title, unit, total, rows, note=figure.note, withheld=0 < total_value < 5
    )


def year_tables(year):
    """The breakdowns of one year, each protected on its own against its published total."""
    period = A.Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    scope = A.Scope.of(A.all_units(), period, consented=True)
    n_cases = A.cases(scope).count()
    n_victims = A.victims(scope).count()
    n_perpetrators = A.perpetrators(scope).count()
    cases_total, victims_total = protect_total(n_cases), protect_total(n_victims)
    perpetrators_total = protect_total(n_perpetrators)
    cases_u, victims_u, perpetrators_u = _("cases"), _("victims"), _("perpetrators")

    months = A.cases_by_month(scope)
    months.rows = [A.Row(r.code, r.label, [r.values[0]]) for r in months.rows]
    months.title = _("Cases by month")
    tables = [
        _exclusive(months, cases_u, cases_total),
        _exclusive(A.victims_by_sex(scope), victims_u, victims_total),
        _exclusive(A.victims_child_adult(scope), victims_u, victims_total),
        _multi(A.victims_by_violence_type(scope), victims_u, n_victims, victims_total),
        _exclusive(A.cases_by_kecamatan(scope), cases_u, cases_total),
        _exclusive(A.cases_by_place(scope), cases_u, cases_total),
        _exclusive(A.perpetrators_by_relationship(scope), perpetrators_u, perpetrators_total),
    ]
    special = A.tpks_tppo_by_year(scope)
    values = special.rows[0].values if special.rows else [0, 0, 0]
    tables.append(
        PublicTable(
            "tpks_tppo",
            _("Sexual violence (TPKS) and trafficking (TPPO) cases"),
            cases_u,
            cases_total,
            [
                ("tpks", _("TPKS cases"), protect_subset(values[0], n_cases)),
                ("tppo", _("TPPO-indicated cases"), protect_subset(values[1], n_cases)),
            ],
            note=_("A case may be both; the two rows are not added up."),
            withheld=0 < n_cases < 5,
        )
    )
    return tables


def method_text():
    return _(
        "Counts of cases reported to the service units, by report year, only of cases with "
        "consent (or a lawful basis) for non-identifiable statistics. Counts of 1 to 4 are "
        "shown as <5; 5+ marks a cell hidden so that a small one cannot be worked out from a "
        "total; a table with a total under 5 is not broken down. A year is published once it "
        "is over and does not change afterwards; the current year shows only a range of five "
        "(e.g. 10–14) of its cases and victims so far."
    )


def open_data_rows(data):
    """Long format for CSV: year, table, code, category, counted, value, shown."""
    yield ["year", "table", "code", "category", "counted", "value", "shown"]
    for t in data["trend"]:
        yield [
            t["year"],
            "cases_by_year",
            "",
            _("All cases"),
            _("cases"),
            t["cases"]["value"],
            t["cases"]["shown"],
        ]
        yield [
            t["year"],
            "victims_by_year",
            "",
            _("All victims"),
            _("victims"),
            t["victims"]["value"],
            t["victims"]["shown"],
        ]
    for year, tables in data["years"].items():
        for table in tables:
            if table["withheld"]:
                total = table["total"]
                yield [
                    year,
                    table["key"],
                    "",
                    _("(too few to break down)"),
                    table["counted"],
                    total["value"],
                    total["shown"],
                ]
            for row in table["rows"]:
                yield [
                    year,
                    table["key"],
                    row["code"],
                    row["label"],
                    table["counted"],
                    row["value"],
                    row["shown"],
                ]
