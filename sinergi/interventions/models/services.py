"""Services delivered to victims: the service register, shelter, mediation, accompaniment, the legal
process per perpetrator and restitution (DOMAIN.md §2, §6, §7).

Everything a staff member writes about a victim (notes, outcomes, agreement terms) is encrypted.
Provider and agency names are institutions, not survivors, and stay plain so they can be counted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.cases.choices import Sex
from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from ..choices import (
    AccompanimentDestination,
    AccompanyingOfficer,
    Compliance,
    LegalStage,
    MediationKind,
    MediationMatter,
    MediationStatus,
    RestitutionStage,
    ServiceCategory,
    ServiceStatus,
    UptdService,
)

#: Default and maximum length of a shelter stay before an extension is needed (DOMAIN.md §7).
SHELTER_STAY_DAYS = 7


class _Recorded(models.Model):
    """Who wrote the row and when (the audit trail has the full story)."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        abstract = True


# --- the service register --------------------------------------------------------------------


class ServiceDelivery(_Recorded):
    """One service for one victim: a UPTD service and/or a SIMFONI category, with its status."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="services_delivered")
    victim = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.RESTRICT,
        related_name="services_received",
        verbose_name=_("victim"),
    )
    uptd_service = models.CharField(
        _("UPTD PPA service"), max_length=20, choices=UptdService.choices, blank=True
    )
    category = models.CharField(
        _("SIMFONI service category"), max_length=30, choices=ServiceCategory.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices)
    date = models.DateField(_("date"))
    provider_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider (agency)"),
    )
    provider_name = models.CharField(_("provider (other)"), max_length=200, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    # Given at once to a high-risk case, before any assessment (DOMAIN.md §6).
    emergency = models.BooleanField(_("emergency service"), default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        indexes = [models.Index(fields=["case", "date"])]

    def __str__(self):
        return f"{self.uptd_service or self.category} {self.public_id}"

    @property
    def provider(self):
        return str(self.provider_org) if self.provider_org_id else self.provider_name


# --- temporary shelter -----------------------------------------------------------------------


class Shelter(models.Model):
    """A safe house (rumah aman) run by a service unit. Its address is secret: encrypted."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="shelters", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=120)
    address = EncryptedTextField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="shelter_name_unique_per_unit")]

    def __str__(self):
        return self.name


class ShelterRoom(models.Model):
    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=60)

    class Meta:
        ordering = ["shelter", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["shelter", "name"], name="room_name_unique_per_shelter")
        ]

    def __str__(self):
        return self.name


