from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayKind(models.TextChoices):
    LIBUR_NASIONAL = "libur_nasional", _("National holiday")
    CUTI_BERSAMA = "cuti_bersama", _("Collective leave day")
    LIBUR_DAERAH = "libur_daerah", _("Regional holiday")
