"""Code lists of the deadlines engine (DOMAIN.md §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockKind(models.TextChoices):
    """The clocks of DOMAIN.md §7; what starts and stops each one is in docs/deadlines.md."""

    FIRST_RESPONSE = "first_response", _("First response")
    COMPLAINT_FOLLOW_UP = "complaint_follow_up", _("Complaint follow-up")
    OUTREACH = "outreach", _("Outreach")
    ASSESSMENT = "assessment", _("Assessment")
    TPKS_POLICE_REPORT = "tpks_police_report", _("TPKS report to the police")
    SHELTER_STAY = "shelter_stay", _("Shelter stay")
    REVIEW = "review", _("Case review")
    REFERRAL_RESPONSE = "referral_response", _("Referral response")
    PROTECTION_REQUEST = "protection_request", _("Ask the police for protection")
    PROTECTION_END = "protection_end", _("Protection ends")
    SAFETY_PLAN_REVIEW = "safety_plan_review", _("Safety plan review")


class DeadlineStatus(models.TextChoices):
    """What is stored; the on-time / due-soon / overdue split of open clocks is computed."""

    OPEN = "open", _("Running")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    CANCELLED = "cancelled", _("Cancelled")


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    CANCELLED = "cancelled", _("Cancelled")


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")
    MINUTES = "minutes", _("minutes")
    MONTHS = "months", _("months")


class ReminderThreshold(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


#: Clocks whose duration depends on the risk level of the case (or of the report/referral).
RISK_DEPENDENT_KINDS = frozenset({ClockKind.FIRST_RESPONSE, ClockKind.REFERRAL_RESPONSE})

#: Clocks whose end is set by the thing they watch (a protection's "until", a safety plan's review
#: date), not by the unit's policy: the policy gives only how early they warn.
FIXED_END_KINDS = frozenset({ClockKind.PROTECTION_END, ClockKind.SAFETY_PLAN_REVIEW})
