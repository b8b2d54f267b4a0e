"""Documents: marking a case document as shareable, and the partner opening a shared one."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.cases import documents as case_documents
from sinergi.cases.choices import PersonRole
from sinergi.cases.models import CasePerson

from ..choices import SharedSection
from ..models import ShareableDocument
from ..policies import can_refer_from_case, can_view_referral

# --- documents --------------------------------------------------------------------------------


@transaction.atomic
def document_share_mark(*, actor, document, shareable):
    """Mark (or unmark) a case document as fit to share with partners through a referral."""
    case = document.case
    if not can_refer_from_case(actor, case):
        raise PermissionDenied
    if shareable:
        _mark, created = ShareableDocument.objects.get_or_create(
            document=document, defaults={"marked_by": actor}
        )
        changed = created
    else:
        changed = ShareableDocument.objects.filter(document=document).delete()[0] > 0
    if changed:
        audit_record(
            actor=actor,
            action="document.share_mark" if shareable else "document.share_unmark",
            object_type="document",
            object_id=document.public_id,
            case=case,
        )
    return changed


def victims_of(case):
    return CasePerson.objects.filter(case=case, role=PersonRole.KORBAN).order_by("id")


def referral_document_open(*, actor, referral, document):
    """The plain bytes of a document shared with the partner, audited as a download tied to the
    case (so it shows on the case's access panel) and naming the referral."""

    if (
        not can_view_referral(actor, referral)
        or SharedSection.DOCUMENTS not in referral.shared_sections
        or not referral.documents.filter(pk=document.pk, share_mark__isnull=False).exists()
    ):
        raise PermissionDenied
    try:
        with default_storage.open(document.storage_name, "rb") as stored:
            data = case_documents.unseal(
                stored.read(), public_id=document.public_id, key_version=document.key_version
            )
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise case_documents.DocumentUnreadable("checksum mismatch")
    except Exception as exc:  # noqa: BLE001 - any failure to read is the same answer to the partner
        audit_record(
            actor=actor,
            action="document.download",
            outcome=Outcome.FAILED,
            object_type="document",
            object_id=document.public_id,
            case=referral.case,
            details={"referral": referral.public_id, "reason": "unreadable"},
        )
        raise case_documents.DocumentUnreadable(document.public_id) from exc
    audit_record(
        actor=actor,
        action="document.download",
        object_type="document",
        object_id=document.public_id,
        case=referral.case,
        details={"referral": referral.public_id, "doc_type": document.doc_type, "size": document.size},
    )
    return data
