"""Recompute the audit hash chain."""

from dataclasses import dataclass

from .chain import GENESIS, event_hash
from .models import AuditChainHead, AuditEvent


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    reason: str = ""


def verify_chain(batch_size=5000):
    """Walk every event in id order; stop at the first one that does not fit the chain."""
    prev_hash, expected_id, checked = GENESIS, 1, 0
    events = AuditEvent.objects.order_by("id")
    for event in events.iterator(chunk_size=batch_size):
        if event.id != expected_id:
            return VerifyResult(False, checked, expected_id, f"event #{expected_id} is missing")
        if event.prev_hash != prev_hash:
            return VerifyResult(False, checked, event.id, "its link to the previous event does not match")
        if event_hash(event, prev_hash) != event.hash:
            return VerifyResult(False, checked, event.id, "its content was changed after it was written")
        prev_hash, expected_id, checked = event.hash, expected_id + 1, checked + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_event_id or 0) != checked:
        missing = checked + 1
        return VerifyResult(False, checked, missing, f"event #{missing} and later were removed")
    if head is not None and checked and head.last_hash != prev_hash:
        return VerifyResult(False, checked, checked, "the newest event does not match the chain head")
    return VerifyResult(True, checked)
