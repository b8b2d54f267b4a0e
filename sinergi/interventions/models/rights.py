"""Rights information and court monitoring (Perpres 55/2024; UU 12/2022 TPKS Ps 26, 30, 42–43, 66–70).

A *rights explanation* says which rights were explained to a victim, by whom, when and how; the
union of a victim's explanations is her coverage. A *court monitoring* says, for one stage of the
legal process, whether the victim's rights were respected there, and what the unit raises at the
coordination meeting (rakor) until the concern is resolved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField

from ..choices import ExplanationMethod
from .services import LegalProcessStage, _Recorded


class RightsExplanation(_Recorded):
    """Rights explained to one victim on one day (`rights`: codes of choices.RightsItem)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="rights_explanations")
    victim = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.RESTRICT,
        related_name="rights_explanations",
        verbose_name=_("victim"),
    )
    rights = models.JSONField(_("rights explained"), default=list)
    explained_on = models.DateField(_("explained on"))
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("explained by"),
    )
    method = models.CharField(_("how"), max_length=10, choices=ExplanationMethod.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["victim", "explained_on", "id"]
        verbose_name = _("rights explanation")
        verbose_name_plural = _("rights explanations")

    def __str__(self):
        return f"rights {self.public_id}"


class CourtMonitoring(_Recorded):
    """Were the victim's rights respected at this stage? True, False, or None (not known).

    `closed_hearing_child` is only recorded when a victim of the case is (or may be) a child: the
    service refuses a value when every victim is known to be an adult. A monitoring with
    `raise_at_rakor` is a *concern* until `concern_resolved_at`.
    """

    stage = models.OneToOneField(
        LegalProcessStage, on_delete=models.CASCADE, related_name="monitoring", verbose_name=_("stage")
    )
    accompanied = models.BooleanField(_("victim accompanied"), null=True, blank=True)
    not_confronted = models.BooleanField(_("not confronted with the perpetrator"), null=True, blank=True)
    closed_hearing_child = models.BooleanField(_("closed hearing (child victim)"), null=True, blank=True)
    restitution_asked = models.BooleanField(_("restitution asked for"), null=True, blank=True)
    problems = EncryptedTextField(_("problems"), blank=True)
    raise_at_rakor = models.BooleanField(_("raise at the coordination meeting"), default=False)
    concern_resolved_at = models.DateTimeField(_("concern resolved"), null=True, blank=True)
    concern_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["stage", "id"]
        verbose_name = _("court monitoring")
        verbose_name_plural = _("court monitorings")
        indexes = [models.Index(fields=["raise_at_rakor", "concern_resolved_at"])]

    def __str__(self):
        return f"monitoring {self.public_id}"

    @property
    def is_open_concern(self):
        return self.raise_at_rakor and self.concern_resolved_at is None
