"""Server-rendered SVG charts: no script, no style attribute (strict CSP), readable in black and white.

Every series has its own fill pattern (solid, hatched, dotted) as well as a colour, and every bar
carries its value as text, so a chart printed in grey still reads. The chart is a picture of the
data table next to it (role="img" with a label saying so); the table is what screen readers use.
"""

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .figures import ShownFigure

INK = "#1b1b1b"
SERIES_COLOURS = ("#1f4e79", "#b35900", "#3c7a3c")
FONT = "DejaVu Sans, Verdana, sans-serif"
MAX_BARS = 40


@dataclass
class Series:
    name: str
    values: list  # numbers (None: nothing to draw)
    texts: list | None = None  # what to print on each bar (default: the number)

    def text(self, i):
        if self.texts is not None:
            return self.texts[i]
        v = self.values[i]
        return "" if v is None else _number(v)


def _number(v):
    return f"{v:g}" if isinstance(v, float) else str(v)


def _defs(chart_id):
    """One pattern per series: 0 solid, 1 diagonal hatching, 2 dots (ids unique per chart)."""
    c1, c2 = SERIES_COLOURS[1], SERIES_COLOURS[2]
    return format_html(
        "<defs>"
        '<pattern id="{id}-p1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{c1}" stroke-width="3"/>'
        "</pattern>"
        '<pattern id="{id}-p2" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.4" fill="{c2}"/>'
        "</pattern>"
        "</defs>",
        id=chart_id,
        c1=c1,
        c2=c2,
    )


def _fill(chart_id, index):
    if index == 0:
        return SERIES_COLOURS[0]
    return f"url(#{chart_id}-p{min(index, 2)})"


def _legend(chart_id, series, x, y):
    if len(series) < 2:
        return "", 0
    parts = []
    for i, s in enumerate(series):
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="14" height="14" fill="{fill}" stroke="{ink}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" font-size="12" font-family="{font}" fill="{ink}">{name}</text>',
                x=x,
                y=y + i * 20,
                fill=_fill(chart_id, i),
                ink=INK,
                tx=x + 20,
                ty=y + i * 20 + 12,
                font=FONT,
                name=s.name,
            )
        )
    return mark_safe("".join(parts)), len(series) * 20 + 6  # noqa: S308 (built with format_html)


def _svg(chart_id, title, width, height, body):
    label = _("%(title)s (chart; the same figures are in the table)") % {"title": title}
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{label}" preserveAspectRatio="xMinYMin meet">{defs}{body}</svg>',
        w=width,
        h=height,
        label=label,
        defs=_defs(chart_id),
        body=body,
    )


def _max(series):
    values = [v for s in series for v in s.values if isinstance(v, (int, float))]
    return max(values, default=0) or 1


def bar_chart(chart_id, title, labels, series, *, width=640, label_width=210):
    """Horizontal bars, one group per label: for categories (violence type, kecamatan, ...)."""
    bar, gap = 16, 10
    legend, legend_height = _legend(chart_id, series, label_width, 6)
    top = 8 + legend_height
    group = bar * len(series) + gap
    height = top + group * len(labels) + 8
    plot = width - label_width - 60
    top_value = _max(series)
    parts = [legend]
    for i, label in enumerate(labels):
        y = top + i * group
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" font-size="12" font-family="{font}" fill="{ink}" text-anchor="end">{label}</text>',
                x=label_width - 8,
                y=y + bar * len(series) / 2 + 4,
                font=FONT,
                ink=INK,
                label=_clip(label, 32),
            )
        )
        for j, s in enumerate(series):
            v = s.values[i]
            length = 0 if not isinstance(v, (int, float)) else round(plot * v / top_value, 1)
            by = y + j * bar
            if length:
                parts.append(
                    format_html(
                        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{ink}" stroke-width="1"/>',
                        x=label_width,
                        y=by,
                        w=length,
                        h=bar - 2,
                        fill=_fill(chart_id, j),
                        ink=INK,
                    )
                )
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" font-size="12" font-family="{font}" fill="{ink}">{text}</text>',
                    x=label_width + length + 4,
                    y=by + bar - 5,
                    font=FONT,
                    ink=INK,
                    text=s.text(i),
                )
            )
    parts.append(
        format_html(
            '<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{ink}" stroke-width="1"/>',
            x=label_width,
            y1=top - 2,
            y2=height - 6,
            ink=INK,
        )
    )
    return _svg(chart_id, title, width, height, mark_safe("".join(str(p) for p in parts)))  # noqa: S308


