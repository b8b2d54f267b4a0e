"""Historical import: cases a unit registered before Sinergi, from an XLSX or CSV file.

The file's columns are documented in docs/import.md (and in the template's "petunjuk" sheet). An
import is always two steps: a dry run (`import_check`) that reads every row and reports every row
and column error, and the import itself (`import_apply`), which checks everything again and then
creates all the cases in one transaction, or none.

Safety and cost:
- what a file is, is decided by its bytes (an .xlsx is a ZIP holding a spreadsheet; a .csv is text),
  and the name's extension must agree, so a disguised file is refused;
- an .xlsx is inspected before it is opened: its declared unpacked size, per-member compression
  ratios and member count are bounded (zip bombs), and XML with a DOCTYPE is refused;
- rows are streamed (openpyxl read-only mode, the csv module), never all loaded; a file with more
  than SINERGI_IMPORT_MAX_ROWS rows is refused with a message saying so, as soon as the limit is
  passed; at most MAX_ERRORS errors are kept (the rest are counted).

Idempotency: every row carries an external id (the unit's old register number); an imported case
keeps it in `ImportedCase` (unique per unit). A row whose id was imported before is reported as
"already imported" and skipped, so importing the same file twice adds nothing.

Imported cases are closed, marked `is_historical`, carry only aggregate fields (dates, case type,
kecamatan, place, the victim's sex/age band/education/occupation/disability/violence types, the
perpetrator's relationship and sex, TPKS offences, GBVIMS type), and a statistics consent record
with the lawful basis "public task": the unit's own register is the source, and the public
statistics count them.
"""

import csv
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.access import has_permission
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.cases import rules
from sinergi.cases.choices import (
    AgeBand,
    CaseStatus,
    CaseType,
    ConsentPurpose,
    Disability,
    Education,
    GbvimsType,
    LawfulBasis,
    Occupation,
    PersonRole,
    PlaceType,
    Relationship,
    Sex,
    TpksOffence,
    ViolenceType,
)
from sinergi.cases.models import Case, CasePerson, Consent
from sinergi.regions.models import Region

from .jobs import JobOutput, job_input_delete, job_input_read, job_runner
from .models import ImportedCase, JobKind

DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_MB = 10
MAX_ERRORS = 1000
BATCH = 500

