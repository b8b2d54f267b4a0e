"""The NIK (Nomor Induk Kependudukan): reading it and checking it. Pure functions, no database.

A NIK is PP.KK.CC DDMMYY SSSS: province, kab/kota and kecamatan of first registration, the date
of birth (women add 40 to the day) and a serial from 0001 (UU 24/2013 Adminduk Ps 13; the NIK
layout of the Kemendagri/Dukcapil rules). **A NIK is permanent** (DOMAIN.md §4): it keeps the
region codes of before a regional split and its date is not changed when a birth date is
corrected. So only a malformed NIK is an error (:func:`nik_errors`); a region or kecamatan code
that is not current, or a date/sex that disagrees with the record, is a warning the officer
confirms (:func:`nik_warnings`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext, gettext_lazy

from sinergi.regions.historical import HISTORICAL_REGENCIES, PROVINCE_CODES

from .choices import Sex

NIK_LENGTH = 16
_NIK_SEPARATORS = re.compile(r"[\s.\-]")
_NIK_DIGITS = re.compile(r"[0-9]{16}")
#: Women's NIKs add 40 to the day of birth (Permendagri on NIK structure; Perpres 96/2018).
_FEMALE_DAY_OFFSET = 40

#: Warning codes (stored on the person when the officer confirms them; never the NIK itself).
WARN_REGION = "region_not_current"
WARN_KECAMATAN = "kecamatan_unknown"
WARN_BIRTH_DATE = "birth_date_differs"
WARN_SEX = "sex_differs"
WARNING_CODES = (WARN_REGION, WARN_KECAMATAN, WARN_BIRTH_DATE, WARN_SEX)
#: Short labels of the warnings, for the case page ("checked against the card: ...").
WARNING_LABELS = {
    WARN_REGION: gettext_lazy("region code no longer current"),
    WARN_KECAMATAN: gettext_lazy("kecamatan code unknown"),
    WARN_BIRTH_DATE: gettext_lazy("date of birth differs"),
    WARN_SEX: gettext_lazy("sex differs"),
}


def normalise_nik(value: str | None) -> str:
    """``value`` without spaces, dots and dashes (as people write and print NIKs).

    Source: UU 24/2013 Adminduk Ps 13 (NIK is a single 16-digit number); separators are
    presentation only.
    """
    if value is None:
        return ""
    return _NIK_SEPARATORS.sub("", str(value))


class _NikDate(NamedTuple):
    day: int
    month: int
    yy: int
    female: bool


def _nik_date_parts(nik: str) -> _NikDate | None:
    """Day, month, two-digit year and sex from digits 7–12, or None if the day/month are out of range."""
    if not _NIK_DIGITS.fullmatch(nik):
        return None
    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = raw_day > _FEMALE_DAY_OFFSET
    day = raw_day - _FEMALE_DAY_OFFSET if female else raw_day
    if not (1 <= day <= 31) or not (1 <= month <= 12):
        return None
    return _NikDate(day, month, yy, female)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_birth_date(parts: _NikDate, today: date) -> date | None:
    """20YY when that date is not in the future, else 19YY; None if the date doesn't exist."""
    recent = _make_date(2000 + parts.yy, parts.month, parts.day)
    if recent is not None and recent <= today:
        return recent
    return _make_date(1900 + parts.yy, parts.month, parts.day)


def nik_birth_date(nik: str, *, today: date | None = None) -> date | None:
    """The date of birth encoded in a NIK (digits 7–12, DDMMYY; women's day + 40), or None.

    The century is a guess: 20YY when that is not after ``today`` (default: today), else 19YY —
    wrong only for people aged 100 or more. Returns None when ``nik`` is not 16 digits or the date
    does not exist. Source: UU 24/2013 Adminduk Ps 13; Permendagri on the NIK structure.
    """
    parts = _nik_date_parts(nik)
    if parts is None:
        return None
    return _resolve_birth_date(parts, today or date.today())


def nik_sex(nik: str) -> Sex | None:
    """The sex encoded in a NIK (day of birth + 40 for women), or None when it can't be read.

    Source: Permendagri on the NIK structure (digits 7–8: day of birth, plus 40 for women).
    """
    parts = _nik_date_parts(nik)
    if parts is None:
        return None
    return Sex.PEREMPUAN if parts.female else Sex.LAKI_LAKI


