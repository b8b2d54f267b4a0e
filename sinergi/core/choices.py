from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayKind(models.TextChoices):
    LIBUR_NASIONAL = "libur_nasional", _("National holiday")
    CUTI_BERSAMA = "cuti_bersama", _("Collective leave day")
    LIBUR_DAERAH = "libur_daerah", _("Regional holiday")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "aktif", _("Open")
    CLOSED = "ditutup", _("Closed")


class RiskLevel(models.TextChoices):
    """Risk at intake; high risk means emergency service before assessment."""

    TINGGI = "tinggi", _("High")  # Tinggi
    SEDANG = "sedang", _("Medium")  # Sedang
    RENDAH = "rendah", _("Low")  # Rendah
