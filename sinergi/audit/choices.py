from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    OK = "ok", _("OK")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")
