from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.checkpoints import CheckpointError, append, checkpoint_path, read_checkpoints, sign
from sinergi.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's keyed chain and hold it against the signed checkpoints; exits "
        "non-zero naming the first broken event or the forged checkpoint. --checkpoint then signs the "
        "chain's head, appends it to the checkpoint file and the log, and prints it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="After a good verification, write a checkpoint and print it.",
        )
        parser.add_argument(
            "--checkpoint-file",
            help="Hold the trail against this file of checkpoints (e.g. a copy from the log sink) "
            "instead of SINERGI_AUDIT_CHECKPOINT_FILE.",
        )

    def handle(self, *args, checkpoint=False, checkpoint_file=None, **opts):
        stored = read_checkpoints(checkpoint_file)
        result = verify_chain(checkpoints=stored.valid)
        problems = list(stored.problems)
        if not result.ok:
            problems.insert(
                0,
                f"Audit trail BROKEN at event #{result.broken_event_id}: {result.reason} "
                f"({result.checked} events before it are intact).",
            )
        if problems:
            raise CommandError("\n".join(problems))
        unkeyed = f", {result.unkeyed} of them from before the chain was keyed" if result.unkeyed else ""
        self.stdout.write(f"Audit trail intact: {result.checked} events verified{unkeyed}.")
        if result.checkpoint is not None:
            self.stdout.write(
                f"It matches the newest of {len(stored.valid)} signed checkpoints: {result.checkpoint.describe()}."
            )
        elif not checkpoint:
            where = stored.path if stored.exists else f"{stored.path} (not there)"
            self.stdout.write(
                f"No signed checkpoint in {where}: removal of the newest events cannot be detected. "
                "Run `manage.py verify_audit --checkpoint` or the scheduler (docs/audit.md)."
            )
        if checkpoint:
            signed = sign(last_id=result.checked, last_hash=result.last_hash, count=result.checked)
            try:
                append(signed, checkpoint_file or checkpoint_path())
            except CheckpointError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Checkpoint written: {signed.line()}")
