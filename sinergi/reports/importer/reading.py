"""Reading the rows of a CSV or .xlsx file, without loading it all."""

import csv
import io

import openpyxl

from .files import _decode

# --- reading rows ------------------------------------------------------------------------------------


class DamagedFile(Exception):
    pass


def iter_rows(data, kind, on_size=None):
    """(row number, [cell values]) for every row, the header first; streamed.

    `on_size(rows)` is told the sheet's declared row count when the workbook states one.
    """
    if kind == "xlsx":
        # openpyxl raises all sorts (ParseError, KeyError, TypeError...) on a damaged workbook.
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise DamagedFile from exc
        try:
            try:
                sheet = workbook.worksheets[0]
                if on_size is not None and sheet.max_row:
                    on_size(sheet.max_row - 1)
                rows = enumerate(sheet.iter_rows(values_only=True), start=1)
            except Exception as exc:
                raise DamagedFile from exc
            while True:
                try:
                    number, values = next(rows)
                except StopIteration:
                    break
                except Exception as exc:
                    raise DamagedFile from exc
                yield number, list(values)
        finally:
            workbook.close()
    else:
        text = _decode(data)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            yield number, values


def estimate_rows(data, kind):
    if kind == "csv":
        return data.count(b"\n")
    return None


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
