"""Working-day calendar for legal deadlines: weekends and the holiday table are skipped.

Deadlines counted in working days (e.g. "follow up within 3 working days") use these
functions; deadlines counted in hours (e.g. TPKS "3×24 hours") do not skip anything.
"""

import datetime as dt

from .models import Holiday

WEEKEND = {5, 6}  # Saturday, Sunday (date.weekday())


def holidays_between(start, end):
    """The set of holiday dates in [start, end], in one query."""
    return set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def is_working_day(day, *, holidays=None):
    if day.weekday() in WEEKEND:
        return False
    if holidays is None:
        return not Holiday.objects.filter(date=day).exists()
    return day not in holidays


def add_working_days(start, days):
    """The date `days` working days after `start` (start itself is not counted).

    One query, whatever the span: holidays are fetched for a window wide enough for the answer
    (every week has at least one working day unless the holiday table says otherwise, so the
    window grows until it holds enough working days).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return start
    window = days * 2 + 14
    while True:
        end = start + dt.timedelta(days=window)
        holidays = holidays_between(start, end)
        current, remaining = start, days
        while current < end:
            current += dt.timedelta(days=1)
            if is_working_day(current, holidays=holidays):
                remaining -= 1
                if remaining == 0:
                    return current
        window *= 2


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    holidays = holidays_between(start, end)
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, holidays=holidays):
            count += 1
    return count
