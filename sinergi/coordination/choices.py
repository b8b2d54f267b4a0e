"""Code lists for coordination meetings and action items (DOMAIN.md §1, §10; issue 6 item 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    RAKOR = "rakor", _("Cross-sector coordination meeting (rakor)")
    KONFERENSI_KASUS = "konferensi_kasus", _("Case conference")


class MeetingStatus(models.TextChoices):
    DIJADWALKAN = "dijadwalkan", _("Scheduled")
    SELESAI = "selesai", _("Held")
    DIBATALKAN = "dibatalkan", _("Cancelled")


class ActionItemStatus(models.TextChoices):
    TERBUKA = "terbuka", _("Open")
    BERJALAN = "berjalan", _("In progress")
    SELESAI = "selesai", _("Done")
    DIBATALKAN = "dibatalkan", _("Cancelled")


#: Statuses in which an action item still needs work (and can be overdue).
OPEN_STATUSES = (ActionItemStatus.TERBUKA, ActionItemStatus.BERJALAN)
