"""Code lists of the public portal (DOMAIN.md §3). Labels are English msgids; the public pages
show them in Indonesian through the catalogue. Harm types are in plain words, not legal terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """The coarse status a reporter sees (DOMAIN.md §3)."""

    MENUNGGU = "menunggu", _("Waiting")  # Menunggu
    DIVERIFIKASI = "diverifikasi", _("Verified by an officer")  # Diverifikasi
    DIPROSES = "diproses", _("Being handled")  # Diproses
    SELESAI = "selesai", _("Finished")  # Selesai
    DITOLAK = "ditolak", _("Not accepted")  # Ditolak


#: Statuses a report still needs an officer's decision in.
OPEN_STATUSES = (ReportStatus.MENUNGGU, ReportStatus.DIVERIFIKASI)


class ReportSource(models.TextChoices):
    DARING = "daring", _("Public web form")
    SAPA129 = "sapa129", _("National hotline SAPA 129")


class ReporterRelation(models.TextChoices):
    SELF = "self", _("It happened to me")
    OTHER = "other", _("It happened to someone else")


class HarmType(models.TextChoices):
    """What happened, in the words a reporter would use; mapped to case violence types."""

    FISIK = "fisik", _("Hitting, kicking or other physical harm")
    PSIKIS = "psikis", _("Threats, insults, humiliation or control")
    SEKSUAL = "seksual", _("Unwanted sexual touching, sex or sexual photos")
    PENELANTARAN = "penelantaran", _("Being neglected or left without care or money")
    EKSPLOITASI = "eksploitasi", _("Being forced to work, beg or marry")
    TRAFFICKING = "trafficking", _("Being taken or sold to another place")
    DARING = "daring", _("Harassment or threats online")
    LAINNYA = "lainnya", _("Something else")


#: HarmType → sinergi.cases.choices.ViolenceType code for the victim of a verified report.
HARM_TO_VIOLENCE = {
    "fisik": "fisik",
    "psikis": "psikis",
    "seksual": "seksual",
    "penelantaran": "penelantaran",
    "eksploitasi": "eksploitasi",
    "trafficking": "trafficking",
    "daring": "psikis",
    "lainnya": "lainnya",
}


class WhenHappened(models.TextChoices):
    TODAY = "hari_ini", _("Today")
    THIS_WEEK = "minggu_ini", _("This week")
    THIS_MONTH = "bulan_ini", _("This month")
    EARLIER = "lebih_lama", _("More than a month ago")
    ONGOING = "masih_berlangsung", _("It is still happening")
    UNKNOWN = "tidak_tahu", _("I don't know")


class AgeGroup(models.TextChoices):
    CHILD_0_5 = "0-5", _("Small child (0–5 years)")
    CHILD_6_12 = "6-12", _("Child (6–12 years)")
    CHILD_13_17 = "13-17", _("Teenager (13–17 years)")
    ADULT = "18-59", _("Adult (18–59 years)")
    OLDER = "60+", _("Older person (60 years or more)")
    UNKNOWN = "tidak_tahu", _("I don't know")


#: Age groups under 18: the case becomes an AMPK case (child needing special protection).
CHILD_AGE_GROUPS = {"0-5", "6-12", "13-17"}


class ContactMethod(models.TextChoices):
    NONE = "none", _("Do not contact me (anonymous)")
    TELEPON = "telepon", _("Phone call")
    WHATSAPP = "whatsapp", _("WhatsApp message")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MessageKind(models.TextChoices):
    TO_REPORTER = "to_reporter", _("Message to the reporter")
    FROM_REPORTER = "from_reporter", _("Information added by the reporter")