def column_chart(chart_id, title, labels, series, *, width=640, height=260):
    """Vertical columns over time (years, months); labels turn when there are many."""
    legend, legend_height = _legend(chart_id, series, 50, 6)
    top = 12 + legend_height
    many = len(labels) > 12
    bottom = 56 if many else 28
    left = 40
    plot_w, plot_h = width - left - 10, height - top - bottom
    slot = plot_w / max(len(labels), 1)
    bar = max(min((slot - 4) / len(series), 40), 2)
    top_value = _max(series)
    parts = [
        legend,
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{ink}" stroke-width="1"/>',
            l=left,
            r=width - 10,
            b=top + plot_h,
            ink=INK,
        ),
    ]
    for i, label in enumerate(labels):
        x0 = left + i * slot + (slot - bar * len(series)) / 2
        for j, s in enumerate(series):
            v = s.values[i]
            h = 0 if not isinstance(v, (int, float)) else round(plot_h * v / top_value, 1)
            x = round(x0 + j * bar, 1)
            if h:
                parts.append(
                    format_html(
                        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{ink}" stroke-width="1"/>',
                        x=x,
                        y=round(top + plot_h - h, 1),
                        w=round(bar - 1, 1),
                        h=h,
                        fill=_fill(chart_id, j),
                        ink=INK,
                    )
                )
            if not many or len(series) == 1:
                parts.append(
                    format_html(
                        '<text x="{x}" y="{y}" font-size="{size}" font-family="{font}" fill="{ink}" text-anchor="middle">{text}</text>',
                        x=round(x + bar / 2, 1),
                        y=round(top + plot_h - h - 3, 1),
                        size=10 if many else 12,
                        font=FONT,
                        ink=INK,
                        text=s.text(i),
                    )
                )
        lx, ly = round(left + i * slot + slot / 2, 1), top + plot_h + 14
        if many:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" font-size="10" font-family="{font}" fill="{ink}" text-anchor="end" '
                    'transform="rotate(-60 {x} {y})">{label}</text>',
                    x=lx,
                    y=ly,
                    font=FONT,
                    ink=INK,
                    label=label,
                )
            )
        else:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" font-size="12" font-family="{font}" fill="{ink}" text-anchor="middle">{label}</text>',
                    x=lx,
                    y=ly,
                    font=FONT,
                    ink=INK,
                    label=label,
                )
            )
    return _svg(chart_id, title, width, height, mark_safe("".join(str(p) for p in parts)))  # noqa: S308


def _clip(text, length):
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def figure_chart(figure, *, series_columns=None):
    """The chart for a dashboard Figure, or "" when a table says it better (or there is no data)."""
    if not figure.available or not figure.rows or figure.kind == "table":
        return ""
    if figure.kind != "time" and len(figure.rows) > MAX_BARS:
        return ""  # a province's hundreds of kecamatan: the table (and its CSV) say it better
    columns = series_columns if series_columns is not None else _default_series(figure)
    if isinstance(figure, ShownFigure):
        series = [
            Series(figure.columns[c], [figure.chart_value(v) for v in figure.column(c)], figure.column(c))
            for c in columns
        ]
    else:
        series = [Series(figure.columns[c], figure.column(c)) for c in columns]
    labels = [r.label for r in figure.rows]
    chart_id = "chart-" + escape(figure.key).replace("_", "-")
    if figure.kind == "time":
        return column_chart(chart_id, figure.title, labels, series)
    return bar_chart(chart_id, figure.title, labels, series)


def _default_series(figure):
    if figure.key == "cases_by_year" and len(figure.columns) == 4:
        return [0, 2]  # cases and victims; the "counted in public statistics" columns stay in the table
    if figure.key == "tpks_tppo_by_year":
        return [0, 1]
    if figure.key == "services_given":
        return [0]
    return list(range(len(figure.columns)))
