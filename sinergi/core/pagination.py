"""Keyset pages: newest first by (a timestamp, id), continued from a cursor, never cut silently.

Unlike OFFSET, a page costs the same however far the reader goes, and rows arriving meanwhile do
not shift the next page. The cursor is `<microseconds since the epoch>_<id>` of the last row shown.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q


@dataclass
class KeysetPage:
    rows: list
    total: int
    next_query: str = ""  # the query string of the next page ("" when this is the last one)
    first_query: str | None = None  # the query string back to the first page (None on the first)
    bad_cursor: bool = False  # the link named no valid position: the first page is shown

    @property
    def is_partial(self):
        return len(self.rows) < self.total


_EPOCH = dt.datetime.fromtimestamp(0, tz=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)


def _cursor(moment, pk):
    # Exact integer microseconds, not a float timestamp: the cursor must name the row's moment.
    return f"{(moment - _EPOCH) // _MICROSECOND}_{pk}"


def parse_cursor(value):
    """(moment, id) of a cursor, or None when it is not one."""
    try:
        micros, pk = (int(part) for part in value.split("_"))
        moment = _EPOCH + micros * _MICROSECOND
    except (ValueError, OverflowError):
        return None
    return (moment, pk) if pk > 0 else None


def keyset_page(queryset, *, field, query, param, size, total=None):
    """One page of `queryset` ordered by `-field, -id`, after the cursor in `query[param]`.

    `query` is the request's GET (the other parameters stay in the links); `total` is the list's
    length, counted here unless the caller counted it (keyset_sections counts several in one query).
    """
    if total is None:
        total = queryset.count()
    raw = query.get(param, "")
    after = parse_cursor(raw) if raw else None
    ordered = queryset.order_by(f"-{field}", "-id")
    if after is not None:
        moment, pk = after
        ordered = ordered.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "id__lt": pk}))
    rows = list(ordered[: size + 1])
    page = KeysetPage(rows=rows[:size], total=total, bad_cursor=bool(raw) and after is None)
    rest = query.copy()
    rest.pop(param, None)
    if after is not None:
        page.first_query = rest.urlencode()
    if len(rows) > size:
        last = page.rows[-1]
        rest[param] = _cursor(getattr(last, field), last.pk)
        page.next_query = rest.urlencode()
    return page


def keyset_sections(queryset, sections, *, field, query, size, annotate=None):
    """Several lists cut from one queryset by `sections` ({name: Q}): every section's total in one
    query, then one keyset page of each (its cursor parameter is `<name>_after`)."""
    totals = queryset.aggregate(**{name: Count("pk", filter=rule) for name, rule in sections.items()})
    pages = {}
    for name, rule in sections.items():
        rows = queryset.filter(rule)
        if annotate:
            rows = rows.annotate(**annotate)
        pages[name] = keyset_page(
            rows, field=field, total=totals[name], query=query, param=f"{name}_after", size=size
        )
    return pages
