"""Background tasks of the audit trail (django-tasks; queued by `manage.py run_scheduler`)."""

import logging

from django_tasks import task

from .checkpoints import CheckpointError
from .verify import checkpoint_write

logger = logging.getLogger("sinergi.audit")


@task()
def write_audit_checkpoint():
    """Sign the chain's head into the checkpoint file and the log (when it moved since the last
    checkpoint). A chain that does not verify gets no checkpoint and an ERROR log line instead."""
    try:
        checkpoint, written = checkpoint_write()
    except CheckpointError as exc:
        logger.error("audit checkpoint refused: %s", exc)
        return {"ok": False, "problem": str(exc)}
    return {"ok": True, "written": written, "last_id": checkpoint.last_id}
