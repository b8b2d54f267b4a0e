from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import HolidayKind


class Holiday(models.Model):
    """A day off that working-day deadlines skip (weekends are skipped by rule, not stored)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=HolidayKind.choices, default=HolidayKind.LIBUR_NASIONAL
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}"


class RateCounter(models.Model):
    """One window of one rate limit, when no Redis is configured (sinergi/core/counters.py).

    `key` is an opaque digest with the window's number; rows of ended windows are deleted by the
    counters themselves now and then."""

    key = models.CharField(_("key"), max_length=120, primary_key=True)
    count = models.IntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self):
        return f"{self.key}: {self.count}"
