"""The SVG charts: well-formed, no style or script (strict CSP), readable in black and white."""

import xml.etree.ElementTree as ET

from sinergi.reports.aggregates import Figure, Row
from sinergi.reports.charts import MAX_BARS, Series, bar_chart, column_chart, figure_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 (our own output, in a test)


def test_a_bar_chart_is_well_formed_and_prints_every_value():
    svg = bar_chart("chart-x", "Korban <uji>", ["Fisik", "Psikis & lain"], [Series("Korban", [7, 0])])
    root = parse(svg)
    assert root.get("role") == "img"
    assert "Korban <uji>" in root.get("aria-label")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Fisik" in texts and "Psikis & lain" in texts and "7" in texts and "0" in texts
    assert "style" not in str(svg) and "script" not in str(svg)


def test_series_differ_by_pattern_not_only_colour():
    svg = column_chart(
        "chart-y", "Tren", ["2021", "2022"], [Series("Kasus", [3, 4]), Series("Korban", [5, 6])]
    )
    root = parse(svg)
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("height") not in (None, "6", "5", "14")}
    assert "url(#chart-y-p1)" in fills
    assert any(p.get("id") == "chart-y-p1" for p in root.iter(f"{SVG}pattern"))
    # The legend names both series.
    assert {"Kasus", "Korban"} <= {t.text for t in root.iter(f"{SVG}text")}


def test_hidden_values_are_drawn_as_their_label():
    svg = column_chart("chart-z", "Tren", ["2021"], [Series("Korban", [None], ["<5"])])
    assert "&lt;5" in str(svg)
    parse(svg)


def test_many_months_turn_their_labels():
    labels = [f"{m:02d}-2024" for m in range(1, 13)] + ["01-2025"]
    svg = column_chart("chart-m", "Bulanan", labels, [Series("Kasus", list(range(13)))])
    assert "rotate(-60" in str(svg)
    parse(svg)


def test_a_figure_with_hundreds_of_categories_is_a_table_only():
    rows = [Row(str(i), f"Kecamatan {i}", [i]) for i in range(MAX_BARS + 1)]
    assert figure_chart(Figure("cases_by_kecamatan", "Kecamatan", ["Kasus"], rows)) == ""
    assert figure_chart(Figure("cases_by_kecamatan", "Kecamatan", ["Kasus"], rows[:3])) != ""
    assert figure_chart(Figure("x", "x", ["a"], rows[:3], kind="table")) == ""
