"""Code lists of protection measures (DOMAIN.md §7; docs/protection.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectionKind(models.TextChoices):
    POLISI_TPKS = "polisi_tpks", _("Police temporary protection (UU TPKS Ps 42)")
    LPSK = "lpsk", _("LPSK protection (UU TPKS Ps 43)")
    POLISI_PKDRT = "polisi_pkdrt", _("Police temporary protection (UU PKDRT Ps 16)")
    PERINTAH_PENGADILAN = "perintah_pengadilan", _("Court protection order (UU PKDRT Ps 28–32)")


class ProtectionStatus(models.TextChoices):
    DIMINTA = "diminta", _("Asked, no decision yet")  # Diminta
    DIBERIKAN = "diberikan", _("Given")  # Diberikan
    DITOLAK = "ditolak", _("Refused")  # Ditolak
    BERAKHIR = "berakhir", _("Ended")  # Berakhir


#: The longest term a measure may have by law (days from `given_on` to `until`); None: no fixed
#: limit (an LPSK decision or a court order states its own term).
MAX_TERM_DAYS = {
    ProtectionKind.POLISI_TPKS: 14,
    ProtectionKind.POLISI_PKDRT: 7,
    ProtectionKind.LPSK: None,
    ProtectionKind.PERINTAH_PENGADILAN: None,
}

#: Measures whose end must be known when they are given (the unit is warned before it).
NEEDS_UNTIL = frozenset(
    {ProtectionKind.POLISI_TPKS, ProtectionKind.POLISI_PKDRT, ProtectionKind.PERINTAH_PENGADILAN}
)