def nik_errors(nik: str, *, today: date | None = None) -> list[str]:
    """What makes ``nik`` malformed, as translated messages; empty when it is well-formed.

    ``nik`` must already be normalised (see :func:`normalise_nik`). Errors, each a NIK Dukcapil
    never issued:

    * not exactly 16 digits (then that is the only error reported);
    * digits 1–2 not a province code (:data:`sinergi.regions.historical.PROVINCE_CODES`; the
      provinces that were split still exist, so this list covers old NIKs too);
    * digits 7–8 not a day 01–31 (41–71 for women), digits 9–10 not a month 01–12, or a date that
      does not exist (year read as 20YY unless that is after ``today``, then 19YY);
    * digits 13–16 (serial) 0000 — serials start at 0001.

    Source: UU 24/2013 Adminduk Ps 13 (one 16-digit NIK per resident, for life); the NIK layout
    of the Kemendagri (Dukcapil) rules — PP.KK.CC DDMMYY SSSS.
    """
    if not _NIK_DIGITS.fullmatch(nik or ""):
        return [gettext("The NIK must be exactly 16 digits.")]
    errors: list[str] = []
    if nik[0:2] not in PROVINCE_CODES:
        errors.append(gettext("The NIK does not start with a province code (digits 1–2)."))
    raw_day, month = int(nik[6:8]), int(nik[8:10])
    day_ok = 1 <= raw_day <= 31 or 41 <= raw_day <= 71
    month_ok = 1 <= month <= 12
    if not day_ok:
        errors.append(gettext("The NIK's day of birth (digits 7–8) must be 01–31, or 41–71 for women."))
    if not month_ok:
        errors.append(gettext("The NIK's month of birth (digits 9–10) must be 01–12."))
    parts = _nik_date_parts(nik) if day_ok and month_ok else None
    if parts is not None and _resolve_birth_date(parts, today or date.today()) is None:
        errors.append(gettext("The NIK's date of birth (digits 7–12) does not exist."))
    if nik[12:16] == "0000":
        errors.append(gettext("The NIK's serial number (digits 13–16) cannot be 0000."))
    return errors


def nik_warnings(
    nik: str,
    *,
    regency_exists: Callable[[str], bool] | None = None,
    kecamatan_codes: Callable[[str], Collection[str]] | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
) -> dict[str, str]:
    """{warning code: translated message} for a well-formed NIK (check :func:`nik_errors` first).

    Warnings are what a genuine NIK may show, so the officer confirms them instead of being
    blocked (DOMAIN.md §4):

    * ``region_not_current``: digits 1–4 are neither a current kab/kota (``regency_exists("PP.KK")``)
      nor a historical one (:data:`sinergi.regions.historical.HISTORICAL_REGENCIES`: the Kaltim
      codes of today's Kaltara, the Papua/Papua Barat codes of today's provinces 93–96). A
      historical code is no warning at all: Dukcapil keeps it for life, it is simply correct.
    * ``kecamatan_unknown``: digits 5–6 are no kecamatan of that kab/kota, checked only when
      ``kecamatan_codes("PP.KK")`` knows some (the Region table holds kecamatan only for the
      regions loaded). A historical kab/kota is checked against its successor's kecamatan.
    * ``birth_date_differs``: the encoded day, month and two-digit year differ from ``birth_date``
      (the NIK keeps its date when a birth date is corrected).
    * ``sex_differs``: the day is over 40 and ``sex`` is not ``perempuan``, or the other way round.

    Source: UU 24/2013 Adminduk Ps 13; UU 20/2012 (Kaltara), UU 14, 15, 16 and 29/2022 (Papua);
    Kepmendagri 300.2.2-2138/2025 (current codes).
    """
    warnings: dict[str, str] = {}
    if not _NIK_DIGITS.fullmatch(nik or ""):
        return warnings
    regency = f"{nik[0:2]}.{nik[2:4]}"
    current = HISTORICAL_REGENCIES[regency][0] if regency in HISTORICAL_REGENCIES else regency
    if current == regency and regency_exists is not None and not regency_exists(regency):
        warnings[WARN_REGION] = gettext(
            "The NIK's regency/city code %(code)s is not a current or former Kemendagri code."
        ) % {"code": regency}
    elif kecamatan_codes is not None:
        known = kecamatan_codes(current)
        if known and f"{current}.{nik[4:6]}" not in known:
            warnings[WARN_KECAMATAN] = gettext(
                "The NIK's kecamatan code %(code)s is not a kecamatan of that regency/city."
            ) % {"code": f"{regency}.{nik[4:6]}"}
    parts = _nik_date_parts(nik)
    encoded = (parts.day, parts.month, parts.yy) if parts is not None else None
    if encoded and birth_date and encoded != (birth_date.day, birth_date.month, birth_date.year % 100):
        warnings[WARN_BIRTH_DATE] = gettext("The date of birth in the NIK differs from the date of birth.")
    if parts is not None and sex in (Sex.PEREMPUAN, Sex.LAKI_LAKI) and parts.female != (sex == Sex.PEREMPUAN):
        warnings[WARN_SEX] = gettext(
            "The sex in the NIK differs from the sex (women's day of birth is increased by 40)."
        )
    return warnings
