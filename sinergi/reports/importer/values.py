"""Parsing the values of a cell: dates, codes, ages, regions."""

import datetime as dt
import re

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from sinergi.regions.models import Region

from .reading import _text

# --- parsing values ------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
EARLIEST = dt.date(1950, 1, 1)


class BadValue(Exception):
    pass


def parse_date(value):
    """A date from dd/mm/yyyy, yyyy-mm-dd or an Excel date (a date cell or its serial number)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_excel(value)
    text = _text(value)
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    match = _YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if _SERIAL.match(text):
        return _from_excel(float(text))
    raise BadValue(
        _("“%(value)s” is not a date: write dd/mm/yyyy (31/12/2021) or yyyy-mm-dd (2021-12-31).")
        % {"value": text[:20]}
    )


def _make_date(year, month, day):
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue(_("This date does not exist.")) from None


def _from_excel(serial):
    if not 1 <= serial <= 2958465:
        raise BadValue(_("This number is not an Excel date."))
    value = from_excel(serial)
    return value.date() if isinstance(value, dt.datetime) else value


def _code(value, choices):
    code = _text(value).lower()
    if code not in choices.values:
        raise BadValue(
            _("Unknown code “%(value)s”. Use one of: %(codes)s.")
            % {"value": _text(value)[:30], "codes": ", ".join(choices.values)}
        )
    return code


def _codes(value, choices):
    codes = [c.strip() for c in re.split(r"[;,]", _text(value)) if c.strip()]
    return list(dict.fromkeys(_code(c, choices) for c in codes))


def _age(value):
    text = _text(value)
    if not re.fullmatch(r"\d{1,3}", text) or int(text) > 120:
        raise BadValue(_("Enter the age as whole years between 0 and 120."))
    return int(text)


class _Regions:
    """Kecamatan/kelurahan codes, looked up once each."""

    def __init__(self):
        self.cache = {}

    def get(self, value):
        code = _text(value)
        if code not in self.cache:
            self.cache[code] = Region.objects.filter(code=code, level__gte=3).first()
        region = self.cache[code]
        if region is None:
            raise BadValue(
                _("Unknown kecamatan or kelurahan code “%(value)s” (write e.g. 13.76.01).")
                % {"value": code[:20]}
            )
        return region
