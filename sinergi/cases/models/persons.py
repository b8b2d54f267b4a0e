from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from ..choices import (
    AgeGroupTold,
    DisabilityStatus,
    Education,
    GbvimsType,
    MaritalStatus,
    Nationality,
    Occupation,
    PersonRole,
    Relationship,
    Religion,
    Sex,
    TppoCategory,
)


class CasePerson(models.Model):
    """A victim, perpetrator or reporter in one case.

    Identity fields are encrypted; NIK and phone carry blind indexes, and name tokens live in
    PersonNameToken, so staff can search without plaintext in the database. The same human being
    in several cases shares a `person_key` once staff confirm a suggested match (never automatic).
    """

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role in the case"), max_length=10, choices=PersonRole.choices, db_index=True)
    person_key = models.CharField(max_length=24, default=new_public_id, db_index=True)
    is_unknown = models.BooleanField(_("identity unknown"), default=False)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_kind = models.CharField(_("reporter"), max_length=20, blank=True)

    name = EncryptedTextField(_("name"), blank=True)
    nik = EncryptedTextField(_("NIK"), blank=True)
    nik_index = models.CharField(max_length=40, blank=True, db_index=True)
    # The NIK warning codes (sinergi.cases.nik.WARNING_CODES) the officer confirmed for this NIK
    # ("as written on the card"); emptied when the NIK changes.
    nik_warnings_confirmed = models.JSONField(_("NIK warnings confirmed"), default=list, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(max_length=40, blank=True, db_index=True)
    address = EncryptedTextField(_("address"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )

    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    age_estimated = models.BooleanField(_("age is estimated"), default=False)
    # Derived at save from the case's incident date (a person is a child when under 18 then).
    age_at_incident = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    is_child = models.BooleanField(null=True, editable=False)
    age_band = models.CharField(max_length=5, blank=True, editable=False)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # An estimated age of 17–19 (rules.possibly_child): flagged until an officer confirms the age;
    # a victim is treated as a child meanwhile.
    possibly_child = models.BooleanField(default=False, editable=False, db_index=True)
    # The age group a public report gave, while no age is recorded (intake carries what is known).
    age_group_told = models.CharField(
        _("age group told in the report"), max_length=5, choices=AgeGroupTold.choices, blank=True
    )
    # The day a child at the report turns 18 (rules.adult_on): a review item for the lead case
    # worker once it has passed in an open case, until someone marks it reviewed.
    adult_on = models.DateField(null=True, blank=True, editable=False, db_index=True)
    adult_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    adult_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    religion = models.CharField(_("religion"), max_length=15, choices=Religion.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=25, choices=Occupation.choices, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=25, choices=MaritalStatus.choices, blank=True
    )
    nationality = models.CharField(_("nationality"), max_length=3, choices=Nationality.choices, blank=True)
    # Blank is "not recorded", a third answer beside yes and no (DOMAIN.md §4).
    has_disability = models.CharField(
        _("has a disability"), max_length=5, choices=DisabilityStatus.choices, blank=True
    )
    disabilities = models.JSONField(_("disabilities"), default=list, blank=True)

    # Victims.
    violence_types = models.JSONField(_("violence types"), default=list, blank=True)
    # "|fisik|psikis|": the same codes as a string, so a case list can filter on them with a
    # plain LIKE on SQLite and PostgreSQL alike (JSON containment differs between the two).
    violence_codes = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    ampk_categories = models.JSONField(_("special protection categories (AMPK)"), default=list, blank=True)

    # A victim's own incident (DOMAIN.md §4, §5, §9: one survivor, one incident). Three
    # classifications kept apart: the violence types above (SIMFONI), the GBVIMS type, and the
    # legal qualification. Whether the incident is TPKS is derived (sinergi.cases.rules.tpks_grounds).
    gbvims_answers = models.JSONField(_("GBVIMS answers"), default=dict, blank=True)
    gbvims_type = models.CharField(_("GBVIMS type"), max_length=30, choices=GbvimsType.choices, blank=True)
    tpks_offences = models.JSONField(_("TPKS offences"), default=list, blank=True)
    pkdrt_types = models.JSONField(_("PKDRT types"), default=list, blank=True)
    tppo_processes = models.JSONField(_("TPPO process"), default=list, blank=True)
    tppo_means = models.JSONField(_("TPPO means"), default=list, blank=True)
    tppo_purposes = models.JSONField(_("TPPO purpose"), default=list, blank=True)
    tppo_category = models.CharField(
        _("trafficking category"), max_length=20, choices=TppoCategory.choices, blank=True
    )
    # UU TPKS Ps 41(4): the victim reported to the police herself; the unit's 3×24 h report is
    # then already made.
    reported_to_police_on = models.DateField(_("reported to the police herself on"), null=True, blank=True)
    # Set by the move to per-victim incidents on a case with several victims: each victim got a
    # copy of the case's classification, which an officer must check (sinergi.cases migration 0006).
    classification_to_review = models.BooleanField(
        _("classification to review"), default=False, db_index=True
    )

    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name = _("person in a case")
        verbose_name_plural = _("persons in a case")

    def __str__(self):
        return f"{self.get_role_display()} {self.public_id}"

    @property
    def turned_adult_unreviewed(self):
        """A victim who was a child at the report, has turned 18 and whom nobody marked reviewed
        (sinergi.cases.selectors.turned_adult_rule, for one person)."""
        return (
            self.role == PersonRole.KORBAN
            and self.adult_on is not None
            and self.adult_reviewed_at is None
            and self.adult_on <= timezone.localdate()
        )


class PerpetratorRelation(models.Model):
    """The relationship of one perpetrator to one victim (SIMFONI): a father who abuses his wife
    and his daughter is `suami_istri` to one and `orang_tua` to the other (DOMAIN.md §4)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="relations")
    perpetrator = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="victim_relations")
    victim = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="perpetrator_relations")
    relationship = models.CharField(
        _("relationship to the victim"), max_length=20, choices=Relationship.choices
    )

    class Meta:
        ordering = ["perpetrator", "victim"]
        constraints = [
            models.UniqueConstraint(fields=["perpetrator", "victim"], name="one_relation_per_pair")
        ]

    def __str__(self):
        return f"{self.perpetrator_id}->{self.victim_id}: {self.relationship}"


class NotTpksDecision(models.Model):
    """An officer's reasoned decision that a victim's incident is not TPKS although an indicator
    says it is (DOMAIN.md §5). It counts only once the kepala approved it; every step is audited."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the head of unit")  # Menunggu kepala UPTD
        APPROVED = "approved", _("Approved")  # Disetujui
        REJECTED = "rejected", _("Rejected")  # Ditolak
        WITHDRAWN = "withdrawn", _("Withdrawn")  # Dibatalkan

    victim = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="not_tpks_decisions")
    reason = EncryptedTextField(_("reason"))
    # The indicators the decision answers; a new indicator later makes the incident TPKS again.
    grounds = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("note of the head of unit"), blank=True)

    class Meta:
        ordering = ["victim", "-proposed_at", "-id"]

    def __str__(self):
        return f"not TPKS {self.victim_id}: {self.status}"


class PersonNameToken(models.Model):
    """One blind-indexed token of a person's normalised name ("siti", "aminah")."""

    person = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "token"], name="one_token_per_person")]

    def __str__(self):
        return self.token
