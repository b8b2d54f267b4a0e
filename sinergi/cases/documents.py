"""Case documents: evidence files checked by their content, encrypted at rest, opened only audited.

What is accepted is decided by the bytes, never by what the browser declared: PDF, JPEG, PNG,
DOCX and ODT, recognised by their signatures (no libmagic), and the name's extension must agree
with the content, so a program or a web page renamed `visum.pdf` is refused.

At rest a file is `nonce(12) || AES-GCM(ciphertext || tag)` under the active data key of the key
ring (sinergi.core.crypto), with the document's public id as associated data: a stored file copied
onto another document does not decrypt. The row keeps the key version, the size and the SHA-256 of
the plain bytes; the original file name is an encrypted column. Nothing in storage or the database
carries the plain content or the name.

Services: `document_upload(*, actor, case, uploaded_file, doc_type)` and
`document_open(*, actor, document)`. Reads: `documents_visible_to(user, case)`; who may upload:
`sinergi.cases.policies.may_upload_document(user, case)`.
"""

import hashlib
import io
import logging
import os
import secrets
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core.crypto import NONCE_BYTES, DecryptionError, key_ring
from sinergi.core.ids import new_public_id

from .choices import CaseStatus, DocumentType
from .models import Document
from .selectors import can_view_case

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


def _check_central_directory(data):
    """Refuse, from the end-of-central-directory record alone, archives too big to list."""
    end = data.rfind(_EOCD_SIGNATURE, max(0, len(data) - _EOCD_SIZE - 0xFFFF))
    if end < 0 or len(data) - end < _EOCD_SIZE:
        return  # not a well-formed ZIP: zipfile refuses it below
    entries, directory_size = struct.unpack("<HI", data[end + 10 : end + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise UnsafeArchive("ZIP64 archive")  # no office document under the size limit needs it
    if entries > ZIP_MAX_MEMBERS or directory_size > ZIP_MAX_CENTRAL_DIRECTORY:
        raise UnsafeArchive("central directory too large")


def _sniff_zip(data):
    _check_central_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            # Declared sizes come from the central directory: nothing is unpacked to learn them,
            # and a member that unpacks to more than it declares fails its read below.
            if len(members) > ZIP_MAX_MEMBERS:
                raise UnsafeArchive("too many members")
            if sum(m.file_size for m in members) > ZIP_MAX_UNCOMPRESSED:
                raise UnsafeArchive("declared uncompressed size too large")
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


# --- reads and policy ----------------------------------------------------------------------------


def documents_visible_to(user, case):
    """The case's documents, for a user who may see the case; none otherwise."""
    if not has_permission(user, "case.view") or not can_view_case(user, case):
        return Document.objects.none()
    return Document.objects.filter(case=case).select_related("uploaded_by").order_by("-uploaded_at", "-id")


# --- services ------------------------------------------------------------------------------------


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


def document_upload(*, actor, case, uploaded_file, doc_type):
    """Check, encrypt and store one file as evidence of `case`; return the new Document.

    Either both the encrypted file and its row (with the audit event) exist afterwards, or neither:
    a failed write leaves no row, and a failed transaction removes the written file.
    """
    if not has_permission(actor, "case.edit") or not can_view_case(actor, case):
        raise PermissionDenied
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(
            _("This case is closed: documents can no longer be added. Ask the head of unit to reopen it."),
            code="case_closed",
        )
    if doc_type not in DocumentType.values:
        raise ValidationError(
            {"doc_type": ValidationError(_("Choose what kind of document this is."), code="invalid_choice")}
        )
    try:
        data, kind, name = read_checked_upload(uploaded_file)
    except ValidationError as exc:
        code = exc.error_dict["file"][0].code
        if code in {"unsupported", "disguised", "unsafe_archive", "no_extension"}:
            # A refused content check may be someone probing: keep a trace (never the name).
            audit_record(
                actor=actor,
                action="document.upload",
                outcome=Outcome.FAILED,
                object_type="case",
                object_id=case.public_id,
                case=case,
                details={"reason": code, "doc_type": doc_type, "size": uploaded_file.size},
            )
        raise

    public_id = new_public_id()
    key_version, blob = seal(data, public_id=public_id)
    try:
        storage_name = default_storage.save(new_storage_name(), ContentFile(blob))
    except Exception as exc:
        logger.exception("could not store a document of case %s", case.public_id)
        raise DocumentStorageError from exc
    try:
        with transaction.atomic():
            document = Document.objects.create(
                public_id=public_id,
                case=case,
                doc_type=doc_type,
                original_name=name,
                content_type=kind.content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                storage_name=storage_name,
                key_version=key_version,
                uploaded_by=actor,
            )
            audit_record(
                actor=actor,
                action="document.upload",
                object_type="document",
                object_id=document.public_id,
                case=case,
                details={"doc_type": doc_type, "size": len(data), "content_type": kind.content_type},
            )
    except BaseException:
        delete_stored(storage_name)
        raise
    return document


def document_open(*, actor, document):
    """The plain bytes of a document, for a user who may see its case; the download is audited.

    Raises DocumentUnreadable (audited as failed) when the stored file is missing, was altered,
    or its key version is no longer in the key ring.
    """
    case = document.case
    if not has_permission(actor, "case.view") or not can_view_case(actor, case):
        raise PermissionDenied
    try:
        with default_storage.open(document.storage_name, "rb") as stored:
            blob = stored.read()
        data = unseal(blob, public_id=document.public_id, key_version=document.key_version)
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise DocumentUnreadable("checksum mismatch")
    except (OSError, DecryptionError, InvalidTag, ValueError, DocumentUnreadable) as exc:
        logger.error(
            "document %s of case %s cannot be read: %s",
            document.public_id,
            case.public_id,
            type(exc).__name__,
        )
        audit_record(
            actor=actor,
            action="document.download",
            outcome=Outcome.FAILED,
            object_type="document",
            object_id=document.public_id,
            case=case,
            details={"reason": "unreadable"},
        )
        raise DocumentUnreadable(document.public_id) from exc
    audit_record(
        actor=actor,
        action="document.download",
        object_type="document",
        object_id=document.public_id,
        case=case,
        details={"doc_type": document.doc_type, "size": document.size},
    )
    return data
