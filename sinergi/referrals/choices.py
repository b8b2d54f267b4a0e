from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "terkirim", _("Sent")
    ACCEPTED = "diterima", _("Accepted")
    DECLINED = "ditolak", _("Declined")
    IN_SERVICE = "dalam_layanan", _("In service")
    COMPLETED = "selesai", _("Completed")
    REVOKED = "dibatalkan", _("Revoked")


#: While a referral is in one of these states the partner may open it.
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)
#: After these, the partner keeps read access for the unit's grace period. A revoked referral
#: (dibatalkan) ends access at once: revoking means withdrawing what was shared.
CLOSED_STATUSES = (ReferralStatus.DECLINED, ReferralStatus.COMPLETED)


class SharedSection(models.TextChoices):
    """What a sender may choose to share with the partner (the case code is always shared)."""

    IDENTITY = "identitas", _("Identity")
    CONTACT = "kontak", _("Contact details")
    CHRONOLOGY = "kronologi", _("Chronology")
    ASSESSMENT = "asesmen", _("Assessment")
    DOCUMENTS = "dokumen", _("Documents")
