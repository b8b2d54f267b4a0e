"""The template to fill in: CSV, and .xlsx with its instructions sheet."""

import io

import openpyxl
from django.utils.translation import gettext as _

from ..csvutil import csv_bytes
from ._common import COLUMN_NAMES, COLUMNS

# --- the template ------------------------------------------------------------------------------------


def template_csv():
    return csv_bytes([COLUMN_NAMES])


def template_xlsx():
    workbook = openpyxl.Workbook(write_only=True)
    data = workbook.create_sheet("data")
    data.append(list(COLUMN_NAMES))
    example = workbook.create_sheet("contoh")
    example.append(list(COLUMN_NAMES))
    example.append(
        [
            "REG-2021-001",
            "15/03/2021",
            "2021-03-10",
            "ktp",
            "13.76.01",
            "rumah_tangga",
            "perempuan",
            "32",
            "",
            "slta",
            "ibu_rumah_tangga",
            "",
            "fisik; psikis",
            "suami_istri",
            "laki_laki",
            "",
            "physical_assault",
        ]
    )
    guide = workbook.create_sheet("petunjuk")
    guide.append([_("Column"), _("Required"), _("Meaning"), _("Allowed values")])
    for column in COLUMNS:
        if column.choices is not None:
            allowed = ", ".join(column.choices.values)
        elif column.kind == "date":
            allowed = _("dd/mm/yyyy, yyyy-mm-dd or an Excel date")
        elif column.kind == "age":
            allowed = "0–120"
        elif column.kind == "region":
            allowed = _("Kemendagri code, e.g. 13.76.01")
        else:
            allowed = _("text, at most 64 characters")
        guide.append([column.name, _("yes") if column.required else _("no"), str(column.help), allowed])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
