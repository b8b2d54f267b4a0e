from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField

from ..choices import ChildAssent, ConsentGiver, ConsentPurpose, LawfulBasis


class Consent(models.Model):
    """Consent (or the lawful basis that replaces it) for one purpose, for one victim (UU PDP)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    victim = models.ForeignKey("cases.CasePerson", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=10, choices=ConsentPurpose.choices)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    lawful_basis = models.CharField(_("lawful basis"), max_length=20, choices=LawfulBasis.choices)
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices, blank=True)
    guardian = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guardian"),
    )
    guardian_name = EncryptedTextField(_("guardian (if not a person in the case)"), blank=True)
    # The officer's answer for a guardian who is not a victim of the case: is this person the
    # spouse or partner of an alleged perpetrator? (For a victim it is derived from her relations.)
    guardian_partner_of_perpetrator = models.BooleanField(null=True, blank=True)
    child_assent = models.CharField(
        _("the child's assent"), max_length=15, choices=ChildAssent.choices, blank=True
    )
    basis_note = EncryptedTextField(_("why consent could not be asked"), blank=True)
    given_at = models.DateTimeField(_("given"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["case", "victim", "purpose", "-given_at"]

    def __str__(self):
        return f"{self.purpose}/{self.lawful_basis}"