class ShelterBed(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    room = models.ForeignKey(ShelterRoom, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("bed"), max_length=30)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["room", "label"]
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_label_unique_per_room")]

    def __str__(self):
        return f"{self.room.name} / {self.label}"


class ShelterStay(_Recorded):
    """One victim in one bed, from admission to discharge; `planned_until` moves with extensions."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="shelter_stays")
    victim = models.ForeignKey(
        "cases.CasePerson", on_delete=models.RESTRICT, related_name="shelter_stays", verbose_name=_("victim")
    )
    bed = models.ForeignKey(ShelterBed, on_delete=models.PROTECT, related_name="stays", verbose_name=_("bed"))
    admitted_at = models.DateTimeField(_("admitted"))
    planned_until = models.DateTimeField(_("stay until"))
    discharged_at = models.DateTimeField(_("discharged"), null=True, blank=True)
    criteria = models.JSONField(_("shelter criteria"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    discharge_notes = EncryptedTextField(_("discharge notes"), blank=True)
    emergency = models.BooleanField(_("emergency admission"), default=False)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-admitted_at", "-id"]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        constraints = [
            # The database itself refuses a second person in an occupied bed, whatever races.
            models.UniqueConstraint(
                fields=["bed"], condition=models.Q(discharged_at__isnull=True), name="one_open_stay_per_bed"
            ),
            models.UniqueConstraint(
                fields=["victim"],
                condition=models.Q(discharged_at__isnull=True),
                name="one_open_stay_per_victim",
            ),
        ]

    def __str__(self):
        return f"stay {self.public_id}"

    @property
    def is_open(self):
        return self.discharged_at is None


class ShelterStayExtension(models.Model):
    """Each extension of a stay beyond its planned end, with the reason staff gave."""

    stay = models.ForeignKey(ShelterStay, on_delete=models.CASCADE, related_name="extensions")
    previous_until = models.DateTimeField()
    new_until = models.DateTimeField(_("new end of stay"))
    reason = EncryptedTextField(_("reason"))
    extended_at = models.DateTimeField(auto_now_add=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["stay", "extended_at", "id"]

    def __str__(self):
        return f"{self.stay} → {self.new_until:%Y-%m-%d}"


# --- mediation -------------------------------------------------------------------------------


class Mediation(_Recorded):
    """Mediation of a civil dispute, or *diversi* when a TPKS case has a child perpetrator."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="mediations")
    kind = models.CharField(_("kind"), max_length=10, choices=MediationKind.choices)
    matter = models.CharField(_("matter"), max_length=20, choices=MediationMatter.choices)
    parties = models.ManyToManyField("cases.CasePerson", related_name="mediations", verbose_name=_("parties"))
    other_parties = EncryptedTextField(_("other parties (family, witnesses)"), blank=True)
    # The id of the completed assessment it rests on (DOMAIN.md §7: "needs prior assessment").
    assessment_ref = models.CharField(max_length=24, blank=True)
    # The UU 11/2012 SPPA Ps 7(2) test a diversi passed: threatened penalty under 7 years, and not a
    # repeat offence (None for a mediation).
    sppa_penalty_under_7 = models.BooleanField(_("threatened penalty under 7 years"), null=True, blank=True)
    sppa_repeat_offence = models.BooleanField(_("repeat offence"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=MediationStatus.choices, default=MediationStatus.BERJALAN
    )
    agreement_signed = models.BooleanField(_("agreement signed by the parties"), default=False)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    agreement_terms = EncryptedTextField(_("agreement terms"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")

    def __str__(self):
        return f"{self.kind} {self.public_id}"


class MediationSession(models.Model):
    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    mediator = models.CharField(_("mediator"), max_length=150)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["mediation", "held_on", "id"]

    def __str__(self):
        return f"session {self.pk} of {self.mediation_id}"


class MediationFollowUp(models.Model):
    """A check that the agreement is kept (payments of maintenance, custody visits, ...)."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="follow_ups")
    checked_on = models.DateField(_("date"))
    compliance = models.CharField(_("compliance"), max_length=20, choices=Compliance.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["mediation", "checked_on", "id"]

    def __str__(self):
        return f"follow-up {self.pk} of {self.mediation_id}"


# --- accompaniment ---------------------------------------------------------------------------


class Accompaniment(_Recorded):
    """A victim accompanied to the police, a hospital, a court... and by whom (UU TPKS Ps 26)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="accompaniments")
    victim = models.ForeignKey(
        "cases.CasePerson", on_delete=models.RESTRICT, related_name="accompaniments", verbose_name=_("victim")
    )
    destination = models.CharField(
        _("accompanied to"), max_length=20, choices=AccompanimentDestination.choices
    )
    destination_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency visited"),
    )
    visited_on = models.DateField(_("date"))
    officer_type = models.CharField(
        _("accompanied by (type)"), max_length=30, choices=AccompanyingOfficer.choices
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accompanying staff member"),
    )
    officer_name = models.CharField(_("accompanied by (name, if not staff)"), max_length=150, blank=True)
    officer_sex = models.CharField(_("sex of the companion"), max_length=10, choices=Sex.choices, blank=True)
    # True/False/None; computed from both sexes when known, otherwise as staff recorded it.
    same_sex = models.BooleanField(_("same sex as the victim"), null=True, blank=True)
    same_sex_computed = models.BooleanField(default=False, editable=False)
    emergency = models.BooleanField(_("emergency service"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("accompaniment")
        verbose_name_plural = _("accompaniments")

    def __str__(self):
        return f"{self.destination} {self.public_id}"

    @property
    def companion(self):
        return str(self.officer) if self.officer_id else self.officer_name


# --- legal process and restitution -----------------------------------------------------------


class LegalProcessStage(_Recorded):
    """One step of the criminal process against one perpetrator."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_stages")
    perpetrator = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.RESTRICT,
        related_name="legal_stages",
        verbose_name=_("perpetrator"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=LegalStage.choices)
    occurred_at = models.DateTimeField(_("date and time"))
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    agency_name = models.CharField(_("agency (other)"), max_length=200, blank=True)
    reference = models.CharField(_("reference number"), max_length=80, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["perpetrator", "occurred_at", "id"]
        verbose_name = _("legal process stage")
        verbose_name_plural = _("legal process stages")

    def __str__(self):
        return f"{self.stage} {self.public_id}"

    @property
    def agency_label(self):
        return str(self.agency) if self.agency_id else self.agency_name


class Restitution(_Recorded):
    """A restitution claim of a victim against a perpetrator (UU TPKS Ps 30–35)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="restitutions")
    victim = models.ForeignKey(
        "cases.CasePerson", on_delete=models.RESTRICT, related_name="restitutions", verbose_name=_("victim")
    )
    perpetrator = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="restitutions_owed",
        verbose_name=_("perpetrator"),
    )
    forms = models.JSONField(_("forms of restitution"), default=list)
    amount_claimed = models.DecimalField(
        _("amount claimed (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    amount_awarded = models.DecimalField(
        _("amount awarded (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    amount_paid = models.DecimalField(
        _("amount paid (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    stage = models.CharField(_("stage"), max_length=32, choices=RestitutionStage.choices)
    stage_date = models.DateField(_("date of the stage"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("restitution")
        verbose_name_plural = _("restitutions")

    def __str__(self):
        return f"restitution {self.public_id}"


class RestitutionStep(models.Model):
    """The history of a restitution's stages."""

    restitution = models.ForeignKey(Restitution, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=32, choices=RestitutionStage.choices)
    date = models.DateField(_("date"))
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["restitution", "date", "id"]

    def __str__(self):
        return f"{self.stage} of {self.restitution_id}"
