"""Every CSV the app writes neutralises formulas (issue 15, item 8): one helper, used everywhere."""

import csv
import io
import re
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

from sinergi.reports import csvutil
from sinergi.reports.importer.runners import _errors_csv

PACKAGE = Path(settings.BASE_DIR) / "sinergi"
WRITER = re.compile(r"\bcsv\.(writer|DictWriter)\(")
FORMULAS = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "=1"]


def read(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_no_module_writes_a_csv_but_the_helper():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and path != PACKAGE / "reports" / "csvutil.py"
        if WRITER.search(path.read_text())
    ]
    assert not offenders, "write CSV through sinergi.reports.csvutil:\n" + "\n".join(offenders)


def test_the_import_error_file_neutralises_the_cells_it_quotes():
    errors = [SimpleNamespace(row=2, column=text, message=f"Unknown value: {text}") for text in FORMULAS]
    errors += [SimpleNamespace(row=3, column="sex", message=text) for text in FORMULAS]
    rows = read(_errors_csv(SimpleNamespace(errors=errors)))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in "=+-@\t"], cells
    assert '\'=HYPERLINK("http://x")' in cells


def test_numbers_stay_numbers_and_other_types_their_type():
    assert csvutil.neutralise(-5) == -5
    assert csvutil.neutralise("-5") == "-5"
    assert csvutil.neutralise("-5.25") == "-5.25"
    assert csvutil.neutralise(None) is None
    assert csvutil.neutralise("-nan") == "'-nan"
    assert csvutil.safe_cell(None) == ""
    assert [csvutil.neutralise(text)[0] for text in FORMULAS] == ["'"] * len(FORMULAS)


def test_every_written_csv_has_a_byte_order_mark_and_quoted_formulas():
    data = csvutil.csv_bytes([["kode", "=1+1"], ["-3", "biasa"]])
    assert data.startswith("\ufeff".encode())
    assert read(data) == [["kode", "'=1+1"], ["-3", "biasa"]]
