"""What the importer shares: its limits, the columns of the file and the results of a check."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy

from sinergi.cases.choices import (
    AgeBand,
    CaseType,
    Disability,
    Education,
    GbvimsType,
    Occupation,
    PlaceType,
    Relationship,
    Sex,
    TpksOffence,
    ViolenceType,
)

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
