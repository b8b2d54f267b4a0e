"""The case: the unit of work and of access control.

This is the part of the case record the access rules need (owner unit, team, restricted flag,
break-glass grants). Persons, incident, classification and documents are added by the case-record
work on top of this model.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import new_public_id

from .choices import CaseStatus, TeamRole

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

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return self.registration_number or self.pseudonym


class CaseAssignment(models.Model):
    """A user on a case's team. Ended assignments are kept (active=False) for the record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    team_role = models.CharField(
        _("team role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
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
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self):
        return f"break-glass {self.user} @ {self.case}"
