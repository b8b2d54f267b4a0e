"""Files at rest: what an upload really is (by its bytes), and sealed storage.

Shared by every context that takes or keeps a file: case documents, public reports, referrals'
shared documents and report jobs.

What is accepted is decided by the bytes, never by what the browser declared: PDF, JPEG, PNG,
DOCX and ODT, recognised by their signatures (no libmagic), and the name's extension must agree
with the content, so a program or a web page renamed `visum.pdf` is refused. Office archives are
opened only after their central directory, member count and unpacked size are checked (no zip
bombs).

At rest a file is `nonce(12) || AES-GCM(ciphertext || tag)` under the active data key of the key
ring (sinergi.core.crypto), with the owner's public id as associated data: a stored file copied
onto another record does not decrypt.
"""

import io
import logging
import os
import secrets
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .crypto import NONCE_BYTES, key_ring

logger = logging.getLogger(__name__)

DEFAULT_MAX_MB = 20
MAX_NAME_LENGTH = 150
STORAGE_FOLDER = "documents"

# An office document is a ZIP archive: these bound what checking one may cost (zip bombs).
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_MANIFEST = 1024 * 1024  # [Content_Types].xml is a few kB in real documents
# zipfile builds an object per central-directory entry before we can count them; bounding the
# directory's size first bounds that work (a real DOCX's directory is a few kB).
ZIP_MAX_CENTRAL_DIRECTORY = 2 * 1024 * 1024
_EOCD_SIGNATURE = b"PK\x05\x06"
_EOCD_SIZE = 22

DOCX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class DocumentStorageError(Exception):
    """The encrypted file could not be written; nothing was saved."""


class DocumentUnreadable(Exception):
    """The stored file is missing, was changed, or its key is gone: it cannot be given out."""


class UnsafeArchive(Exception):
    """A ZIP that would cost too much to inspect (too many members, or unpacks too large)."""


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extensions: tuple

    @property
    def dotted_extensions(self):
        return " / ".join(f".{e}" for e in self.extensions)


PDF = FileKind("pdf", "PDF", "application/pdf", ("pdf",))
JPEG = FileKind("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg"))
PNG = FileKind("png", "PNG", "image/png", ("png",))
DOCX = FileKind(
    "docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
)
ODT = FileKind("odt", "ODT", ODT_MIMETYPE.decode(), ("odt",))
KINDS = (PDF, JPEG, PNG, DOCX, ODT)
KIND_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
ACCEPTED_EXTENSIONS = tuple(f".{ext}" for kind in KINDS for ext in kind.extensions)


