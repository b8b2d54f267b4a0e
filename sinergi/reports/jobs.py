"""Background report jobs: start one, report its progress, store its file, hand the file out.

A job is a `ReportJob` row plus a django-tasks task (run_report_job, below) that
calls the job kind's *runner*. A runner is `runner(job, progress) -> JobOutput | None`:
`progress(percent, message)` updates the row the progress page polls; the returned output (bytes,
file name, content type, result counts) is sealed and stored like a case document. Runners are
registered by kind with `@job_runner(kind)`, so other report modules (the meeting PDF) plug in.

Who sees a job: the user who asked for it, and the head (kepala_uptd) of that user's unit. Nobody
else, whatever their role: `jobs_visible_to(user)` is the one gate every job view goes through.

Services: `job_start(*, actor, kind, params, reason="", input_file=None)`,
`job_file_open(*, actor, job)` (audited download), `job_files_prune(now=None)`.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from sinergi.accounts.choices import Role
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core.crypto import DecryptionError
from sinergi.core.files import seal, unseal
from sinergi.core.rotation import register_sealed_files
from sinergi.notifications.services import notification_send

from .models import FILE_LIFETIME, JobStatus, ReportJob

logger = logging.getLogger(__name__)

STORAGE_FOLDER = "reports"
RUNNERS = {}


class JobFileExpired(Exception):
    """The job's file is past its expiry (or was pruned): it is not given out."""


class JobFileUnreadable(Exception):
    """The stored file is missing, was altered, or its key is gone."""


@dataclass
class JobOutput:
    data: bytes | None = None
    file_name: str = ""
    content_type: str = ""
    result: dict = field(default_factory=dict)
    message: str = ""


def job_runner(kind):
    def register(function):
        RUNNERS[kind] = function
        return function

    return register


# --- who sees a job ------------------------------------------------------------------------------


