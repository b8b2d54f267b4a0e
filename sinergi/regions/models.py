from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RegionKind, RegionLevel


class Region(models.Model):
    """One Kemendagri administrative region; the dotted code is the natural key ("13.76.01.1002")."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        if self.kind == RegionKind.KABUPATEN and not self.name.lower().startswith("kab"):
            return f"Kabupaten {self.name}"
        return self.name
