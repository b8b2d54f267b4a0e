"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint says "at <time> the trail held <count> events, the newest #<last_id> with hash
<last_hash>", signed with HMAC-SHA256 under a checkpoint key derived from the data key ring (never
in the database). Each is appended as one JSON line to SINERGI_AUDIT_CHECKPOINT_FILE (0600) and
written to the log (`sinergi.audit.checkpoint`, for a log sink off the server). verify_chain checks
the database against them: fewer events than a checkpoint counts is a cut or a wipe, another hash
at a checkpointed id a rewrite, a line whose signature fails a forgery (docs/audit.md).
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from sinergi.core.crypto import MissingKey, derived_key
from sinergi.core.private_files import private_file

CHECKPOINT_KEY_LABEL = b"sinergi audit checkpoint v1"
FORMAT = 1
SIGNED_FIELDS = ("format", "last_id", "last_hash", "count", "at", "key")
logger = logging.getLogger("sinergi.audit.checkpoint")


class CheckpointError(Exception):
    """A checkpoint cannot be written (the chain does not verify, the file cannot be written)."""


@dataclass(frozen=True)
class Checkpoint:
    last_id: int
    last_hash: str
    count: int
    at: str  # ISO 8601, UTC
    key: int  # the data key version the signing key is derived from
    mac: str = ""
    format: int = FORMAT
    line_no: int = field(default=0, compare=False)

    def signed_payload(self):
        content = {name: getattr(self, name) for name in SIGNED_FIELDS}
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def line(self):
        content = {name: getattr(self, name) for name in (*SIGNED_FIELDS, "mac")}
        return json.dumps(content, separators=(",", ":"))

    def describe(self):
        return f"checkpoint of {self.at} (#{self.last_id}, {self.count} events)"


def _mac(checkpoint, version):
    _, key = derived_key(CHECKPOINT_KEY_LABEL, version)
    return hmac.new(key, checkpoint.signed_payload(), hashlib.sha256).hexdigest()


def sign(*, last_id, last_hash, count, at=None):
    version, _ = derived_key(CHECKPOINT_KEY_LABEL)
    at = (at or timezone.now()).astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    unsigned = Checkpoint(last_id=last_id, last_hash=last_hash, count=count, at=at, key=version)
    return Checkpoint(**{**asdict(unsigned), "mac": _mac(unsigned, version)})


def checkpoint_path():
    return Path(settings.SINERGI_AUDIT_CHECKPOINT_FILE)


@dataclass
class CheckpointFile:
    path: Path
    exists: bool = False
    valid: list = field(default_factory=list)  # Checkpoint, in file order
    problems: list = field(default_factory=list)  # one sentence per line that is not a valid checkpoint

    @property
    def newest(self):
        return max(self.valid, key=lambda c: (c.last_id, c.at), default=None)


def parse_line(text, line_no=0):
    """The checkpoint on one line, or a ValueError saying why it is not one. The JSON may follow a
    prefix (a syslog or journald line copied from the log sink)."""
    start = text.find("{")
    if start < 0:
        raise ValueError("it is not a checkpoint")
    try:
        data = json.loads(text[start:])
        checkpoint = Checkpoint(
            last_id=int(data["last_id"]),
            last_hash=str(data["last_hash"]),
            count=int(data["count"]),
            at=str(data["at"]),
            key=int(data["key"]),
            mac=str(data["mac"]),
            format=int(data["format"]),
            line_no=line_no,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValueError("it is not a checkpoint") from None
    if checkpoint.format != FORMAT:
        raise ValueError(f"its format {checkpoint.format} is unknown")
    try:
        expected = _mac(checkpoint, checkpoint.key)
    except MissingKey:
        raise ValueError(
            f"it is signed with key version {checkpoint.key}, which the key ring lacks"
        ) from None
    if not hmac.compare_digest(expected, checkpoint.mac):
        raise ValueError("its signature is wrong (forged or altered)")
    return checkpoint


def read_checkpoints(path=None):
    """Every line of the file, checked; a missing file is an empty one (`exists` tells which)."""
    path = Path(path) if path else checkpoint_path()
    result = CheckpointFile(path=path)
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return result
    except OSError as exc:
        result.problems.append(f"the checkpoint file {path} cannot be read ({exc.strerror})")
        return result
    result.exists = True
    with handle:
        for line_no, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                result.valid.append(parse_line(text, line_no))
            except ValueError as exc:
                result.problems.append(f"line {line_no} of {path} is not a valid checkpoint: {exc}")
    return result


def append(checkpoint, path=None):
    """Append the line to the file (created 0600) and to the log."""
    path = Path(path) if path else checkpoint_path()
    try:
        private_file(path)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(checkpoint.line() + "\n")
    except OSError as exc:
        raise CheckpointError(f"cannot write the checkpoint file {path} ({exc.strerror})") from None
    logger.info("audit checkpoint %s", checkpoint.line())
    return checkpoint
