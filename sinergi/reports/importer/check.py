"""Checking every row and column of a file (the dry run), without writing anything."""

import csv
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.cases import rules

from ..models import ImportedCase
from ._common import BATCH, COLUMN_BY_NAME, COLUMNS, CheckResult, max_rows
from .reading import DamagedFile, _text, estimate_rows, iter_rows
from .values import EARLIEST, BadValue, _age, _code, _codes, _Regions, parse_date

# --- checking ------------------------------------------------------------------------------------------


def _check_header(values, check):
    header = [_text(v).lower() for v in values]
    while header and not header[-1]:
        header.pop()
    seen = {}
    for index, name in enumerate(header):
        if not name:
            check.add(1, "", _("Column %(number)s has no name.") % {"number": index + 1})
        elif name not in COLUMN_BY_NAME:
            check.add(1, name[:40], _("Unknown column: use the template's column names."))
        elif name in seen:
            check.add(1, name, _("This column appears twice."))
        else:
            seen[name] = index
    for column in COLUMNS:
        if column.required and column.name not in seen:
            check.add(1, column.name, _("This required column is missing."))
    if check.error_count:
        check.file_refused = True
        return None
    return seen


def _parse_row(number, values, positions, regions, check, today):
    """The row's values by column name, or None after adding its errors to `check`."""
    parsed = {}
    errors_before = check.error_count
    for name, index in positions.items():
        column = COLUMN_BY_NAME[name]
        raw = values[index] if index < len(values) else None
        if _text(raw) == "" and not isinstance(raw, (dt.date, int, float)):
            if column.required:
                check.add(number, name, _("This column is required."))
            continue
        try:
            if column.kind == "id":
                value = _text(raw)
                if len(value) > 64:
                    raise BadValue(_("At most 64 characters."))
            elif column.kind == "date":
                value = parse_date(raw)
                if value > today:
                    raise BadValue(_("The date is in the future."))
                if value < EARLIEST:
                    raise BadValue(_("The date is before 1950."))
            elif column.kind == "code":
                value = _code(raw, column.choices)
            elif column.kind == "codes":
                value = _codes(raw, column.choices)
                if column.required and not value:
                    raise BadValue(_("This column is required."))
            elif column.kind == "age":
                value = _age(raw)
            else:
                value = regions.get(raw)
        except BadValue as exc:
            check.add(number, name, exc.args[0])
            continue
        parsed[name] = value
    incident, reported = parsed.get("tanggal_kejadian"), parsed.get("tanggal_lapor")
    if incident and reported and incident > reported:
        check.add(number, "tanggal_kejadian", _("The incident cannot be after the report."))
    age, band = parsed.get("umur_korban"), parsed.get("kelompok_umur_korban")
    if age is not None and band and str(rules.age_band(age)) != band:
        check.add(
            number,
            "kelompok_umur_korban",
            _("The age band does not match the age (%(age)s years is %(band)s).")
            % {"age": age, "band": rules.age_band(age)},
        )
    if check.error_count > errors_before:
        return None
    return parsed


def _row_fingerprint(values):
    return tuple(_text(v) if not isinstance(v, (dt.date, dt.datetime)) else v.isoformat() for v in values)


def check_rows(*, unit, data, kind, progress=None, on_valid=None):
    """Read every row; return a CheckResult. `on_valid(number, parsed)` gets each new valid row."""
    check = CheckResult()
    today = timezone.localdate()
    regions = _Regions()
    limit = max_rows()
    estimate = estimate_rows(data, kind)

    def on_size(rows):
        nonlocal estimate
        estimate = rows

    positions = None
    seen = {}  # external id → (row number, fingerprint)
    pending = []  # (number, parsed) whose ids are not yet looked up among earlier imports

    def flush():
        ids = [parsed["id_eksternal"] for _n, parsed in pending]
        existing = set(
            ImportedCase.objects.filter(unit=unit, external_id__in=ids).values_list("external_id", flat=True)
        )
        for number, parsed in pending:
            if parsed["id_eksternal"] in existing:
                check.already_imported += 1
            else:
                check.new += 1
                if on_valid is not None:
                    on_valid(number, parsed)
        pending.clear()

    try:
        for number, values in iter_rows(data, kind, on_size=on_size):
            if positions is None:
                positions = _check_header(values, check)
                if positions is None:
                    return check
                continue
            if all(_text(v) == "" for v in values):
                continue
            check.rows += 1
            if check.rows > limit:
                check.rows = limit
                check.refuse(
                    _(
                        "The file has more than %(limit)s rows, the most one import takes. Nothing "
                        "was imported: split it into files of at most %(limit)s rows."
                    )
                    % {"limit": f"{limit:,}".replace(",", ".")},
                    row=number,
                )
                return check
            parsed = _parse_row(number, values, positions, regions, check, today)
            external_id = (
                _text(values[positions["id_eksternal"]]) if positions["id_eksternal"] < len(values) else ""
            )
            if external_id:
                fingerprint = _row_fingerprint(values)
                if external_id in seen:
                    first, first_fingerprint = seen[external_id]
                    if fingerprint == first_fingerprint:
                        message = _("This row repeats row %(row)s.") % {"row": first}
                    else:
                        message = _("Row %(row)s has the same external id.") % {"row": first}
                    check.add(number, "id_eksternal", message)
                    parsed = None
                else:
                    seen[external_id] = (number, fingerprint)
            if parsed is not None:
                pending.append((number, parsed))
                if len(pending) >= BATCH:
                    flush()
            if progress is not None and check.rows % BATCH == 0:
                share = check.rows / max(estimate or limit, 1)
                progress(5 + 80 * min(share, 1), _("%(rows)s rows read") % {"rows": check.rows})
    except (DamagedFile, csv.Error):
        # A damaged spreadsheet (or CSV) that passed the first look: refuse it as a whole.
        return check.refuse(_("The file is damaged and cannot be read. Save it again from the template."))
    if positions is None:
        return check.refuse(_("The file is empty."))
    flush()
    if check.rows == 0:
        check.refuse(_("The file has a header but no rows."))
    return check
