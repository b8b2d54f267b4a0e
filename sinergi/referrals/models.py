"""A referral of a case to a partner agency: the only door through which a partner sees a case.

This is the part the access rules need; the referral workflow (consent check, sending, inbox
actions, deadlines) is built on top of it by the referrals work.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import new_public_id

from .choices import ReferralStatus


class Referral(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
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
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["to_agency", "status"])]

    def __str__(self):
        return self.public_id