# Bounds on what inspecting an .xlsx may cost (a real 20,000-row sheet unpacks to a few MB).
XLSX_MAX_MEMBERS = 200
XLSX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
XLSX_MAX_RATIO = 200  # unpacked / packed size of one member; spreadsheets XML is ~10-30
XLSX_RATIO_FLOOR = 1024 * 1024  # members smaller than this may have any ratio
XLSX_MAX_CENTRAL_DIRECTORY = 512 * 1024
XLSX_MAX_SHARED_STRINGS = 16 * 1024 * 1024
SPREADSHEET_MAIN_PART = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def max_rows():
    return int(getattr(settings, "SINERGI_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_upload_mb():
    return int(getattr(settings, "SINERGI_IMPORT_MAX_MB", DEFAULT_MAX_MB))


def max_upload_bytes():
    return max_upload_mb() * 1024 * 1024


# --- the columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    kind: str  # "id", "date", "code", "codes", "age", "region"
    choices: type | None = None
    help: str = ""


COLUMNS = (
    Column("id_eksternal", True, "id", help=gettext_lazy("The case's number in the old register; unique.")),
    Column("tanggal_lapor", True, "date", help=gettext_lazy("Date the case was reported.")),
    Column("tanggal_kejadian", False, "date", help=gettext_lazy("Date of the incident, if known.")),
    Column("jenis_kasus", False, "code", CaseType, gettext_lazy("Case type.")),
    Column("kecamatan", False, "region", help=gettext_lazy("Kemendagri code of the kecamatan or kelurahan.")),
    Column("tempat_kejadian", False, "code", PlaceType, gettext_lazy("Place of incident.")),
    Column("jenis_kelamin_korban", True, "code", Sex, gettext_lazy("The victim's sex.")),
    Column("umur_korban", False, "age", help=gettext_lazy("The victim's age in years at the incident.")),
    Column("kelompok_umur_korban", False, "code", AgeBand, gettext_lazy("The victim's age band.")),
    Column("pendidikan_korban", False, "code", Education, gettext_lazy("The victim's education.")),
    Column("pekerjaan_korban", False, "code", Occupation, gettext_lazy("The victim's occupation.")),
    Column("disabilitas_korban", False, "codes", Disability, gettext_lazy("The victim's disabilities.")),
    Column("jenis_kekerasan", True, "codes", ViolenceType, gettext_lazy("Violence types.")),
    Column("hubungan_pelaku", False, "code", Relationship, gettext_lazy("Perpetrator's relationship.")),
    Column("jenis_kelamin_pelaku", False, "code", Sex, gettext_lazy("The perpetrator's sex.")),
    Column("tindak_pidana_tpks", False, "codes", TpksOffence, gettext_lazy("TPKS offences.")),
    Column("jenis_gbvims", False, "code", GbvimsType, gettext_lazy("GBVIMS type of the incident.")),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
COLUMN_BY_NAME = {c.name: c for c in COLUMNS}
CHILD_BANDS = {AgeBand.AGE_0_5, AgeBand.AGE_6_12, AgeBand.AGE_13_17}


# --- results -------------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int | None  # the spreadsheet row (1 = the header); None for the file itself
    column: str
    message: str


@dataclass
class CheckResult:
    rows: int = 0  # data rows read (empty rows are not counted)
    new: int = 0  # rows that would create a case
    already_imported: int = 0  # rows whose external id was imported before (skipped)
    errors: list = field(default_factory=list)
    error_count: int = 0  # all errors, including those past MAX_ERRORS
    file_refused: bool = False  # the file itself (type, size, headers, row limit) was refused

    @property
    def ok(self):
        return self.error_count == 0

    def add(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    def refuse(self, message, column="", row=None):
        self.file_refused = True
        self.add(row, column, message)
        return self

    def summary(self):
        return {
            "rows": self.rows,
            "new": self.new,
            "already_imported": self.already_imported,
            "errors": self.error_count,
            "errors_shown": len(self.errors),
            "file_refused": self.file_refused,
        }


class ImportRefused(Exception):
    def __init__(self, check):
        super().__init__("import refused")
        self.check = check


# --- what the file is ------------------------------------------------------------------------------


class UnsafeFile(Exception):
    pass


def _check_central_directory(data):
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) - end < 22:
        raise UnsafeFile("no end of central directory")
    entries, directory_size = struct.unpack("<HI", data[end + 10 : end + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise UnsafeFile("zip64")
    if entries > XLSX_MAX_MEMBERS or directory_size > XLSX_MAX_CENTRAL_DIRECTORY:
        raise UnsafeFile("central directory too large")


def inspect_xlsx(data):
    """True for a spreadsheet that is safe to open; False when it is a ZIP but no .xlsx.

    Raises UnsafeFile for a ZIP whose unpacking would cost too much (a zip bomb) or whose XML
    declares a DOCTYPE (entity expansion). Only the central directory and the first bytes of each
    XML member are read; the declared sizes bound what opening it later may unpack (zipfile
    stops at the declared size and fails on a CRC mismatch).
    """
    _check_central_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_MEMBERS:
                raise UnsafeFile("too many members")
            if sum(m.file_size for m in members) > XLSX_MAX_UNCOMPRESSED:
                raise UnsafeFile("unpacks too large")
            for m in members:
                if m.file_size > XLSX_RATIO_FLOOR and m.file_size > XLSX_MAX_RATIO * max(m.compress_size, 1):
                    raise UnsafeFile("compression ratio")
                # openpyxl keeps every shared string in memory, even in read-only mode.
                if m.filename.lower() == "xl/sharedstrings.xml" and m.file_size > XLSX_MAX_SHARED_STRINGS:
                    raise UnsafeFile("shared strings too large")
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names:
                return False
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return False  # macros: an .xlsm in disguise
            for m in members:
                if m.filename.lower().endswith((".xml", ".rels")):
                    with archive.open(m) as member:
                        head = member.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise UnsafeFile("doctype")
            with archive.open("[Content_Types].xml") as manifest:
                return SPREADSHEET_MAIN_PART in manifest.read(1024 * 1024)
    except UnsafeFile:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        RuntimeError,
        ValueError,
    ):
        return False


_BINARY_SIGNATURES = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"MZ", b"\x7fELF", b"Rar!", b"\x1f\x8b")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _looks_like_text(data):
    """Printable text (a CSV): no known binary signature, no control characters but tab/CR/LF."""
    if data.startswith(_BINARY_SIGNATURES) or _CONTROL.search(data[:65536]):
        return False
    return _decode(data) is not None


def _decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def file_kind(name, data, check):
    """ "xlsx" or "csv", from the content and the name; None (with the reason in `check`) otherwise."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    if not data:
        check.refuse(_("The file is empty."))
        return None
    if len(data) > max_upload_bytes():
        check.refuse(
            _("The file is larger than %(max)s MB. Split it into smaller files.") % {"max": max_upload_mb()}
        )
        return None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        check.refuse(_("This is an old Excel (.xls) file. Open it in Excel and save it as .xlsx."))
        return None
    content = None
    if data.startswith(b"PK\x03\x04"):
        try:
            content = "xlsx" if inspect_xlsx(data) else "zip"
        except UnsafeFile:
            check.refuse(
                _("This file cannot be checked safely: it unpacks to too much data. It was not opened.")
            )
            return None
    elif _looks_like_text(data):
        content = "csv"
    if extension not in {"xlsx", "csv"}:
        check.refuse(_("Upload an .xlsx or .csv file made from the template."))
        return None
    if content != extension:
        check.refuse(
            _(
                "The file's content is not what its name says: a .%(extension)s file must be "
                "a real %(kind)s file made from the template."
            )
            % {"extension": extension, "kind": "Excel (.xlsx)" if extension == "xlsx" else "CSV"}
        )
        return None
    return content


# --- reading rows ------------------------------------------------------------------------------------


class DamagedFile(Exception):
    pass


def iter_rows(data, kind, on_size=None):
    """(row number, [cell values]) for every row, the header first; streamed.

    `on_size(rows)` is told the sheet's declared row count when the workbook states one.
    """
    if kind == "xlsx":
        import openpyxl

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


# --- parsing values ------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
EARLIEST = dt.date(1950, 1, 1)


class BadValue(Exception):
    pass


def parse_date(value):
    """A date from dd/mm/yyyy, yyyy-mm-dd or an Excel date (a date cell or its serial number)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_excel(value)
    text = _text(value)
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    match = _YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if _SERIAL.match(text):
        return _from_excel(float(text))
    raise BadValue(
        _("“%(value)s” is not a date: write dd/mm/yyyy (31/12/2021) or yyyy-mm-dd (2021-12-31).")
        % {"value": text[:20]}
    )


def _make_date(year, month, day):
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue(_("This date does not exist.")) from None


def _from_excel(serial):
    from openpyxl.utils.datetime import from_excel

    if not 1 <= serial <= 2958465:
        raise BadValue(_("This number is not an Excel date."))
    value = from_excel(serial)
    return value.date() if isinstance(value, dt.datetime) else value


def _code(value, choices):
    code = _text(value).lower()
    if code not in choices.values:
        raise BadValue(
            _("Unknown code “%(value)s”. Use one of: %(codes)s.")
            % {"value": _text(value)[:30], "codes": ", ".join(choices.values)}
        )
    return code


def _codes(value, choices):
    codes = [c.strip() for c in re.split(r"[;,]", _text(value)) if c.strip()]
    return list(dict.fromkeys(_code(c, choices) for c in codes))


def _age(value):
    text = _text(value)
    if not re.fullmatch(r"\d{1,3}", text) or int(text) > 120:
        raise BadValue(_("Enter the age as whole years between 0 and 120."))
    return int(text)


class _Regions:
    """Kecamatan/kelurahan codes, looked up once each."""

    def __init__(self):
        self.cache = {}

    def get(self, value):
        code = _text(value)
        if code not in self.cache:
            self.cache[code] = Region.objects.filter(code=code, level__gte=3).first()
        region = self.cache[code]
        if region is None:
            raise BadValue(
                _("Unknown kecamatan or kelurahan code “%(value)s” (write e.g. 13.76.01).")
                % {"value": code[:20]}
            )
        return region


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


# --- importing ----------------------------------------------------------------------------------------

STATISTICS_BASIS_NOTE = (
    "Historical record imported from the unit's own register; counted in non-identifiable "
    "statistics as part of the unit's public task."
)


def _reported_at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class _Writer:
    """Collects parsed rows and writes them in batches (bulk inserts; every part of the case)."""

    def __init__(self, actor, job):
        self.actor, self.job = actor, job
        self.rows = []
        self.created = 0

    def add(self, number, parsed):
        self.rows.append(parsed)
        if len(self.rows) >= BATCH:
            self.write()

    def write(self):
        if not self.rows:
            return
        unit = self.actor.organisation
        cases = [
            Case(
                unit=unit,
                created_by=self.actor,
                status=CaseStatus.CLOSED,
                is_historical=True,
                reported_at=_reported_at(p["tanggal_lapor"]),
                incident_date=p.get("tanggal_kejadian"),
                case_type=p.get("jenis_kasus", ""),
                place_type=p.get("tempat_kejadian", ""),
                incident_region=p.get("kecamatan"),
                tpks_offences=p.get("tindak_pidana_tpks", []),
                gbvims_type=p.get("jenis_gbvims", ""),
            )
            for p in self.rows
        ]
        Case.objects.bulk_create(cases)
        victims, perpetrators = [], []
        for case, p in zip(cases, self.rows, strict=True):
            victims.append(_victim(case, p))
            if p.get("hubungan_pelaku") or p.get("jenis_kelamin_pelaku"):
                perpetrators.append(
                    CasePerson(
                        case=case,
                        role=PersonRole.PELAKU,
                        is_unknown=True,
                        sex=p.get("jenis_kelamin_pelaku", ""),
                        relationship=p.get("hubungan_pelaku", ""),
                    )
                )
        CasePerson.objects.bulk_create(victims + perpetrators)
        Consent.objects.bulk_create(
            [
                Consent(
                    case=case,
                    victim=victim,
                    purpose=ConsentPurpose.STATISTIK,
                    lawful_basis=LawfulBasis.PUBLIC_TASK,
                    basis_note=STATISTICS_BASIS_NOTE,
                    given_at=case.reported_at,
                    recorded_by=self.actor,
                )
                for case, victim in zip(cases, victims, strict=True)
            ]
        )
        ImportedCase.objects.bulk_create(
            [
                ImportedCase(
                    unit=unit, external_id=p["id_eksternal"], case=case, job=self.job, imported_by=self.actor
                )
                for case, p in zip(cases, self.rows, strict=True)
            ]
        )
        self.created += len(cases)
        self.rows = []


def _victim(case, p):
    age = p.get("umur_korban")
    band = p.get("kelompok_umur_korban") or (str(rules.age_band(age)) if age is not None else "")
    violence = p.get("jenis_kekerasan", [])
    codes = sorted(set(violence))
    day = p.get("tanggal_kejadian") or p["tanggal_lapor"]
    return CasePerson(
        case=case,
        role=PersonRole.KORBAN,
        sex=p.get("jenis_kelamin_korban", ""),
        age_years=age,
        age_at_incident=age,
        birth_year=(day.year - age) if age is not None else None,
        age_band=band,
        is_child=(band in CHILD_BANDS) if band else None,
        education=p.get("pendidikan_korban", ""),
        occupation=p.get("pekerjaan_korban", ""),
        disabilities=p.get("disabilitas_korban", []),
        violence_types=violence,
        violence_codes=f"|{'|'.join(codes)}|" if codes else "",
    )


def _require(actor):
    if not has_permission(actor, "case.import") or actor.organisation_id is None:
        raise PermissionDenied


def import_check(*, actor, data, name, progress=None):
    """The dry run: every row and column error, and how many cases the import would create."""
    _require(actor)
    check = CheckResult()
    kind = file_kind(name, data, check)
    if kind is None:
        return check
    return check_rows(unit=actor.organisation, data=data, kind=kind, progress=progress)


def import_apply(*, actor, data, name, job=None, progress=None):
    """Check everything again and create every new case in one transaction, or nothing.

    Raises ImportRefused (carrying the CheckResult) when any row has an error. Returns the
    CheckResult, whose `new` is the number of cases created.
    """
    _require(actor)
    check = CheckResult()
    kind = file_kind(name, data, check)
    if kind is None:
        raise ImportRefused(check)
    where = {"object_type": "report_job" if job else "", "object_id": job.public_id if job else ""}
    with transaction.atomic():
        writer = _Writer(actor, job)
        check = check_rows(
            unit=actor.organisation, data=data, kind=kind, progress=progress, on_valid=writer.add
        )
        if check.ok:
            writer.write()
            audit_record(
                actor=actor,
                action="case.import",
                details={"rows": check.rows, "created": writer.created, "skipped": check.already_imported},
                **where,
            )
        else:
            # Batches already written are undone with everything else: all or nothing.
            transaction.set_rollback(True)
    if not check.ok:
        audit_record(
            actor=actor,
            action="case.import",
            outcome=Outcome.FAILED,
            details={"rows": check.rows, "errors": check.error_count},
            **where,
        )
        raise ImportRefused(check)
    return check


# --- the template ------------------------------------------------------------------------------------


def template_csv():
    out = io.StringIO()
    csv.writer(out).writerow(COLUMN_NAMES)
    return out.getvalue().encode("utf-8")


def template_xlsx():
    import openpyxl

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


# --- job runners -------------------------------------------------------------------------------------


def _errors_csv(check):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("Column"), _("Error")])
    for error in check.errors:
        writer.writerow([error.row or "", error.column, error.message])
    return out.getvalue().encode("utf-8")


@job_runner(JobKind.IMPORT_CHECK)
def run_import_check(job, progress):
    progress(1, _("Reading the file…"))
    data = job_input_read(job)
    check = import_check(
        actor=job.requested_by, data=data, name=job.params.get("file_name", ""), progress=progress
    )
    if check.ok:
        message = _("No errors: %(new)s new cases, %(skipped)s already imported.") % {
            "new": check.new,
            "skipped": check.already_imported,
        }
    else:
        message = _("%(count)s errors found. Nothing was imported.") % {"count": check.error_count}
        job_input_delete(job)  # a file with errors is never imported: keep nothing of it
    return JobOutput(
        data=_errors_csv(check),
        file_name="pemeriksaan-impor.csv",
        content_type="text/csv; charset=utf-8",
        result={**check.summary(), "dry_run": True},
        message=message,
    )


@job_runner(JobKind.IMPORT)
def run_import(job, progress):
    from .models import ReportJob

    source = ReportJob.objects.get(public_id=job.params["source_job"], requested_by=job.requested_by)
    progress(1, _("Reading the file…"))
    data = job_input_read(source)
    try:
        check = import_apply(
            actor=job.requested_by,
            data=data,
            name=source.params.get("file_name", ""),
            job=job,
            progress=progress,
        )
    except ImportRefused as refused:
        check = refused.check
        return JobOutput(
            data=_errors_csv(check),
            file_name="pemeriksaan-impor.csv",
            content_type="text/csv; charset=utf-8",
            result={**check.summary(), "imported": 0},
            message=_("%(count)s errors found. Nothing was imported.") % {"count": check.error_count},
        )
    job_input_delete(source)
    return JobOutput(
        result={**check.summary(), "imported": check.new},
        message=_("Imported %(new)s cases; %(skipped)s were already imported.")
        % {"new": check.new, "skipped": check.already_imported},
    )
