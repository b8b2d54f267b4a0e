"""The case: the unit of work and of access control.

This is the part of the case record the access rules need (owner unit, team, restricted flag,
break-glass grants). Persons, incident, classification and documents are added by the case-record
work on top of this model.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from ..choices import (
    CaseStatus,
    CaseStep,
    CaseType,
    Channel,
    ContactMethod,
    DatePrecision,
    Frequency,
    Jurisdiction,
    PlaceType,
    RiskLevel,
    TeamRole,
)

# No 0/O/1/I/L: codes are read aloud and copied by hand.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_pseudonym():
    """The pseudonymous case code used in statistics, exports, meetings and referrals."""
    return "K-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(7))


class Case(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    pseudonym = models.CharField(
        _("case code"), max_length=12, unique=True, default=new_pseudonym, editable=False
    )
    unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit")
    )
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    # Where the case is in case management (DOMAIN.md §6); moved only by sinergi.cases.workflow.
    step = models.CharField(
        _("step"), max_length=15, choices=CaseStep.choices, default=CaseStep.PENERIMAAN, db_index=True
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the case team and the head of unit can see a restricted case."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Optimistic locking: every save through a service bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    is_historical = models.BooleanField(_("historical (imported)"), default=False)

    # Intake and screening (DOMAIN.md §3).
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    sapa_ticket = models.CharField(_("SAPA 129 ticket number"), max_length=40, blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    case_type = models.CharField(_("case type"), max_length=5, choices=CaseType.choices, blank=True)
    risk = models.CharField(_("risk"), max_length=10, choices=RiskLevel.choices, blank=True, db_index=True)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, choices=Jurisdiction.choices, blank=True
    )
    summary = EncryptedTextField(_("what happened (short)"), blank=True)
    # The first contact with the survivor stops the first-response clock (workflow/contact.py).
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    first_contact_method = models.CharField(
        _("first contact by"), max_length=12, choices=ContactMethod.choices, blank=True
    )

    # Incident (DOMAIN.md §4).
    incident_date = models.DateField(_("incident date"), null=True, blank=True)
    incident_date_precision = models.CharField(
        _("incident date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place_type = models.CharField(
        _("place of incident"), max_length=30, choices=PlaceType.choices, blank=True
    )
    incident_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incident kelurahan/kecamatan"),
    )
    incident_address = EncryptedTextField(_("incident address"), blank=True)
    chronology = EncryptedTextField(_("chronology"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, blank=True)

    # The classification is per victim (CasePerson); the trafficking details stay with the event.
    tppo_notes = EncryptedTextField(
        _("TPPO details (route, transport, recruiter, documents, debt)"), blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "registration_number"],
                condition=~models.Q(registration_number=""),
                name="registration_number_unique_per_unit",
            )
        ]

    def __str__(self):
        return self.registration_number or self.pseudonym


class RegistrationCounter(models.Model):
    """The last registration number used per unit and year; locked while a number is taken."""

    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_counter_per_unit_year")]

    def __str__(self):
        return f"{self.unit_id}/{self.year}: {self.last}"


class CaseAssignment(models.Model):
    """A user on a case's team. Ended assignments are kept (active=False) for the record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    team_role = models.CharField(
        _("team role"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    active = models.BooleanField(default=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(active=True),
                name="one_active_assignment_per_user",
            )
        ]
        indexes = [models.Index(fields=["user", "active"])]

    def __str__(self):
        return f"{self.user} @ {self.case}"


class BreakGlassAccess(models.Model):
    """A kepala's emergency access to a case outside their scope, with the reason they gave."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Staff write about the victim here: encrypted like every other narrative.
    reason = EncryptedTextField(_("reason"))
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self):
        return f"break-glass {self.user} @ {self.case}"
