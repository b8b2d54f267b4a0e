"""Public reports (web form and SAPA 129), their evidence and messages, and per-unit portal settings.

Everything a reporter writes (what happened, contact details, added information) and what an
officer writes back is encrypted at rest (EncryptedTextField). The tracking code is stored in the
clear (it is random and says nothing); the PIN only as a password hash.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from .choices import (
    AgeGroup,
    ContactMethod,
    MessageKind,
    ReporterRelation,
    ReportSource,
    ReportStatus,
    WhenHappened,
)


class PortalSettings(models.Model):
    """What the public pages say about one unit: hotline, WhatsApp, office. Edited by its kepala.

    An empty field falls back to the unit's own organisation record (accounts.Organisation).
    """

    unit = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="portal_settings"
    )
    hotline = models.CharField(_("hotline number"), max_length=40, blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=40, blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    # The official identity on the public pages, so a survivor can tell the real service from an
    # imitation. Empty: the unit's own name, and the government of the unit's region.
    official_name = models.CharField(_("official name of the service"), max_length=200, blank=True)
    government_name = models.CharField(_("government the service belongs to"), max_length=200, blank=True)
    # A file name inside settings.SINERGI_BRANDING_DIR (put there by the operator), or empty for
    # Sinergi's neutral emblem. Never an upload: the public pages serve only what the operator placed.
    logo_file = models.CharField(_("logo file"), max_length=100, blank=True)
    # Optional e-mail address that also receives "danger now" alerts (a duty phone's mailbox).
    alert_email = models.EmailField(_("duty e-mail address for urgent reports"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self):
        return f"portal settings of {self.unit_id}"


class Report(models.Model):
    """A report from the public web form, or one from SAPA 129 entered by staff."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="portal_reports")
    source = models.CharField(
        _("source"), max_length=10, choices=ReportSource.choices, default=ReportSource.DARING
    )
    # 9 characters without the dashes; null for SAPA 129 reports (SAPA tracks those itself).
    tracking_code = models.CharField(max_length=9, unique=True, null=True, blank=True, editable=False)
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    sapa_ticket = models.CharField(_("SAPA 129 ticket number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=ReportStatus.choices, default=ReportStatus.MENUNGGU
    )
    danger_now = models.BooleanField(_("in danger now"), default=False)

    reporter_relation = models.CharField(
        _("who is reporting"), max_length=10, choices=ReporterRelation.choices
    )
    narrative = EncryptedTextField(_("what happened"))
    harm_types = models.JSONField(_("what kind of harm"), default=list, blank=True)
    place_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan/kelurahan"),
    )
    outside_city = models.BooleanField(_("outside the city"), default=False)
    when_happened = models.CharField(
        _("when"), max_length=20, choices=WhenHappened.choices, default=WhenHappened.UNKNOWN
    )
    incident_date = models.DateField(_("date"), null=True, blank=True)
    victim_age_group = models.CharField(
        _("victim's age"), max_length=12, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_method = models.CharField(
        _("how to contact"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.NONE
    )
    contact_detail = EncryptedTextField(_("phone number or e-mail"), blank=True)
    contact_safe_time = EncryptedTextField(_("when it is safe to contact"), blank=True)

    # A double submit of the same form carries the same key: it makes one report.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A "danger now" report is an alarm on the queue staff's pages until one of them takes it
    # (sinergi.portal.alarm); taking it is audited.
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="portal_reports"
    )
    reject_reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-danger_now", "submitted_at", "id"]
        verbose_name = _("public report")
        verbose_name_plural = _("public reports")
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return self.public_id

    @property
    def display_code(self):
        code = self.tracking_code or ""
        return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


class ReportEvidence(models.Model):
    """A file sent with a report: checked and sealed exactly like a case document
    (sinergi.cases.documents); copied into the case's documents when the report becomes a case."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    key_version = models.PositiveSmallIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    document = models.ForeignKey(
        "cases.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self):
        return self.public_id


class ReportMessage(models.Model):
    """An officer's message to the reporter, or information the reporter added later."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=15, choices=MessageKind.choices)
    body = EncryptedTextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "created_at", "id"]

    def __str__(self):
        return f"{self.kind} on {self.report_id}"
