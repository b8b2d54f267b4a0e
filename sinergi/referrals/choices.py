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
    SAFETY_PLAN = "rencana_keselamatan", _("Safety plan")
    DOCUMENTS = "dokumen", _("Documents")


#: Sections the partner sees on a referral in this order; the case code is always shown.
SECTION_ORDER = [s.value for s in SharedSection]


class ReferralOutcome(models.TextChoices):
    """How a referral ended, as the partner reports it at completion."""

    TERLAYANI = "terlayani", _("Services delivered")  # Layanan diberikan
    SEBAGIAN = "sebagian", _("Partly delivered")  # Sebagian diberikan
    TIDAK_TERLAYANI = "tidak_terlayani", _("Could not be delivered")  # Tidak dapat diberikan
    DITOLAK_KORBAN = "ditolak_korban", _("Declined by the survivor")  # Ditolak korban
    DIRUJUK_LANJUT = "dirujuk_lanjut", _("Referred on to another agency")  # Dirujuk lanjut


class TransferStatus(models.TextChoices):
    """A transfer of a case between service units (pelimpahan)."""

    REQUESTED = "diajukan", _("Requested")  # Diajukan
    ACCEPTED = "diterima", _("Accepted")  # Diterima
    REJECTED = "ditolak", _("Rejected")  # Ditolak
    CANCELLED = "dibatalkan", _("Cancelled")  # Dibatalkan


class IncomingStatus(models.TextChoices):
    """A referral from a partner agency to a service unit, waiting in the unit's intake."""

    WAITING = "menunggu", _("Waiting")  # Menunggu
    REGISTERED = "diterima", _("Taken into a case")  # Diterima
    DECLINED = "ditolak", _("Declined")  # Ditolak


class IncomingKind(models.TextChoices):
    NEW = "baru", _("New referral from the agency")  # Rujukan baru
    BACK = "balik", _("Referral back for a case of the unit")  # Rujukan balik
