"""Every CSV the app writes: UTF-8 with a BOM (spreadsheets open it right), formula-looking cells
neutralised (CSV / formula injection: a cell starting with = + - @ or a tab is run by a
spreadsheet). The one way to write a CSV: a test fails on a csv.writer anywhere else.
"""

import csv
import io
import math

from django.http import HttpResponse

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, or — for text a spreadsheet would read as a formula — the text behind a quote.
    Numbers and non-text values are kept (XLSX cells keep their type)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def safe_cell(value):
    if value is None:
        return ""
    return neutralise(str(value))


def _is_number(text):
    try:
        return math.isfinite(float(text))  # "-inf" or "-nan" is a word to a spreadsheet, not a number
    except ValueError:
        return False


def csv_text(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def csv_bytes(rows):
    """The file's bytes, with the byte-order mark Excel needs to read UTF-8."""
    return ("\ufeff" + csv_text(rows)).encode("utf-8")


def csv_response(rows, filename):
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
