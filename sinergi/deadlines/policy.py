"""How long each clock runs: the DOMAIN.md §7 defaults and a unit's own overrides.

A duration is an amount and a unit of time. Hours and calendar days run straight through
weekends and holidays (the TPKS 3×24 hours are hours); working days skip weekends and the
holiday table (sinergi.core.calendar) and end at the same time of day (Asia/Jakarta) as the
start; months end on the same day of the month (or the month's last day).
"""

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sinergi.core.calendar import add_working_days
from sinergi.core.choices import RiskLevel

from .choices import FIXED_END_KINDS, RISK_DEPENDENT_KINDS, ClockKind, TimeUnit
from .models import ClockPolicy


@dataclass(frozen=True)
class Duration:
    amount: int
    time_unit: str
    warning_minutes: int

    def due_from(self, started_at):
        return due_after(started_at, self.amount, self.time_unit)


H, D, WD, M, MIN = TimeUnit.HOURS, TimeUnit.DAYS, TimeUnit.WORKING_DAYS, TimeUnit.MONTHS, TimeUnit.MINUTES

#: (kind, risk) -> Duration; risk "" is the default for every risk level of that kind.
DEFAULTS = {
    (ClockKind.FIRST_RESPONSE, RiskLevel.TINGGI): Duration(1, H, 15),
    (ClockKind.FIRST_RESPONSE, RiskLevel.SEDANG): Duration(6, H, 60),
    (ClockKind.FIRST_RESPONSE, RiskLevel.RENDAH): Duration(24, H, 4 * 60),
    # Risk not yet known: treated as medium, neither ignored nor raised as an emergency.
    (ClockKind.FIRST_RESPONSE, ""): Duration(6, H, 60),
    (ClockKind.COMPLAINT_FOLLOW_UP, ""): Duration(3, WD, 24 * 60),
    # Payakumbuh's published service standard: receive 30 min + locate 1 h + reach the victim 2 h.
    (ClockKind.OUTREACH, ""): Duration(210, MIN, 60),
    (ClockKind.ASSESSMENT, ""): Duration(7, D, 2 * 24 * 60),
    (ClockKind.TPKS_POLICE_REPORT, ""): Duration(72, H, 24 * 60),
    (ClockKind.SHELTER_STAY, ""): Duration(7, D, 24 * 60),
    (ClockKind.REVIEW, ""): Duration(3, M, 14 * 24 * 60),
    (ClockKind.REFERRAL_RESPONSE, RiskLevel.TINGGI): Duration(2, H, 30),
    (ClockKind.REFERRAL_RESPONSE, ""): Duration(1, WD, 4 * 60),
    # Ask the police for temporary protection within 1×24 h of a high-risk TPKS victim's report.
    (ClockKind.PROTECTION_REQUEST, ""): Duration(24, H, 6 * 60),
    # Fixed-end clocks (FIXED_END_KINDS): the amount is only a fallback; they warn this early.
    (ClockKind.PROTECTION_END, ""): Duration(14, D, 2 * 24 * 60),
    (ClockKind.SAFETY_PLAN_REVIEW, ""): Duration(1, M, 3 * 24 * 60),
}


def policy_rows():
    """Every (kind, risk) a unit may configure, in display order."""
    rows = []
    for kind in ClockKind:
        if kind in FIXED_END_KINDS:
            continue  # their end is the measure's or the plan's own date
        if kind in RISK_DEPENDENT_KINDS:
            rows.extend((kind, risk) for risk in RiskLevel.values)
            rows.append((kind, ""))
        else:
            rows.append((kind, ""))
    return rows


def default_duration(kind, risk=""):
    if kind in RISK_DEPENDENT_KINDS and (kind, risk or "") in DEFAULTS:
        return DEFAULTS[(kind, risk or "")]
    return DEFAULTS[(kind, "")]


def duration_for(unit, kind, risk=""):
    """The unit's own row for (kind, risk), else the default for (kind, risk).

    Each risk level is its own row (the settings page lists them all), so what the page shows
    is what applies; there is no fallback from one unit row to another.
    """

    risk = (risk or "") if kind in RISK_DEPENDENT_KINDS else ""
    row = ClockPolicy.objects.filter(unit=unit, kind=kind, risk=risk).first()
    if row is not None:
        return Duration(row.amount, row.time_unit, row.warning_minutes)
    return default_duration(kind, risk)


def durations_for_unit(unit):
    """{(kind, risk): Duration} in force for the unit, for every row of policy_rows() (one query)."""

    own = {
        (p.kind, p.risk): Duration(p.amount, p.time_unit, p.warning_minutes)
        for p in ClockPolicy.objects.filter(unit=unit)
    }
    return {
        (kind, risk): own.get((kind, risk)) or default_duration(kind, risk) for kind, risk in policy_rows()
    }


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1]))


def due_after(started_at, amount, time_unit):
    if time_unit == TimeUnit.MINUTES:
        return started_at + dt.timedelta(minutes=amount)
    if time_unit == TimeUnit.HOURS:
        return started_at + dt.timedelta(hours=amount)
    if time_unit == TimeUnit.DAYS:
        return started_at + dt.timedelta(days=amount)
    local = timezone.localtime(started_at)
    if time_unit == TimeUnit.WORKING_DAYS:
        day = add_working_days(local.date(), amount)
    elif time_unit == TimeUnit.MONTHS:
        day = _add_months(local.date(), amount)
    else:
        raise ValueError(f"unknown time unit {time_unit!r}")
    naive = dt.datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(naive, local.tzinfo)
