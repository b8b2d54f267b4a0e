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

from ._common import (
    BATCH,
    CHILD_BANDS,
    COLUMN_BY_NAME,
    COLUMN_NAMES,
    COLUMNS,
    DEFAULT_MAX_MB,
    DEFAULT_MAX_ROWS,
    MAX_ERRORS,
    SPREADSHEET_MAIN_PART,
    XLSX_MAX_CENTRAL_DIRECTORY,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_SHARED_STRINGS,
    XLSX_MAX_UNCOMPRESSED,
    XLSX_RATIO_FLOOR,
    CheckResult,
    Column,
    ImportRefused,
    RowError,
    max_rows,
    max_upload_bytes,
    max_upload_mb,
)
from .apply import STATISTICS_BASIS_NOTE, import_apply, import_check
from .check import check_rows
from .files import UnsafeFile, file_kind, inspect_xlsx
from .reading import DamagedFile, estimate_rows, iter_rows
from .runners import run_import, run_import_check
from .template import template_csv, template_xlsx
from .values import EARLIEST, BadValue, parse_date

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_MB",
    "MAX_ERRORS",
    "BATCH",
    "XLSX_MAX_MEMBERS",
    "XLSX_MAX_UNCOMPRESSED",
    "XLSX_MAX_RATIO",
    "XLSX_RATIO_FLOOR",
    "XLSX_MAX_CENTRAL_DIRECTORY",
    "XLSX_MAX_SHARED_STRINGS",
    "SPREADSHEET_MAIN_PART",
    "max_rows",
    "max_upload_mb",
    "max_upload_bytes",
    "Column",
    "COLUMNS",
    "COLUMN_NAMES",
    "COLUMN_BY_NAME",
    "CHILD_BANDS",
    "RowError",
    "CheckResult",
    "ImportRefused",
    "UnsafeFile",
    "inspect_xlsx",
    "file_kind",
    "DamagedFile",
    "iter_rows",
    "estimate_rows",
    "EARLIEST",
    "BadValue",
    "parse_date",
    "check_rows",
    "STATISTICS_BASIS_NOTE",
    "import_check",
    "import_apply",
    "template_csv",
    "template_xlsx",
    "run_import_check",
    "run_import",
]
