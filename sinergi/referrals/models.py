"""Referrals of a case to partner agencies, transfers of a case between units, and the partner
directory's referral pathways.

A referral is the only door through which a partner sees a case: it names one victim, the
services asked for, one agency and exactly what is shared. Everything staff or partners write
here about a survivor (messages, reasons, outcomes, incoming referrals) is encrypted at rest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import ServiceCategory
from sinergi.cases.choices import RiskLevel, Sex
from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from .choices import IncomingKind, IncomingStatus, ReferralOutcome, ReferralStatus, TransferStatus


class Referral(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    # The one victim the referral is for (demo and imported referrals may lack it).
    victim = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("victim"),
    )
    # The unit that sent it: stays the same when the case later moves to another unit.
    from_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to"),
    )
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=ReferralStatus.choices,
        default=ReferralStatus.DRAFT,
        db_index=True,
    )
    services = models.JSONField(_("services requested"), default=list, blank=True)
    shared_sections = models.JSONField(_("shared with the partner"), default=list, blank=True)
    documents = models.ManyToManyField(
        "cases.Document", blank=True, related_name="referrals", verbose_name=_("shared documents")
    )
    note = EncryptedTextField(_("message to the partner"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    revoke_reason = EncryptedTextField(_("reason for revoking"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReferralOutcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("outcome details"), blank=True)
    # When the sender's head of unit was told the partner had not answered in time.
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["to_agency", "status"])]

    def __str__(self):
        return self.public_id

    @property
    def risk(self):
        """The risk the response clock runs by (sinergi.deadlines reads `risk` of a subject)."""
        return self.case.risk


class ReferralServiceRecord(models.Model):
    """A service the partner delivered under a referral."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="service_records")
    service = models.CharField(_("service"), max_length=30, choices=ServiceCategory.choices)
    delivered_on = models.DateField(_("delivered on"))
    note = EncryptedTextField(_("what was done"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "delivered_on", "id"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")

    def __str__(self):
        return f"{self.service} {self.delivered_on}"


class ShareableDocument(models.Model):
    """A case document the team marked as fit to share with partners (e.g. a visum, not a diary).

    Only marked documents can be attached to a referral; the mark lives here so the case record's
    documents stay as they are.
    """

    document = models.OneToOneField("cases.Document", on_delete=models.CASCADE, related_name="share_mark")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shareable document")
        verbose_name_plural = _("shareable documents")

    def __str__(self):
        return str(self.document_id)


class ReferralPathway(models.Model):
    """Which agency a unit suggests first (then second ...) for a service."""

    unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="referral_pathways"
    )
    service = models.CharField(_("service"), max_length=30, choices=ServiceCategory.choices)
    agency = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "service", "position", "id"]
        verbose_name = _("referral pathway")
        verbose_name_plural = _("referral pathways")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "service", "agency"], name="pathway_agency_once_per_service"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.service} → {self.agency_id}"


class CaseTransfer(models.Model):
    """A case handed from one service unit to another (pelimpahan), and the answer.

    Both units keep the row: it is the audited trace of where the case came from and went to.
    """

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="transfers_out",
        verbose_name=_("from"),
    )
    to_unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    reason = EncryptedTextField(_("reason for the transfer"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = EncryptedTextField(_("note on the decision"), blank=True)
    # Registration numbers are unique per unit: the receiving unit gives the case a new one.
    old_registration_number = models.CharField(_("registration number at the sending unit"), max_length=40)
    new_registration_number = models.CharField(
        _("registration number at the receiving unit"), max_length=40, blank=True
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="diajukan"), name="one_open_transfer_per_case"
            )
        ]

    def __str__(self):
        return self.public_id


class IncomingReferral(models.Model):
    """A referral from a partner agency to a service unit: a new person (e.g. the hospital found a
    child with injuries) or a referral back for a case the unit referred. It waits in the unit's
    intake until staff take it into a case (a draft case, channel `rujukan`) or decline it."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=IncomingKind.choices, default=IncomingKind.NEW)
    from_agency = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
        verbose_name=_("to"),
    )
    # A referral back answers a referral of the unit, so it already has its case.
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_back"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IncomingStatus.choices, default=IncomingStatus.WAITING
    )
    risk = models.CharField(_("urgency"), max_length=10, choices=RiskLevel.choices, blank=True)
    services = models.JSONField(_("services needed"), default=list, blank=True)
    victim_name = EncryptedTextField(_("name of the person"), blank=True)
    victim_sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    victim_age = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    victim_phone = EncryptedTextField(_("phone"), blank=True)
    victim_address = EncryptedTextField(_("address"), blank=True)
    summary = EncryptedTextField(_("why the person is referred"))
    consent_basis = models.CharField(_("consent or lawful basis"), max_length=20)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="incoming_referrals"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("incoming referral")
        verbose_name_plural = _("incoming referrals")
        indexes = [models.Index(fields=["to_unit", "status"])]

    def __str__(self):
        return self.public_id
