"""Protection of a victim after she reports (DOMAIN.md §6–§7, docs/protection.md): protection
measures (police temporary protection under UU TPKS Ps 42, LPSK under Ps 43, PKDRT police
protection and court protection orders under UU 23/2004 Ps 16 and 28–32), their breaches, and
the victim's own safety plan. Written only through sinergi.cases.workflow.protection; every
narrative is encrypted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from ..protection_choices import ProtectionKind, ProtectionStatus


class ProtectionMeasure(models.Model):
    """One protection measure for one victim, from the request to its end."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="protection_measures")
    victim = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.CASCADE,
        related_name="protection_measures",
        verbose_name=_("victim"),
    )
    kind = models.CharField(_("measure"), max_length=20, choices=ProtectionKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=ProtectionStatus.choices)
    requested_at = models.DateTimeField(_("asked on"))
    issuer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    issuer_name = models.CharField(_("given by (other)"), max_length=200, blank=True)
    reference = models.CharField(_("reference number"), max_length=80, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    given_on = models.DateField(_("given on"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    # The term and the restraining conditions (the perpetrator may not come near, contact, ...).
    conditions = EncryptedTextField(_("term and restraining conditions"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = EncryptedTextField(_("how it ended"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "requested_at", "id"]
        verbose_name = _("protection measure")
        verbose_name_plural = _("protection measures")

    def __str__(self):
        return f"{self.kind} {self.public_id}"


class ProtectionBreach(models.Model):
    """A breach of a protection (or of its restraining conditions) reported to the unit."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="protection_breaches")
    victim = models.ForeignKey(
        "cases.CasePerson", on_delete=models.CASCADE, related_name="protection_breaches"
    )
    measure = models.ForeignKey(
        ProtectionMeasure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name=_("protection breached"),
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    description = EncryptedTextField(_("what happened"))
    reported_to_police = models.BooleanField(_("reported to the police"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "occurred_at", "id"]

    def __str__(self):
        return f"breach {self.public_id}"


class SafetyPlan(models.Model):
    """The safety plan made with one victim (one per victim, kept up to date; each save is audited)."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="safety_plans")
    victim = models.OneToOneField("cases.CasePerson", on_delete=models.CASCADE, related_name="safety_plan")
    risks = EncryptedTextField(_("risks"))
    warning_signs = EncryptedTextField(_("warning signs"), blank=True)
    safe_contacts = EncryptedTextField(_("safe people to call"), blank=True)
    safe_places = EncryptedTextField(_("safe places"), blank=True)
    code_word = EncryptedTextField(_("code word"), blank=True)
    take_when_leaving = EncryptedTextField(_("what to take when leaving"), blank=True)
    made_with_victim = models.BooleanField(_("made together with the survivor"), default=True)
    review_on = models.DateField(_("review on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "id"]

    def __str__(self):
        return f"safety plan {self.public_id}"


class SafetyPlanAction(models.Model):
    """An agreed action of a safety plan: what, who, when."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="actions")
    what = EncryptedTextField(_("action"))
    who = EncryptedTextField(_("who"))
    when = EncryptedTextField(_("when"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self):
        return f"action {self.position}"
