"""The "danger now" alarm: a report saying someone is in danger now, not yet taken by anyone.

Every page of the people who can open the intake queue (`intake.queue`: the unit's intake officers
and its kepala) carries a red banner per such report until someone takes it: its code, the minutes
left on its first-response clock and one-tap actions (docs/portal.md). The banner, the queue and the
notification say it in the same words (`alarm_headline`, `minutes_left`).
"""

import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.deadlines.choices import ClockKind

from .choices import OPEN_STATUSES
from .models import Report
from .selectors import first_response_clocks, reports_visible_to

#: At most this many banners on a page; the queue lists the rest.
MAX_BANNERS = 3


def report_label(report):
    """The code staff know a report by: its tracking code, else its SAPA 129 ticket."""
    return report.display_code or report.sapa_ticket or report.public_id


def alarm_headline(report):
    return _("Danger now: report %(code)s") % {"code": report_label(report)}


def minutes_left(due_at, now=None):
    """ "23 minutes left" / "overdue by 5 minutes", whole minutes (a minute started counts)."""
    if due_at is None:
        return ""
    seconds = (due_at - (now or timezone.now())).total_seconds()
    if seconds >= 0:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(n)s minute left", "%(n)s minutes left", minutes) % {"n": minutes}
    minutes = math.ceil(-seconds / 60)
    return ngettext("overdue by %(n)s minute", "overdue by %(n)s minutes", minutes) % {"n": minutes}


@dataclass(frozen=True)
class Alarm:
    report: Report
    headline: str
    left: str
    overdue: bool


def untaken_alarms(user, *, limit=MAX_BANNERS):
    """The user's unit's open "danger now" reports nobody has taken, the longest waiting first.
    Empty for anyone who cannot open the queue (two queries otherwise, whatever the count)."""
    reports = list(
        reports_visible_to(user)
        .filter(danger_now=True, taken_at__isnull=True, status__in=OPEN_STATUSES)
        .order_by("submitted_at", "id")[:limit]
    )
    if not reports:
        return []
    clocks = first_response_clocks([r.public_id for r in reports], kind=ClockKind.FIRST_RESPONSE)
    now = timezone.now()
    alarms = []
    for report in reports:
        clock = clocks.get(report.public_id)
        due_at = clock[1].due_at if clock else None
        alarms.append(
            Alarm(
                report=report,
                headline=alarm_headline(report),
                left=minutes_left(due_at, now),
                overdue=due_at is not None and due_at < now,
            )
        )
    return alarms
