"""Coordination meetings (rakor lintas sektoral, case conferences) and the action items they decide.

Free text that may mention a survivor (agenda topics, minutes, decisions, what an action item asks
for, its progress notes) is encrypted at rest. Cases appear only through their pseudonymous code,
and only to those who may see them (sinergi.coordination.selectors.agenda_case_label).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedCharField, EncryptedTextField
from sinergi.core.ids import new_public_id

from .choices import ActionItemStatus, MeetingKind, MeetingStatus


class Meeting(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("Shown in invitations: never put a survivor's name here.")
    )
    unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organising unit"),
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=300, blank=True)
    # The period whose statistics the meeting pack shows.
    period_start = models.DateField(_("statistics from"))
    period_end = models.DateField(_("statistics until"))
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DIJADWALKAN
    )
    minutes = EncryptedTextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="meeting_period_in_order"
            ),
        ]

    def __str__(self):
        return self.title


class MeetingParticipant(models.Model):
    """One invitation: an agency (service unit or partner) or a person, with their attendance."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # None: not recorded yet.
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, user__isnull=False)
                | Q(organisation__isnull=False, user__isnull=True),
                name="participant_is_agency_or_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(organisation__isnull=False),
                name="participant_agency_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="participant_person_once"
            ),
        ]

    def __str__(self):
        return str(self.organisation or self.user)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    topic = EncryptedCharField(_("topic"), max_length=300)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return f"{self.meeting_id}#{self.order}"


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = EncryptedTextField(_("decision"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self):
        return f"{self.meeting_id}/{self.pk}"


class ActionItem(models.Model):
    """Who does what by when, decided in a meeting or about a case; assigned to an agency and/or a person."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    # The service unit that owns the item (the meeting's organiser, or the case's unit).
    unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    decision = models.ForeignKey(
        MeetingDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    description = EncryptedCharField(_("what is to be done"), max_length=500)
    assignee_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency responsible"),
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.TERBUKA,
        db_index=True,
    )
    progress_note = EncryptedTextField(_("progress note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Reminders go out once each: shortly before the due date, and once overdue.
    due_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee_organisation__isnull=False) | Q(assignee_user__isnull=False),
                name="action_item_has_assignee",
            ),
        ]

    def __str__(self):
        return self.public_id

    @property
    def reference(self):
        """A short reference for notifications and e-mails (no content, no names)."""
        return "TL-" + self.public_id[:6].upper()
