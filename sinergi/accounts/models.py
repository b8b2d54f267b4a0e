from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.ids import new_public_id

from .choices import AgencyType, OrganisationKind, Role, ServiceCategory, UnitLevel

# Migrations name `sinergi.accounts.models.new_public_id` as the default of every public id.
__all__ = ["new_public_id"]


class Organisation(models.Model):
    """A service unit (UPTD PPA of a city/regency, a province or the nation) or a partner agency.

    Service units form a tree (kota → provinsi → pusat) through `parent`: a higher unit sees the
    aggregate statistics of the units below it. Partner agencies hang off no tree, but belong to
    a region and usually work with one service unit (`parent`).
    """

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    agency_type = models.CharField(_("agency type"), max_length=30, choices=AgencyType.choices)
    unit_level = models.CharField(_("unit level"), max_length=10, choices=UnitLevel.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    services_offered = models.JSONField(_("services offered"), default=list, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Unit policy: when on, every staff member of the unit sees its unrestricted cases.
    all_staff_see_all_cases = models.BooleanField(_("all staff see all unit cases"), default=False)
    # How long a partner keeps read access to a referral after it closes.
    referral_grace_days = models.PositiveSmallIntegerField(_("referral grace period (days)"), default=7)
    # Unit policy: staff may reset a forgotten password by e-mail, to a verified primary address
    # only (sinergi/accounts/email_reset.py). Off unless a unit turns it on; a partner agency's
    # users follow the service unit it works with (`parent`).
    email_password_reset = models.BooleanField(_("e-mail password reset"), default=False)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique_name_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(kind="unit") | ~models.Q(unit_level=""), name="unit_has_level"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def is_service_unit(self):
        return self.kind == OrganisationKind.SERVICE_UNIT

    def clean(self):
        errors = {}
        if self.is_service_unit and not self.unit_level:
            errors["unit_level"] = _("A service unit needs a level.")
        if not self.is_service_unit and self.unit_level:
            errors["unit_level"] = _("Only service units have a level.")
        unknown = set(self.services_offered or []) - set(ServiceCategory.values)
        if unknown:
            errors["services_offered"] = _("Unknown service: %s") % ", ".join(sorted(unknown))
        if self.email_password_reset and not self.is_service_unit:
            errors["email_password_reset"] = _(
                "Only a service unit turns the e-mail reset on; a partner agency follows its unit."
            )
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("An organisation cannot be its own parent.")
            elif not self.parent.is_service_unit:
                errors["parent"] = _("The parent must be a service unit.")
            elif (
                self.is_service_unit
                and self.pk
                and self.pk in {u.pk for u in self.parent.ancestors(include_self=True)}
            ):
                errors["parent"] = _("This would make the unit hierarchy circular.")
        if errors:
            raise ValidationError(errors)

    def descendants(self):
        """Every unit below this one (breadth-first; one query per level of the tree)."""
        found, frontier = [], [self.pk]
        while frontier:
            children = list(
                Organisation.objects.filter(parent_id__in=frontier, kind=OrganisationKind.SERVICE_UNIT)
            )
            children = [c for c in children if c.pk not in {f.pk for f in found} and c.pk != self.pk]
            found.extend(children)
            frontier = [c.pk for c in children]
        return found

    def ancestors(self, include_self=False):
        """Units above this one, nearest first (a short walk: the tree is at most three deep)."""
        chain, node, seen = [], (self if include_self else self.parent), set()
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class OrganisationContact(models.Model):
    """A named contact person of an organisation (official work details, not survivor data)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A Sinergi user: belongs to exactly one organisation and has exactly one role there."""

    first_name = None
    last_name = None
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # Login throttling: consecutive failures and the temporary lock they cause.
    failed_login_count = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.username

    @property
    def name_and_position(self):
        """How people are shown to each other: "Rina Marlina (Petugas pengaduan)" — the full name and
        the position, else the role's label; never the username when there is a full name."""
        position = self.position or (self.get_role_display() if self.role else "")
        return f"{self.get_full_name()} ({position})" if position else self.get_full_name()

    def clean(self):
        super().clean()
        if self.role and not self.organisation_id and self.role != Role.ADMIN_SISTEM:
            raise ValidationError(
                {"organisation": _("Every user except a system administrator belongs to an organisation.")}
            )
        if self.organisation_id:
            is_partner = not self.organisation.is_service_unit
            if is_partner and self.role not in {Role.MITRA, ""}:
                raise ValidationError(
                    {"role": _("Users of a partner agency act as its focal point (mitra).")}
                )
            if not is_partner and self.role == Role.MITRA:
                raise ValidationError(
                    {"role": _("The partner focal point role belongs to partner agencies.")}
                )


class CredentialReset(models.Model):
    """A reset of an active account's password or two-step verification, done by two people.

    One manager asks (`requested_by`), a second one (a kepala of the unit or another
    administrator, never the requester or the account's owner) approves; only then is the old
    password ended (or the authenticators removed) and the owner told (docs/security.md).
    """

    class Kind(models.TextChoices):
        PASSWORD = "password", _("Password")
        MFA = "mfa", _("Two-step verification")

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credential_resets")
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The password set through the approved link (its event names the approver as issuer).
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("credential reset")

    def __str__(self):
        return f"{self.get_kind_display()} reset of {self.user_id}"
