"""Case documents: evidence files checked by their content, encrypted at rest, opened only audited.

The checks and the sealed storage are shared infrastructure (sinergi.core.files, re-exported here
for the callers that knew them as case documents). At rest the document's public id is the
associated data; the row keeps the key version, the size and the SHA-256 of the plain bytes; the
original file name is an encrypted column. Nothing in storage or the database carries the plain
content or the name.

Services: `document_upload(*, actor, case, uploaded_file, doc_type)` and
`document_open(*, actor, document)`. Reads: `documents_visible_to(user, case)`; who may upload:
`sinergi.cases.policies.may_upload_document(user, case)`.
"""

import hashlib
import logging

from cryptography.exceptions import InvalidTag
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core.crypto import DecryptionError
from sinergi.core.files import (  # noqa: F401 (re-exported for the callers of the case documents)
    ACCEPTED_EXTENSIONS,
    KIND_BY_CONTENT_TYPE,
    DocumentStorageError,
    DocumentUnreadable,
    UnsafeArchive,
    clean_file_name,
    delete_stored,
    download_name_fallback,
    file_extension,
    max_upload_bytes,
    max_upload_mb,
    new_storage_name,
    read_checked_upload,
    seal,
    sniff,
    too_large_error,
    unseal,
)
from sinergi.core.ids import new_public_id

from .choices import CaseStatus, DocumentType
from .models import Document
from .policies import can_view_case

logger = logging.getLogger(__name__)


# --- reads and policy ----------------------------------------------------------------------------


def documents_visible_to(user, case):
    """The case's documents, for a user who may see the case; none otherwise."""
    if not has_permission(user, "case.view") or not can_view_case(user, case):
        return Document.objects.none()
    return Document.objects.filter(case=case).select_related("uploaded_by").order_by("-uploaded_at", "-id")


# --- services ------------------------------------------------------------------------------------


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
