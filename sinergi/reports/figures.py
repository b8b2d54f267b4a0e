"""What a figure is: a table of counts, shared by the aggregates and the integrations."""

from dataclasses import dataclass, field

UNKNOWN = ""  # the code of the "not recorded" row in every breakdown


@dataclass
class Row:
    code: str
    label: str
    values: list


@dataclass
class Figure:
    """One table of counts: rows (a category each) × value columns."""

    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    note: str = ""
    # "categories": one row per category, values exclusive (they add up to the total);
    # "multi": a victim may be in several rows (violence types); "time": rows are periods.
    kind: str = "categories"
    available: bool = True
    row_header: str = ""  # the first column's heading (default: "Category")
    # For "multi" tables of subsets: each row's base (the count it is a part of), by row code.
    bases: dict = field(default_factory=dict)

    def column(self, index=0):
        return [r.values[index] for r in self.rows]

    def total(self, index=0):
        return sum(v or 0 for v in self.column(index))

    @property
    def totals(self):
        """Column totals, for tables whose rows are exclusive categories (else None)."""
        if self.kind != "categories" or not self.rows:
            return None
        return [self.total(i) for i in range(len(self.columns))]

    def as_dict(self):
        return {r.code: r.values for r in self.rows}


@dataclass
class ShownFigure(Figure):
    """A Figure whose values are what is published ("12", "<5", "5+", "x"), totals included
    (sinergi.reports.protected, for aggregate-only readers)."""

    shown_totals: list = field(default_factory=list)

    @property
    def totals(self):
        return self.shown_totals or None

    def chart_value(self, shown):
        """The bar's length for a published cell: a hidden one is drawn at its lower bound."""
        if shown.isdigit():
            return int(shown)
        return {"<5": 0, "5+": 5}.get(shown)
