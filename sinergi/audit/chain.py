"""Canonical hashing of audit events (shared by writing and verifying).

Two schemes, told apart by the event's `key_version` (docs/audit.md "Tamper evidence"):

- `None`: the unkeyed SHA-256 of releases before the keyed chain. Kept only so that events written
  then still verify; nothing writes it any more, and verify_chain accepts it only before the
  first keyed event.
- a number: HMAC-SHA256 under the audit chain key derived from that version of the data key ring
  (`sinergi.core.crypto.derived_key`). The key is never in the database, so someone who can only
  write to the database cannot make a changed or re-chained event fit.
"""

import hashlib
import hmac
import json

from sinergi.core.crypto import derived_key

GENESIS = "0" * 64
CHAIN_KEY_LABEL = b"sinergi audit chain v1"
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "organisation_name",
    "role",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "unit_id",
    "outcome",
    "ip",
    "user_agent",
    "request_id",
    "changes",
    "details",
)


def _value(event, name):
    value = getattr(event, name)
    if name == "occurred_at":
        return value.isoformat(timespec="microseconds")
    return value


def _payload(event, prev_hash, *, keyed):
    content = {name: _value(event, name) for name in HASHED_FIELDS}
    if keyed:
        content["key_version"] = event.key_version
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return f"{prev_hash}\n{payload}".encode()


def legacy_hash(event, prev_hash):
    """The unkeyed hash of events written before the keyed chain (key_version None)."""
    return hashlib.sha256(_payload(event, prev_hash, keyed=False)).hexdigest()


def chain_key(version=None):
    """(version, key) of the audit chain MAC; the active data key's version by default."""
    return derived_key(CHAIN_KEY_LABEL, version)


def event_hash(event, prev_hash, key=None):
    """The event's hash under its own scheme. `key` (bytes) saves the derivation when the caller
    already holds the key of `event.key_version`; raises MissingKey when the ring lacks it."""
    if event.key_version is None:
        return legacy_hash(event, prev_hash)
    if key is None:
        _, key = chain_key(event.key_version)
    return hmac.new(key, _payload(event, prev_hash, keyed=True), hashlib.sha256).hexdigest()
