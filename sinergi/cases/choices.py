from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "aktif", _("Open")
    CLOSED = "ditutup", _("Closed")


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead case worker")
    MEMBER = "member", _("Team member")
