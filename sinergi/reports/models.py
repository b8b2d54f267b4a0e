"""Background report jobs (exports, imports, PDFs) and the record of historical imports.

A job's file (the export it produced, or the file an import was given) is stored encrypted under
var/ exactly like a case document (sinergi.core.files.seal): only the job's row knows where,
under which key, and what the plain bytes' checksum is. Files expire after seven days.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

FILE_LIFETIME = dt.timedelta(days=7)


def default_expiry():
    return timezone.now() + FILE_LIFETIME


class JobKind(models.TextChoices):
    SIMFONI = "simfoni", _("SIMFONI-PPA export (pseudonymous)")
    IDENTIFYING = "identifying", _("Export with names")
    IMPORT_CHECK = "import_check", _("Import check (dry run)")
    IMPORT = "import", _("Historical import")
    MEETING_PDF = "meeting_pdf", _("Meeting report (PDF)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """One background job a user asked for, with its progress and (when done) its file."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_jobs"
    )
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    # Codes, dates and flags only (the period, the format, the language): never personal data.
    params = models.JSONField(default=dict, blank=True)
    # Why someone asked for names (identifying exports): free text, so encrypted.
    reason = EncryptedTextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    # Counts and flags the pages show (rows read, errors, cases created): never personal data.
    result = models.JSONField(default=dict, blank=True)

    # The produced file, sealed at rest (see the module docstring).
    file_name = models.CharField(max_length=120, blank=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    file_storage_name = models.CharField(max_length=100, blank=True)
    file_key_version = models.PositiveSmallIntegerField(null=True, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    # The file an import was given (kept sealed until the import is done or expires).
    input_storage_name = models.CharField(max_length=100, blank=True)
    input_key_version = models.PositiveSmallIntegerField(null=True, blank=True)
    input_sha256 = models.CharField(max_length=64, blank=True)
    input_kind = models.CharField(max_length=10, blank=True)  # "xlsx" or "csv"

    created_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry, db_index=True)
    files_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["requested_by", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.public_id}"

    @property
    def is_finished(self):
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now() or self.files_deleted_at is not None

    @property
    def has_file(self):
        return self.status == JobStatus.DONE and bool(self.file_storage_name)


class ImportedCase(models.Model):
    """A case created by a historical import, under the external id it had in the source file.

    The external id is unique per unit: importing the same file again finds every row here and
    adds nothing.
    """

    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("external id"), max_length=64)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="import_record")
    job = models.ForeignKey(ReportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "external_id"]
        verbose_name = _("imported case")
        verbose_name_plural = _("imported cases")
        constraints = [
            models.UniqueConstraint(fields=["unit", "external_id"], name="one_import_per_external_id")
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.external_id}"


class SimfoniExportRow(models.Model):
    """One victim as a SIMFONI export wrote them: the fingerprint of the row's values then.

    The data officer marks victims entered into SIMFONI-PPA from an export (sinergi.reports.
    simfoni_entries); the entry keeps this fingerprint, so a later change of the victim's values
    shows as "changed since entry" even when it happened between the export and the marking.
    """

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="simfoni_rows")
    victim = models.ForeignKey("cases.CasePerson", on_delete=models.CASCADE, related_name="+")
    victim_code = models.CharField(_("victim code"), max_length=24)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["job", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "victim"], name="one_simfoni_row_per_victim")]

    def __str__(self):
        return f"{self.job_id}/{self.victim_code}"


class SimfoniEntry(models.Model):
    """A victim the data officer entered into SIMFONI-PPA (DOMAIN.md §10): the SIMFONI number
    and/or the date entered, and the fingerprint of the exported values that were entered.

    One row per victim: entering the victim again (an update in SIMFONI) replaces it; every
    marking is in the audit trail (`simfoni.entry`).
    """

    victim = models.OneToOneField("cases.CasePerson", on_delete=models.CASCADE, related_name="simfoni_entry")
    number = models.CharField(_("SIMFONI number"), max_length=40, blank=True)
    entered_on = models.DateField(_("entered into SIMFONI on"), null=True, blank=True)
    fingerprint = models.CharField(max_length=64)
    job = models.ForeignKey(ReportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-entered_at", "-id"]
        verbose_name = _("SIMFONI entry")
        verbose_name_plural = _("SIMFONI entries")

    def __str__(self):
        return f"SIMFONI {self.victim_id}: {self.number or self.entered_on}"


class StatisticsRelease(models.Model):
    """One publication of the public statistics (docs/statistics.md, "Releases").

    The public page, data.json and data.csv show the newest release and nothing computed live.
    `data` holds what is published, per language ({"id": {...}, "en": {...}}): aggregates and
    protected cells only, never a person. A closed year is copied unchanged from the release
    before (frozen at its first publication), so no two releases can be differenced.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    cut_off = models.DateField(_("data until"))
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("statistics release")

    def __str__(self):
        return f"#{self.number} ({self.cut_off:%Y-%m-%d})"
