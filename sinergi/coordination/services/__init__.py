"""Writes for coordination meetings and action items.

Each service checks the actor's right, validates, writes and audits in one transaction: a refused
request (no participants, a past due date, a partner touching another agency's item) raises
before anything is saved, and a failure later rolls everything back.
"""

from ._common import DEFAULT_PERIOD_DAYS, REMIND_DAYS_BEFORE
from .action_items import (
    action_item_create,
    action_item_send_reminders,
    action_item_update,
)
from .meeting_record import (
    meeting_agenda_add,
    meeting_attendance_record,
    meeting_cancel,
    meeting_decision_add,
    meeting_minutes_record,
    meeting_recipients,
)
from .meetings import meeting_schedule, meeting_update

__all__ = [
    "DEFAULT_PERIOD_DAYS",
    "REMIND_DAYS_BEFORE",
    "meeting_schedule",
    "meeting_update",
    "meeting_cancel",
    "meeting_recipients",
    "meeting_agenda_add",
    "meeting_attendance_record",
    "meeting_minutes_record",
    "meeting_decision_add",
    "action_item_create",
    "action_item_update",
    "action_item_send_reminders",
]
