"""Statistical disclosure control for everything shown outside the unit (public page, GBVIMS tables).

The method (docs/statistics.md, "Small cells"):

1. **Primary suppression**: a count of 1 to 4 is shown as "<5". Zero is shown as 0.
2. **Secondary (complementary) suppression**: a table whose total is published must not let
   anyone work a suppressed cell out from the total and the other cells. Treating every "<5" as
   somewhere in 1–4 and every secondarily hidden cell as at least 5, each hidden cell must keep at
   least two possible values; while one does not, the smallest visible cell of 5 or more is
   hidden too (shown as "5+").
3. **Withholding**: a table whose total is under 5, or that cannot be protected that way, is not
   broken down at all: only its total is published.

A "multi" table (a victim may be in several rows, e.g. violence types) has no total to add up
to; each row is checked against its complement instead (victims with the type, victims
without), so "6 victims, 5 with physical violence" cannot reveal the one without.
"""

from dataclasses import dataclass

SMALL = "<5"
HIDDEN = "5+"
THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    value: int | None  # the true count, or None when it is not published
    shown: str  # what is published: "12", "0", "<5" or "5+"

    @property
    def suppressed(self):
        return self.value is None


def shown(value):
    return Cell(value, str(value))


def _small(value):
    return Cell(None, SMALL)


def hidden(value):
    return _hide(value)


def _hide(value):
    return Cell(None, SMALL if value < THRESHOLD else HIDDEN)


def _interval_ok(values, hidden):
    """True when every hidden cell keeps at least two possible values given the others and the total."""
    if not hidden:
        return True
    total_hidden = sum(values[i] for i in hidden)
    lows = {i: (1 if values[i] < THRESHOLD else THRESHOLD) for i in hidden}
    highs = {i: (THRESHOLD - 1 if values[i] < THRESHOLD else total_hidden) for i in hidden}
    low_sum, high_sum = sum(lows.values()), sum(highs.values())
    for i in hidden:
        least = max(lows[i], total_hidden - (high_sum - highs[i]))
        most = min(highs[i], total_hidden - (low_sum - lows[i]))
        if most <= least:
            return False
    return True


@dataclass(frozen=True)
class Protected:
    cells: list
    withheld: bool  # the table is not broken down at all: publish its total only


def protect_table(values, *, total_published=True):
    """[int] → Protected, for a table whose categories are exclusive (they add up to its total).

    `total_published=False` when the table's total is not shown anywhere: primary suppression
    is then enough, since there is nothing to subtract from. A withheld table's cells are all
    hidden (zeros too) in case a caller still shows them; the public page shows none of them.
    """
    values = [int(v or 0) for v in values]
    total = sum(values)
    if total_published and 0 < total < THRESHOLD:
        return Protected([_hide(v) for v in values], True)
    hidden = {i for i, v in enumerate(values) if 0 < v < THRESHOLD}
    if total_published:
        while not _interval_ok(values, hidden):
            candidates = [i for i, v in enumerate(values) if i not in hidden and v >= THRESHOLD]
            if not candidates:
                return Protected([_hide(v) for v in values], True)
            hidden.add(min(candidates, key=lambda i: (values[i], i)))
    return Protected([_hide(v) if i in hidden else shown(v) for i, v in enumerate(values)], False)


def protect(values, *, total_published=True):
    """The cells of protect_table (a withheld table comes back with every cell hidden)."""
    return protect_table(values, total_published=total_published).cells


def protect_subset(count, total):
    """One row of a "multi" table: `count` of `total` have the attribute (e.g. victims with a type)."""
    if total < THRESHOLD and count:
        return _small(count)
    return protect([count, total - count])[0]


def protect_total(value):
    """A stand-alone count (a yearly number of victims, a table's total): primary suppression only."""
    return _small(value) if 0 < value < THRESHOLD else shown(value)
