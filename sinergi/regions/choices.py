from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KAB_KOTA = 2, _("Regency/City")
    KECAMATAN = 3, _("District (kecamatan)")
    KELURAHAN = 4, _("Village (kelurahan/desa)")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")
    KECAMATAN = "kecamatan", _("District")
    KELURAHAN = "kelurahan", _("Urban village")
    DESA = "desa", _("Village")
