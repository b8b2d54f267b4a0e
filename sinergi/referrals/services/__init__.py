"""The referral workflow: draft → terkirim → diterima | ditolak → dalam_layanan → selesai, and
dibatalkan (revoked by the sender).

Every move is a keyword-only service that checks who may make it, locks the referral row, checks
the state it starts from, writes, audits (on the case's timeline) and notifies, in one
transaction: a refused move raises ValidationError (a message for the user) or PermissionDenied
and leaves nothing behind.
"""

from ._common import MIN_REASON_LENGTH, S
from .documents import document_share_mark, referral_document_open, victims_of
from .draft import referral_create, referral_update
from .overdue import referrals_notify_overdue
from .partner import referral_accept, referral_complete, referral_decline, referral_service_record
from .sender import referral_revoke, referral_send

__all__ = [
    "S",
    "MIN_REASON_LENGTH",
    "referral_create",
    "referral_update",
    "referral_send",
    "referral_revoke",
    "referral_accept",
    "referral_decline",
    "referral_service_record",
    "referral_complete",
    "referrals_notify_overdue",
    "document_share_mark",
    "victims_of",
    "referral_document_open",
]
