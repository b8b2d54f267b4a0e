"""Load official Indonesian national holidays (SKB 3 Menteri) into the holiday table.

The dates come from the `lokal-id` package (MIT), which carries the decrees year by year.
Operators add regional holidays or late changes with `manage.py holidays add`.
"""

import datetime as dt

from django.db import transaction
from lokal.holidays import HOLIDAY_YEARS, get_holidays

from .choices import HolidayKind

_KINDS = {"libur_nasional": HolidayKind.LIBUR_NASIONAL, "cuti_bersama": HolidayKind.CUTI_BERSAMA}


def official_years():
    return tuple(HOLIDAY_YEARS)


def official_holidays(year):
    """[(date, name, kind, source)] for one year; ValueError when no official data exists."""

    data = get_holidays(year)
    rows = {}
    for h in data.holidays:
        day = dt.date.fromisoformat(h.date)
        # A day may carry two observances; keep one row per date, names joined.
        if day in rows:
            rows[day] = (day, f"{rows[day][1]}; {h.name}", rows[day][2], rows[day][3])
        else:
            rows[day] = (day, h.name, _KINDS.get(h.type, HolidayKind.LIBUR_NASIONAL), data.decree)
    return list(rows.values())


def load_official_holidays(holiday_model, years=None):
    """Insert missing official holidays; existing dates are left as operators edited them."""
    created = 0
    with transaction.atomic():
        for year in years or official_years():
            for day, name, kind, source in official_holidays(year):
                _, was_created = holiday_model.objects.get_or_create(
                    date=day, defaults={"name": name[:200], "kind": kind, "source": source[:300]}
                )
                created += was_created
    return created
