"""Atomic fixed-window counters for every rate limit and lockout (issue 15, item 3).

A limit that first reads its count and then, after the guarded work, adds one lets parallel
requests through: twenty requests read "4 of 5" at once. Here the count is taken *before* the
work, in one atomic step, and the work runs only when the taken slot is within the limit:

- with Redis configured (SINERGI_REDIS_URL), Redis itself: SET NX and INCR on one key, so every
  worker and every server count together;
- otherwise a database row (`core.RateCounter`): one `INSERT ... ON CONFLICT DO UPDATE ...
  RETURNING` statement, atomic on PostgreSQL and SQLite alike (the row is locked until the
  statement ends), so the limit holds across gunicorn workers without Redis too.

Keys are opaque digests chosen by the caller (never an address, a code or a username).
"""

import contextlib
import datetime as dt
import random

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import RateCounter

_TABLE = RateCounter._meta.db_table
CLEAN_CHANCE = 0.01  # one take in a hundred deletes the rows of ended windows


def _redis():
    return bool(getattr(settings, "REDIS_URL", ""))


def _window_key(key, window):
    return f"{key}:{int(timezone.now().timestamp() // window)}"


def take(key, window):
    """Count one more event in the current window of `window` seconds; the new count."""
    key = _window_key(key, window)
    if _redis():
        cache.add(key, 0, timeout=window + 5)
        try:
            return cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            return 1
    now = timezone.now()
    if random.random() < CLEAN_CHANCE:  # noqa: S311 (housekeeping, not security)
        forget_expired()
    with connection.cursor() as cursor:
        # One statement: the row is created or counted up, and locked until the statement ends.
        cursor.execute(
            f'INSERT INTO {_TABLE} ("key", "count", "expires_at") VALUES (%s, 1, %s) '  # noqa: S608
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {_TABLE}."count" + 1 '
            'RETURNING "count"',
            [key, now + dt.timedelta(seconds=window + 5)],
        )
        return cursor.fetchone()[0]


def give_back(key, window):
    """Undo one take() of the current window (a check that turned out not to count)."""
    key = _window_key(key, window)
    if _redis():
        with contextlib.suppress(ValueError):
            cache.decr(key)
        return
    RateCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def forget(key, window):
    """Drop the current window's count (a success that starts the count again)."""
    key = _window_key(key, window)
    if _redis():
        cache.delete(key)
        return
    RateCounter.objects.filter(key=key).delete()


def current(key, window):
    """The current window's count, without counting."""
    key = _window_key(key, window)
    if _redis():
        return cache.get(key, 0)
    row = RateCounter.objects.filter(key=key).values_list("count", flat=True).first()
    return row or 0


def forget_expired():
    """Delete the rows of windows that have ended (the `clear_rate_counters` housekeeping)."""
    return RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()[0]
