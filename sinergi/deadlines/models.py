"""Deadlines ("clocks") of case work, their per-unit policy, extensions and sent reminders.

A clock belongs to a unit and usually to a case; clocks of things that are not (yet) a case,
such as a report from the public portal or a shelter stay, name their subject by
`subject_type` (the model label) and `subject_id` (its public id).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.core.choices import RiskLevel
from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from .choices import ClockKind, DeadlineStatus, ReminderThreshold, TimeUnit


class Deadline(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("case"),
    )
    subject_type = models.CharField(max_length=60, blank=True, default="")
    subject_id = models.CharField(max_length=64, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=30, choices=ClockKind.choices)
    # The risk level the duration was chosen by (first response, referral response).
    risk = models.CharField(_("risk"), max_length=10, choices=RiskLevel.choices, blank=True)
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    # The due time the policy gave at the start, before any extension.
    original_due_at = models.DateTimeField(_("originally due"))
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("responsible"),
    )
    # Minutes before `due_at` from which an open clock counts as due soon (copied from the policy).
    warning_minutes = models.PositiveIntegerField(default=60)
    # due_at minus the warning: stored so that "due soon" is a plain indexed comparison.
    warn_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            # One running clock of a kind per case and subject (two constraints: NULLs are
            # distinct in unique indexes, so case-less clocks need their own).
            models.UniqueConstraint(
                fields=["kind", "case", "subject_type", "subject_id"],
                condition=Q(status="open", case__isnull=False),
                name="deadline_one_open_per_case_subject",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(status="open", case__isnull=True),
                name="deadline_one_open_per_subject",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.public_id}"

    @property
    def is_open(self):
        return self.status == DeadlineStatus.OPEN

    @property
    def was_extended(self):
        return self.due_at != self.original_due_at


class DeadlineExtension(models.Model):
    """One extension of a running clock (e.g. a shelter stay beyond 7 days) and its reason."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    previous_due_at = models.DateTimeField(_("previously due"))
    new_due_at = models.DateTimeField(_("now due"))
    # Staff write about the victim's situation here: encrypted like every narrative.
    reason = EncryptedTextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self):
        return f"{self.deadline_id}: {self.previous_due_at} -> {self.new_due_at}"


class DeadlineReminder(models.Model):
    """A reminder that went out: one per clock, threshold and due time (an extension re-arms)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10, choices=ReminderThreshold.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "threshold", "due_at"], name="deadline_reminder_once_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.deadline_id} {self.threshold}"


class ClockPolicy(models.Model):
    """A unit's own duration for a clock; without a row the DOMAIN.md §7 default applies."""

    unit = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="clock_policies")
    kind = models.CharField(_("clock"), max_length=30, choices=ClockKind.choices)
    # Blank: every risk level (and the only choice for clocks that do not depend on risk).
    risk = models.CharField(_("risk"), max_length=10, choices=RiskLevel.choices, blank=True)
    amount = models.PositiveIntegerField(_("duration"))
    time_unit = models.CharField(_("unit of time"), max_length=15, choices=TimeUnit.choices)
    warning_minutes = models.PositiveIntegerField(_("warn before (minutes)"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["unit", "kind", "risk"]
        verbose_name = _("clock policy")
        verbose_name_plural = _("clock policies")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "risk"], name="clock_policy_unique"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.kind} {self.risk or '*'}: {self.amount} {self.time_unit}"


class UnitWorkSettings(models.Model):
    """Unit-wide settings of the head-of-unit board."""

    unit = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="work_settings"
    )
    no_contact_days = models.PositiveSmallIntegerField(
        _("flag high-risk cases without contact after (days)"), default=7
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.unit_id}: {self.no_contact_days} days"
