import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.services import audit_record
from sinergi.core import crypto
from sinergi.core.private_files import write_private
from sinergi.core.rotation import DEFAULT_BATCH, ring_with_new_key, rotate, rotate_files


class Command(BaseCommand):
    help = (
        "Key rotation (docs/keys.md). --new-key adds a new data key to the key ring file and makes it "
        "active (old keys stay); then, once every server runs with the new ring, `rotate_keys` "
        "re-encrypts every value still on an old key, in batches, while the system runs. An "
        "interrupted run is resumed by running it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="Add a new key to the ring file and stop.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)

    def handle(self, *args, new_key=False, batch_size=DEFAULT_BATCH, **opts):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if new_key:
            return self._new_key()
        active = crypto.key_ring().active

        def progress(label, rewritten):
            if opts.get("verbosity", 1) > 1:
                self.stdout.write(f"  {label}: {rewritten} re-encrypted so far")

        rewritten, unreadable = rotate(batch_size=batch_size, after_batch=progress)
        resealed, unreadable_files = rotate_files(batch_size=batch_size, after_batch=progress)
        total = sum(rewritten.values())
        files = sum(resealed.values())
        audit_record(
            actor=None,
            action="keys.rotate",
            object_type="key_ring",
            object_id=str(active),
            details={
                "active": active,
                "rewritten": total,
                "unreadable": unreadable,
                "batch_size": batch_size,
            },
        )
        for label, n in {**rewritten, **resealed}.items():
            if n:
                self.stdout.write(f"  {label}: {n}")
        self.stdout.write(
            f"Re-encrypted {total} values and re-sealed {files} files under key version {active}."
        )
        if unreadable or unreadable_files:
            raise CommandError(
                f"{unreadable} values name a key version the ring does not hold or are not encrypted "
                f"values, and {unreadable_files} files are missing or damaged; they were left as they "
                "are (run `check_keys --verify`)."
            )

    def _new_key(self):
        path = _ring_file()
        if path is None:
            raise CommandError(
                "The key ring comes from the SINERGI_DATA_KEYS variable, not a file: add a new key "
                "by hand (docs/keys.md) or use SINERGI_DATA_KEYS_FILE."
            )
        try:
            raw = path.read_text()
        except OSError as exc:
            raise CommandError(f"Cannot read the key ring file {path}: {exc.strerror}.") from None
        version, text = ring_with_new_key(raw)
        tmp = path.with_name(path.name + ".new")
        write_private(tmp, text)
        os.replace(tmp, path)  # atomic: the file is the old ring or the new one, never half of one
        settings.SINERGI_DATA_KEYS = text
        crypto.key_ring.cache_clear()
        audit_record(
            actor=None,
            action="keys.add",
            object_type="key_ring",
            object_id=str(version),
            details={"active": version},
        )
        self.stdout.write(
            f"Key version {version} added to {path} and made active; the old versions stay.\n"
            "Next: install this ring on every application server and worker, restart them, then run "
            "`manage.py rotate_keys`, then `manage.py check_keys`. Back the ring up (docs/keys.md)."
        )


def _ring_file():
    name = os.environ.get("SINERGI_DATA_KEYS_FILE")
    if name:
        return Path(name)
    if os.environ.get("SINERGI_DATA_KEYS"):
        return None
    return Path(settings.VAR_DIR) / "data_keys.json"