def max_upload_bytes():
    return int(getattr(settings, "SINERGI_UPLOAD_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def max_upload_mb():
    return int(getattr(settings, "SINERGI_UPLOAD_MAX_MB", DEFAULT_MAX_MB))


# --- content sniffing ----------------------------------------------------------------------------


def sniff(data):
    """The FileKind the bytes really are, or None. Raises UnsafeArchive for a ZIP too costly to open."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return None


def check_zip_directory(data, *, max_members, max_central_directory, required=False):
    """Refuse, from the end-of-central-directory record alone, archives too big to list.

    Raises UnsafeArchive; a missing record is refused only when `required` (otherwise zipfile
    refuses the file when it is opened).
    """
    end = data.rfind(_EOCD_SIGNATURE, max(0, len(data) - _EOCD_SIZE - 0xFFFF))
    if end < 0 or len(data) - end < _EOCD_SIZE:
        if required:
            raise UnsafeArchive("no end of central directory")
        return
    entries, directory_size = struct.unpack("<HI", data[end + 10 : end + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise UnsafeArchive("ZIP64 archive")  # no office document under the size limit needs it
    if entries > max_members or directory_size > max_central_directory:
        raise UnsafeArchive("central directory too large")


def check_zip_members(members, *, max_members, max_uncompressed, max_ratio=None, ratio_floor=0):
    """Refuse an archive whose declared sizes would cost too much to unpack (a zip bomb).

    Declared sizes come from the central directory: nothing is unpacked to learn them, and a
    member that unpacks to more than it declares fails its read (zipfile checks the CRC).
    """
    if len(members) > max_members:
        raise UnsafeArchive("too many members")
    if sum(m.file_size for m in members) > max_uncompressed:
        raise UnsafeArchive("declared uncompressed size too large")
    if max_ratio is not None:
        for m in members:
            if m.file_size > ratio_floor and m.file_size > max_ratio * max(m.compress_size, 1):
                raise UnsafeArchive("compression ratio")


def _sniff_zip(data):
    check_zip_directory(data, max_members=ZIP_MAX_MEMBERS, max_central_directory=ZIP_MAX_CENTRAL_DIRECTORY)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            check_zip_members(members, max_members=ZIP_MAX_MEMBERS, max_uncompressed=ZIP_MAX_UNCOMPRESSED)
            if members and members[0].filename == "mimetype":
                # OpenDocument: the first member names the format (ODF 1.2 part 3, §3.3).
                if _read_member(archive, members[0], len(ODT_MIMETYPE)) == ODT_MIMETYPE:
                    return ODT
                return None
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros: a .docm in disguise
            manifest = _read_member(archive, archive.getinfo("[Content_Types].xml"), ZIP_MAX_MANIFEST)
            if manifest is not None and DOCX_MAIN_PART in manifest:
                return DOCX
            return None
    except UnsafeArchive:
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
        # RuntimeError: encrypted members; NotImplementedError (a RuntimeError): unknown compression.
        return None


def _read_member(archive, info, limit):
    """At most `limit` bytes of a member, or None when it declares (or turns out) to be longer."""
    if info.file_size > limit:
        return None
    with archive.open(info) as member:
        content = member.read(limit + 1)
    return content if len(content) <= limit else None


# --- names ---------------------------------------------------------------------------------------


def clean_file_name(name):
    """The base name only, without control or bidi-override characters, at most 150 characters.

    A phone may send a full path; "\u202e" can make `gpj.exe` look like `exe.jpg`.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) < 10:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def file_extension(name):
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def download_name_fallback(kind):
    """The ASCII name sent to clients that cannot read an RFC 5987 name."""
    return f"dokumen.{kind.extensions[0]}" if kind else "dokumen"


# --- encryption at rest --------------------------------------------------------------------------


def _associated_data(public_id):
    return f"document:{public_id}".encode()


def seal(data, *, public_id):
    """(key version, nonce || ciphertext || tag) under the active data key."""
    ring = key_ring()
    nonce = os.urandom(NONCE_BYTES)
    return ring.active, nonce + ring.cipher(ring.active).encrypt(nonce, data, _associated_data(public_id))


def unseal(blob, *, public_id, key_version):
    cipher = key_ring().cipher(key_version)  # DecryptionError when the version has left the ring
    return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _associated_data(public_id))


def new_storage_name():
    return f"{STORAGE_FOLDER}/{secrets.token_hex(16)}.bin"


def delete_stored(name):
    try:
        default_storage.delete(name)
    except OSError:
        logger.exception("could not remove the stored document file %s", name)


def _file_error(message, code, params=None):
    return ValidationError({"file": ValidationError(message, code=code, params=params)})


def too_large_error():
    return _file_error(
        _("The file is larger than %(max)s MB. Upload a smaller file (scan at a lower resolution)."),
        "too_large",
        {"max": max_upload_mb()},
    )


def read_checked_upload(uploaded_file):
    """The upload's bytes, its kind and its clean name, or a ValidationError on the `file` field."""
    if uploaded_file is None:
        raise _file_error(_("Choose the file to upload."), "required")
    # The size Django counted while receiving: refuse before reading anything into memory.
    size = uploaded_file.size or 0
    if size > max_upload_bytes():
        raise too_large_error()
    if size == 0:
        raise _file_error(_("The file is empty."), "empty")
    uploaded_file.seek(0)
    data = uploaded_file.read(max_upload_bytes() + 1)
    if len(data) > max_upload_bytes():
        raise too_large_error()
    if not data:
        raise _file_error(_("The file is empty."), "empty")
    try:
        kind = sniff(data)
    except UnsafeArchive:
        raise _file_error(
            _("This file cannot be checked safely: it unpacks to too much data."), "unsafe_archive"
        ) from None
    if kind is None:
        raise _file_error(
            _(
                "This kind of file is not accepted. Upload a PDF, a JPEG or PNG image, or a DOCX or ODT document."
            ),
            "unsupported",
        )
    name = clean_file_name(uploaded_file.name)
    extension = file_extension(name)
    if not extension:
        raise _file_error(
            _("The file name has no extension: a %(kind)s file must end in %(extensions)s."),
            "no_extension",
            {"kind": kind.label, "extensions": kind.dotted_extensions},
        )
    if extension not in kind.extensions:
        raise _file_error(
            _(
                "The file's content is not what its name says (the content is %(kind)s, the name ends in .%(extension)s)."
            ),
            "disguised",
            {"kind": kind.label, "extension": extension[:10]},
        )
    return data, kind, name
