"""Small-cell suppression and protection of totals from back-calculation (disclosure.py)."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.reports.disclosure import HIDDEN, SMALL, protect, protect_subset, protect_table, protect_total


def shown(cells):
    return [c.shown for c in cells]


def test_counts_of_one_to_four_are_shown_as_less_than_five():
    assert shown(protect([12, 3, 0, 7], total_published=False)) == ["12", SMALL, "0", "7"]
    assert protect_total(4).shown == SMALL
    assert protect_total(0).shown == "0"
    assert protect_total(5).shown == "5"


def test_one_small_cell_next_to_a_published_total_takes_the_smallest_other_cell_with_it():
    # 20 = 12 + 3 + 5: "3" alone could be worked out as 20 − 12 − 5.
    cells = protect([12, 3, 5])
    assert shown(cells) == ["12", SMALL, HIDDEN]
    assert [c.value for c in cells] == [12, None, None]


def test_two_small_cells_that_could_still_be_worked_out_are_protected_further():
    # 1 + 1 = 2: both hidden cells would have to be 1 → the 6 is hidden too.
    assert shown(protect([1, 1, 6, 9])) == [SMALL, SMALL, HIDDEN, "9"]
    # 3 + 4 = 7 leaves each several possibilities: no more needed.
    assert shown(protect([3, 4, 9])) == [SMALL, SMALL, "9"]


def test_a_table_that_cannot_be_protected_is_withheld():
    # 5 + 1: even with both hidden, "<5" ∈ 1..4 and "5+" ≥ 5 leave only 1 and 5.
    result = protect_table([5, 1])
    assert result.withheld
    assert all(c.suppressed for c in result.cells)
    # A total under 5 is never broken down.
    assert protect_table([2, 0, 1]).withheld
    assert protect_table([0, 0]).withheld is False


def test_subsets_are_checked_against_their_complement():
    # 6 victims, 5 with the type: the one without would be 6 − 5.
    assert protect_subset(5, 6).suppressed
    assert protect_subset(5, 20).shown == "5"
    assert protect_subset(2, 20).shown == SMALL
    assert protect_subset(0, 10).shown == "0"
    assert protect_subset(0, 3).suppressed  # nothing is broken down below a total of 5
    assert protect_subset(20, 20).shown == "20"


def _possible(cells, total):
    """Every table an outsider could reconstruct from the published cells and the total."""
    ranges = []
    for c in cells:
        if not c.suppressed:
            ranges.append([c.value])
        elif c.shown == SMALL:
            ranges.append(range(1, 5))
        else:
            ranges.append(range(5, total + 1))
    return [combo for combo in itertools.product(*ranges) if sum(combo) == total]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=2, max_size=4))
def test_no_hidden_cell_can_be_worked_out_from_the_total(values):
    result = protect_table(values)
    total = sum(values)
    if result.withheld:
        return  # only the total is published
    tables = _possible(result.cells, total)
    assert tuple(values) in tables
    for i, cell in enumerate(result.cells):
        if cell.suppressed:
            candidates = {t[i] for t in tables}
            assert len(candidates) >= 2, (values, shown(result.cells), i, candidates)
    # Nothing is hidden that needn't be: published cells are exact, small ones never published.
    for v, cell in zip(values, result.cells, strict=True):
        assert cell.suppressed or cell.value == v
        assert not (0 < v < 5 and not cell.suppressed)