def jobs_visible_to(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ReportJob.objects.none()
    rule = Q(requested_by=user)
    if user.role == Role.KEPALA_UPTD and user.organisation_id:
        rule |= Q(requested_by__organisation_id=user.organisation_id)
    return ReportJob.objects.filter(rule).select_related("requested_by")


# --- sealed files -----------------------------------------------------------------------------------


def _bound_id(job, part):
    # The sealed bytes are bound to the job and to which of its files they are: a stored file
    # copied onto another job (or an export swapped for an input) does not decrypt.
    return f"report-job:{job.public_id}:{part}"


def register_job_files():
    """Key rotation re-seals a job's produced file and its input (docs/keys.md)."""
    for part in ("file", "input"):
        register_sealed_files(
            ReportJob,
            name_field=f"{part}_storage_name",
            version_field=f"{part}_key_version",
            bound_id=lambda job, part=part: _bound_id(job, part),
        )


def _store(job, part, data):
    key_version, blob = seal(data, public_id=_bound_id(job, part))
    name = default_storage.save(f"{STORAGE_FOLDER}/{secrets.token_hex(16)}.bin", ContentFile(blob))
    return name, key_version, hashlib.sha256(data).hexdigest()


def _load(job, part, storage_name, key_version, sha256):
    try:
        with default_storage.open(storage_name, "rb") as stored:
            blob = stored.read()
        data = unseal(blob, public_id=_bound_id(job, part), key_version=key_version)
    except (OSError, DecryptionError, InvalidTag, ValueError) as exc:
        raise JobFileUnreadable(job.public_id) from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise JobFileUnreadable(job.public_id)
    return data


def _delete(name):
    if not name:
        return
    try:
        default_storage.delete(name)
    except OSError:
        logger.exception("could not remove the stored report file %s", name)


def job_input_store(job, data, kind):
    name, key_version, sha256 = _store(job, "input", data)
    ReportJob.objects.filter(pk=job.pk).update(
        input_storage_name=name, input_key_version=key_version, input_sha256=sha256, input_kind=kind
    )
    job.input_storage_name, job.input_key_version, job.input_sha256, job.input_kind = (
        name,
        key_version,
        sha256,
        kind,
    )


def job_input_read(job):
    if not job.input_storage_name or job.files_deleted_at is not None:
        raise JobFileExpired(job.public_id)
    return _load(job, "input", job.input_storage_name, job.input_key_version, job.input_sha256)


def job_input_delete(job):
    _delete(job.input_storage_name)
    ReportJob.objects.filter(pk=job.pk).update(input_storage_name="")
    job.input_storage_name = ""


def job_file_read(job):
    """The plain bytes of the job's file, for code that already checked who asks (no audit)."""
    if job.is_expired:
        raise JobFileExpired(job.public_id)
    if not job.has_file:
        raise JobFileUnreadable(job.public_id)
    return _load(job, "file", job.file_storage_name, job.file_key_version, job.file_sha256)


# --- services -------------------------------------------------------------------------------------


def job_start(*, actor, kind, params=None, reason="", input_data=None, input_kind=""):
    """Create the job (and store its input file, sealed), then queue its task. Returns the job.

    The row is written before the task is queued, outside any transaction, so a worker that
    picks the task up at once finds it.
    """

    if kind not in RUNNERS:
        raise ValueError(f"no runner for report job kind {kind!r}")
    if actor.organisation_id is None:
        raise PermissionDenied
    params = dict(params or {})
    params.setdefault("language", translation.get_language() or "id")
    now = timezone.now()
    job = ReportJob.objects.create(
        kind=kind,
        requested_by=actor,
        unit_id=actor.organisation_id,
        params=params,
        reason=reason,
        created_at=now,
        expires_at=now + FILE_LIFETIME,
    )
    if input_data is not None:
        job_input_store(job, input_data, input_kind)
    audit_record(
        actor=actor,
        action="report.request",
        object_type="report_job",
        object_id=job.public_id,
        details={"kind": kind, **{k: v for k, v in params.items() if k in SAFE_PARAM_KEYS}},
    )
    run_report_job.enqueue(job.public_id)
    job.refresh_from_db()
    return job


#: Params that may be copied into the audit trail (codes and dates, never names).
SAFE_PARAM_KEYS = frozenset({"date_from", "date_to", "format", "selection", "source_job", "dry_run"})


class Progress:
    """progress(percent, message): writes the row at most when the percentage moves."""

    def __init__(self, job):
        self.job = job
        self.last = -1

    def __call__(self, percent, message=""):
        percent = max(0, min(99, int(percent)))
        if percent == self.last and not message:
            return
        self.last = percent
        updates = {"progress": percent}
        if message:
            updates["message"] = str(message)[:300]
        ReportJob.objects.filter(pk=self.job.pk).update(**updates)


def job_run(job_id):
    """Run one job by its public id (the task's body). Never raises for a runner's failure."""
    job = ReportJob.objects.select_related("requested_by", "unit").filter(public_id=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return
    runner = RUNNERS.get(job.kind)
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    language = job.params.get("language") or "id"
    with translation.override(language):
        try:
            if runner is None:
                raise LookupError(job.kind)
            output = runner(job, Progress(job)) or JobOutput()
        except Exception:
            logger.exception("report job %s (%s) failed", job.public_id, job.kind)
            ReportJob.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                message=_(
                    "The job failed. Nothing was changed; please try again or tell your administrator."
                ),
            )
            job.refresh_from_db()
            _notify(job)
            return
        updates = {
            "status": JobStatus.DONE,
            "progress": 100,
            "finished_at": timezone.now(),
            "result": output.result,
            "message": (output.message or _("Done."))[:300],
        }
        if output.data is not None:
            name, key_version, sha256 = _store(job, "file", output.data)
            updates.update(
                file_storage_name=name,
                file_key_version=key_version,
                file_sha256=sha256,
                file_size=len(output.data),
                file_name=output.file_name[:120],
                file_content_type=output.content_type[:100],
            )
        ReportJob.objects.filter(pk=job.pk).update(**updates)
        job.refresh_from_db()
        _notify(job)


def _notify(job):
    done = job.status == JobStatus.DONE
    message = (
        _("Your report job is ready: %(kind)s.") if done else _("Your report job failed: %(kind)s.")
    ) % {"kind": job.get_kind_display()}
    notification_send(
        recipient=job.requested_by,
        kind="report_job",
        message=str(message),
        link=reverse("reports:job", args=[job.public_id]),
    )


def job_file_open(*, actor, job):
    """The job's file for someone who may see the job; every download (and refusal) is audited."""
    if not jobs_visible_to(actor).filter(pk=job.pk).exists():
        raise PermissionDenied
    details = {"kind": job.kind}
    try:
        data = job_file_read(job)
    except JobFileExpired:
        audit_record(
            actor=actor,
            action="report.download",
            outcome=Outcome.FAILED,
            object_type="report_job",
            object_id=job.public_id,
            details={**details, "reason": "expired"},
        )
        raise
    except JobFileUnreadable:
        logger.error("report job %s: the stored file cannot be read", job.public_id)
        audit_record(
            actor=actor,
            action="report.download",
            outcome=Outcome.FAILED,
            object_type="report_job",
            object_id=job.public_id,
            details={**details, "reason": "unreadable"},
        )
        raise
    audit_record(
        actor=actor,
        action="report.download",
        object_type="report_job",
        object_id=job.public_id,
        details={**details, "size": len(data), "identifying": job.kind == "identifying"},
    )
    return data


def job_files_prune(now=None):
    """Delete the stored files of every job past its expiry; the rows stay. Returns the count."""
    now = now or timezone.now()
    count = 0
    expired = ReportJob.objects.filter(expires_at__lte=now, files_deleted_at__isnull=True)
    for job in expired.iterator(chunk_size=500):
        _delete(job.file_storage_name)
        _delete(job.input_storage_name)
        ReportJob.objects.filter(pk=job.pk).update(
            files_deleted_at=now, file_storage_name="", input_storage_name=""
        )
        count += 1
    return count


# --- django-tasks entry points (queued by job_start and by the scheduler) ---------------------------


@task()
def run_report_job(job_id: str):
    job_run(job_id)


@task()
def prune_report_files():
    """Delete report files past their 7 days (queued by run_scheduler; also a management command)."""
    return job_files_prune()
