"""What the file is: CSV or a spreadsheet that is safe to open (no zip bomb, no DOCTYPE)."""

import io
import re
import zipfile
import zlib

from django.utils.translation import gettext as _

from sinergi.core.files import UnsafeArchive, check_zip_directory, check_zip_members

from ._common import (
    SPREADSHEET_MAIN_PART,
    XLSX_MAX_CENTRAL_DIRECTORY,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_SHARED_STRINGS,
    XLSX_MAX_UNCOMPRESSED,
    XLSX_RATIO_FLOOR,
    max_upload_bytes,
    max_upload_mb,
)

# --- what the file is ------------------------------------------------------------------------------


#: An archive refused before it is opened (sinergi.core.files checks every ZIP the same way).
UnsafeFile = UnsafeArchive


def inspect_xlsx(data):
    """True for a spreadsheet that is safe to open; False when it is a ZIP but no .xlsx.

    Raises UnsafeFile for a ZIP whose unpacking would cost too much (a zip bomb) or whose XML
    declares a DOCTYPE (entity expansion). Only the central directory and the first bytes of each
    XML member are read; the declared sizes bound what opening it later may unpack (zipfile
    stops at the declared size and fails on a CRC mismatch).
    """
    check_zip_directory(
        data, max_members=XLSX_MAX_MEMBERS, max_central_directory=XLSX_MAX_CENTRAL_DIRECTORY, required=True
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            check_zip_members(
                members,
                max_members=XLSX_MAX_MEMBERS,
                max_uncompressed=XLSX_MAX_UNCOMPRESSED,
                max_ratio=XLSX_MAX_RATIO,
                ratio_floor=XLSX_RATIO_FLOOR,
            )
            for m in members:
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
