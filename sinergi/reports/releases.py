"""Statistics releases: the public figures, published by the data officer, frozen until the next.

The public page and its open data show the newest release and nothing computed live, so two
snapshots around one new case cannot be differenced (docs/statistics.md, "Releases"):

- A release covers the **closed months** up to its cut-off (the last day of the month before
  the one it is published in).
- A **closed year** (its December is over) is published with its breakdowns, every cell and
  total under the one disclosure rule of sinergi.reports.disclosure, and is then **frozen**:
  every later release copies it unchanged, so late entries, imports or a withdrawn consent never
  show up as a difference between two releases.
- The **open year** shows no breakdown at all: only its cases and victims so far, each as a range
  of five ("10–14"). Two ranges of the same growing count never pin down a non-zero difference
  (the difference keeps at least two possible values), and a range never pins a count.
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.services import audit_record
from sinergi.core.errors import Refusal

from . import aggregates as A
from .disclosure import THRESHOLD, protect_total
from .models import StatisticsRelease
from .public_stats import MAX_YEARS, method_text, year_tables

CACHE_SECONDS = 3600


def cut_off_for(today):
    """The last day of the month before `today`'s: a release covers closed months only."""
    return today.replace(day=1) - dt.timedelta(days=1)


def last_closed_year(cut_off):
    return cut_off.year if (cut_off.month, cut_off.day) == (12, 31) else cut_off.year - 1


def range_cell(count):
    """A count of the open year, published as its range of five: 0–4, 5–9, 10–14, …"""
    low = count // THRESHOLD * THRESHOLD
    high = low + THRESHOLD - 1
    return {"value": None, "at_least": low, "at_most": high, "shown": f"{low}–{high}"}


def _cell_json(cell):
    return {"value": cell.value, "shown": cell.shown}


def _closed_year_counts(last_year):
    """{year: (cases, victims)} of the consented cases of every closed year (one query)."""
    scope = A.Scope.of(A.all_units(), A.Period(None, dt.date(last_year, 12, 31)), consented=True)
    return {int(r.code): (r.values[0], r.values[1]) for r in A.cases_by_year(scope).rows if r.code}


def _open_year_counts(cut_off):
    scope = A.Scope.of(A.all_units(), A.Period(dt.date(cut_off.year, 1, 1), cut_off), consented=True)
    return A.cases(scope).count(), A.victims(scope).count()


def _language_data(language, *, number, published_at, cut_off, previous, counts, open_counts, new_tables):
    frozen = (previous or {}).get(language) or {}
    frozen_trend = {t["year"]: t for t in frozen.get("trend", []) if not t.get("open")}
    frozen_years = frozen.get("years", {})
    with translation.override(language):
        trend, years = [], {}
        for year in sorted(set(counts) | set(frozen_trend))[-MAX_YEARS:]:
            if year in frozen_trend:
                trend.append(frozen_trend[year])
                if str(year) in frozen_years:
                    years[str(year)] = frozen_years[str(year)]
                continue
            cases, victims = counts[year]
            trend.append(
                {
                    "year": year,
                    "cases": _cell_json(protect_total(cases)),
                    "victims": _cell_json(protect_total(victims)),
                }
            )
            years[str(year)] = new_tables[year][language]
        if open_counts is not None:
            trend.append(
                {
                    "year": cut_off.year,
                    "open": True,
                    "cases": range_cell(open_counts[0]),
                    "victims": range_cell(open_counts[1]),
                }
            )
        return {
            "release": number,
            "generated_at": published_at.isoformat(timespec="seconds"),
            "cut_off": cut_off.isoformat(),
            "method": method_text(),
            "trend": trend,
            "years": years,
        }


def build_release_data(*, number, published_at, cut_off, previous=None):
    """What release `number` publishes, per language; `previous` is the release before's data."""
    last_year = last_closed_year(cut_off)
    counts = _closed_year_counts(last_year)
    frozen_years = {
        t["year"] for t in ((previous or {}).get("id") or {}).get("trend", []) if not t.get("open")
    }
    new_tables = {}
    for year in sorted(counts)[-MAX_YEARS:]:
        if year in frozen_years:
            continue
        new_tables[year] = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                new_tables[year][language] = [t.as_dict() for t in year_tables(year)]
    open_counts = _open_year_counts(cut_off) if last_year < cut_off.year else None
    return {
        language: _language_data(
            language,
            number=number,
            published_at=published_at,
            cut_off=cut_off,
            previous=previous,
            counts=counts,
            open_counts=open_counts,
            new_tables=new_tables,
        )
        for language, _name in settings.LANGUAGES
    }


def can_publish(user):
    """The data officers (stats.publish): one release a month covers every unit of the installation,
    so whoever of them publishes first that month publishes for all."""
    return has_permission(user, "stats.publish")


def recent_releases(limit):
    return StatisticsRelease.objects.select_related("published_by").order_by("-number")[:limit]


def latest_release():
    return StatisticsRelease.objects.order_by("-number").first()


def publish_release(*, actor, today=None):
    """Publish the next release (closed months up to the end of last month) and return it."""
    if not can_publish(actor):
        raise Refusal(
            _("Only a data officer publishes the public statistics."),
            code="not_publisher",
            audit={"action": "statistics.release_publish", "object_type": "statistics_release"},
        )
    today = today or timezone.localdate()
    cut_off = cut_off_for(today)
    previous = latest_release()
    if previous is not None and previous.cut_off >= cut_off:
        raise Refusal(
            _(
                "The statistics up to %(date)s are already published (release %(number)s). The next "
                "release can be published once this month is over."
            )
            % {"date": f"{previous.cut_off:%d-%m-%Y}", "number": previous.number},
            code="already_published",
        )
    number = (previous.number if previous else 0) + 1
    published_at = timezone.now()
    data = build_release_data(
        number=number,
        published_at=published_at,
        cut_off=cut_off,
        previous=previous.data if previous else None,
    )
    try:
        with transaction.atomic():
            release = StatisticsRelease.objects.create(
                number=number, published_at=published_at, published_by=actor, cut_off=cut_off, data=data
            )
            audit_record(
                actor=actor,
                action="statistics.release_publish",
                object_type="statistics_release",
                object_id=str(number),
                details={"cut_off": cut_off.isoformat()},
            )
    except IntegrityError:
        raise Refusal(
            _("Someone else has just published a release. Reload the page to see it."), code="conflict"
        ) from None
    return release


def published(language=None):
    """The newest release's data in `language` (or the UI's), or None before the first release.

    One small query for the newest number; the data itself is cached per release and language.
    """
    number = StatisticsRelease.objects.order_by("-number").values_list("number", flat=True).first()
    if number is None:
        return None
    language = language or translation.get_language() or "id"
    if language not in dict(settings.LANGUAGES):
        language = "id"
    key = f"reports:release:{number}:{language}"
    data = cache.get(key)
    if data is None:
        release = StatisticsRelease.objects.get(number=number)
        data = release.data.get(language) or release.data.get("id")
        cache.set(key, data, CACHE_SECONDS)
    return data
