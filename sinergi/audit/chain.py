"""Canonical hashing of audit events (shared by writing and verifying)."""

import hashlib
import json

GENESIS = "0" * 64
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


def event_hash(event, prev_hash):
    content = {name: _value(event, name) for name in HASHED_FIELDS}
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()
