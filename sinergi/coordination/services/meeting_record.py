"""What happens in a meeting: cancellation, agenda items, attendance, minutes, decisions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import MeetingStatus
from ..models import AgendaItem, MeetingDecision, MeetingParticipant
from ..notify import notify, recipients
from ._common import _audit, _case_by_code, _managed_meeting, _when
from .meetings import _meeting_link


@transaction.atomic
def meeting_cancel(*, actor, meeting):
    _managed_meeting(actor, meeting)
    if meeting.status != MeetingStatus.DIJADWALKAN:
        raise ValidationError(_("Only a meeting that has not been held can be cancelled."))
    meeting.status = MeetingStatus.DIBATALKAN
    meeting.save(update_fields=["status", "updated_at"])
    _audit(actor, "meeting.cancel", meeting)
    notify(
        meeting_recipients(meeting),
        kind="meeting_cancelled",
        message=lambda: (
            _("Cancelled: %(kind)s on %(when)s, organised by %(unit)s.")
            % {"kind": meeting.get_kind_display(), "when": _when(meeting.starts_at), "unit": meeting.unit}
        ),
        link=_meeting_link(meeting),
    )
    return meeting


def meeting_recipients(meeting):
    participants = meeting.participants.select_related("organisation", "user")
    return recipients(
        organisations=[p.organisation for p in participants if p.organisation_id],
        users=[p.user for p in participants if p.user_id],
    )


@transaction.atomic
def meeting_agenda_add(*, actor, meeting, topic, case_code=""):
    """Add an agenda item; a case is named by its code and must be one the actor may see."""
    _managed_meeting(actor, meeting)
    topic = (topic or "").strip()
    errors = {}
    if not topic:
        errors["topic"] = _("Describe the agenda item.")
    elif len(topic) > 300:
        errors["topic"] = _("Keep the agenda item under 300 characters.")
    try:
        case = _case_by_code(actor, case_code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        case = None
    if errors:
        raise ValidationError(errors)
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem.objects.create(meeting=meeting, order=last + 1, topic=topic, case=case)
    _audit(actor, "meeting.agenda_add", meeting, case=case, item=item.pk)
    return item


@transaction.atomic
def meeting_attendance_record(*, actor, meeting, present):
    """Mark who came: `present` is the set of participant ids that attended; the others did not."""
    _managed_meeting(actor, meeting)
    present = {int(pk) for pk in present}
    participants = list(meeting.participants.all())
    unknown = present - {p.pk for p in participants}
    if unknown:
        raise ValidationError(_("Attendance can only be recorded for invited participants."))
    for participant in participants:
        participant.attended = participant.pk in present
    MeetingParticipant.objects.bulk_update(participants, ["attended"])
    _audit(actor, "meeting.attendance", meeting, present=len(present), invited=len(participants))
    return participants


@transaction.atomic
def meeting_minutes_record(*, actor, meeting, minutes):
    """Record (or correct) the minutes; the meeting counts as held from then on."""
    _managed_meeting(actor, meeting)
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    first = meeting.minutes_recorded_at is None
    meeting.minutes = minutes
    meeting.minutes_recorded_at = timezone.now()
    meeting.status = MeetingStatus.SELESAI
    meeting.save(update_fields=["minutes", "minutes_recorded_at", "status", "updated_at"])
    _audit(actor, "meeting.minutes" if first else "meeting.minutes_correct", meeting)
    return meeting


@transaction.atomic
def meeting_decision_add(*, actor, meeting, text):
    _managed_meeting(actor, meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    decision = MeetingDecision.objects.create(meeting=meeting, text=text, created_by=actor)
    _audit(actor, "meeting.decision_add", meeting, decision=decision.pk)
    return decision
