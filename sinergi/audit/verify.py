"""Recompute the audit chain and hold it against the signed checkpoints (docs/audit.md)."""

from dataclasses import dataclass

from django.db.models import Max

from sinergi.core.crypto import MissingKey

from .chain import GENESIS, chain_key, event_hash
from .checkpoints import CheckpointError, append, read_checkpoints, sign
from .models import AuditChainHead, AuditEvent


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    reason: str = ""
    unkeyed: int = 0  # events written before the chain was keyed
    last_hash: str = GENESIS
    checkpoint: object = None  # the newest checkpoint the database was held against


def _broken(checked, event_id, reason):
    return VerifyResult(False, checked, event_id, reason)


def _newest(checkpoints):
    return max(checkpoints, key=lambda c: (c.last_id, c.at), default=None)


def _head_id():
    head = AuditChainHead.objects.filter(id=1).first()
    return None if head is None else (head.last_event_id or 0), head


class _Keys(dict):
    def __missing__(self, version):
        self[version] = chain_key(version)[1]
        return self[version]


def verify_chain(batch_size=5000, *, checkpoints=(), after=None):
    """Walk the events in id order up to the chain head; stop at the first one that does not fit
    the chain or a checkpoint.

    `checkpoints`: valid Checkpoints to hold the chain against (a rewritten event at a checkpointed
    id, fewer events than a checkpoint counts). `after`: a checkpoint whose prefix is taken as
    verified, so only newer events are walked (the periodic job; `verify_audit` walks all).
    """
    by_id = {}
    for checkpoint in checkpoints:
        by_id.setdefault(checkpoint.last_id, []).append(checkpoint)
    # The head first: events written while the walk runs are newer than it and not walked.
    head_id, head = _head_id()
    prev_hash, expected_id, checked, unkeyed, seen_keyed = GENESIS, 1, 0, 0, False
    events = AuditEvent.objects.order_by("id")
    if head_id is not None:
        events = events.filter(id__lte=head_id)
    if after is not None and after.last_id:
        anchor = AuditEvent.objects.filter(id=after.last_id).values_list("hash", flat=True).first()
        if anchor is not None and anchor != after.last_hash:
            return _broken(
                0, after.last_id, f"it is not the event of the {after.describe()}: it was rewritten"
            )
        if anchor is not None:
            prev_hash, expected_id, checked, seen_keyed = (
                after.last_hash,
                after.last_id + 1,
                after.last_id,
                True,
            )
            events = events.filter(id__gt=after.last_id)
    keys = _Keys()
    for event in events.iterator(chunk_size=batch_size):
        if event.id != expected_id:
            return _broken(checked, expected_id, f"event #{expected_id} is missing")
        if event.prev_hash != prev_hash:
            return _broken(checked, event.id, "its link to the previous event does not match")
        key = None
        if event.key_version is None:
            if seen_keyed:
                return _broken(checked, event.id, "it is unkeyed but follows keyed events: it was rewritten")
            unkeyed += 1
        else:
            seen_keyed = True
            try:
                key = keys[event.key_version]
            except MissingKey:
                reason = f"it is keyed with key version {event.key_version}, which the key ring lacks"
                return _broken(checked, event.id, reason)
        if event_hash(event, prev_hash, key) != event.hash:
            return _broken(checked, event.id, "its content was changed after it was written")
        for claim in by_id.get(event.id, ()):
            if claim.last_hash != event.hash:
                return _broken(
                    checked, event.id, f"it is not the event of the {claim.describe()}: it was rewritten"
                )
        prev_hash, expected_id, checked = event.hash, expected_id + 1, checked + 1
    newest = _newest(checkpoints)
    if newest is not None and newest.last_id > checked:
        return _broken(
            checked,
            checked + 1,
            f"the {newest.describe()} counts {newest.count} events, the database holds {checked}: "
            f"events #{checked + 1} to #{newest.last_id} were removed",
        )
    if checked and not seen_keyed:
        return _broken(checked, 1, "no event is keyed: the trail was rewritten without the key")
    if head is not None and head_id != checked:
        return _broken(checked, checked + 1, f"event #{checked + 1} and later were removed")
    if head is not None and checked and head.last_hash != prev_hash:
        return _broken(checked, checked, "the newest event does not match the chain head")
    # An event past the head was not written by audit_record (which moves the head in the same
    # transaction): read the highest id first, then the head, which is at least as new.
    highest = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
    if highest > checked and (_head_id()[0] or 0) < highest:
        return _broken(checked, checked + 1, f"events up to #{highest} lie beyond the chain head")
    return VerifyResult(True, checked, unkeyed=unkeyed, last_hash=prev_hash, checkpoint=newest)


def checkpoint_write(*, full=False, path=None):
    """Verify the chain (from the newest valid checkpoint on, or `full`y) and append a signed
    checkpoint of its head; the newest one when nothing was written since.

    Returns (checkpoint, written); raises CheckpointError naming the problem.
    """
    stored = read_checkpoints(path)
    if stored.problems:
        raise CheckpointError("; ".join(stored.problems))
    newest = stored.newest
    result = verify_chain(checkpoints=stored.valid, after=None if full else newest)
    if not result.ok:
        raise CheckpointError(
            f"Audit trail BROKEN at event #{result.broken_event_id}: {result.reason}; no checkpoint written."
        )
    if newest is not None and (newest.last_id, newest.last_hash) == (result.checked, result.last_hash):
        return newest, False
    checkpoint = sign(last_id=result.checked, last_hash=result.last_hash, count=result.checked)
    return append(checkpoint, path), True
