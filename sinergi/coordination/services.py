"""Writes for coordination meetings and action items.

Each service checks the actor's right, validates, writes and audits in one transaction: a refused
request (no participants, a past due date, a partner touching another agency's item) raises
before anything is saved, and a failure later rolls everything back.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.accounts.models import Organisation
from sinergi.audit.services import audit_record
from sinergi.cases.selectors import cases_visible_to

from .choices import OPEN_STATUSES, ActionItemStatus, MeetingKind, MeetingStatus
from .models import ActionItem, AgendaItem, Meeting, MeetingDecision, MeetingParticipant
from .notify import notify, recipients, unit_heads
from .selectors import action_items_managed_by, action_items_updatable_by, meetings_managed_by

#: The statistics of a meeting pack cover this many days before the meeting unless told otherwise.
DEFAULT_PERIOD_DAYS = 90
#: A "due soon" reminder goes out this many days before the due date (and on the day itself).
REMIND_DAYS_BEFORE = 1


def _when(value):
    return date_format(timezone.localtime(value), "d-m-Y H:i")


def _day(value):
    return date_format(value, "d-m-Y")


def _require(actor, permission):
    if not has_permission(actor, permission) or actor.organisation_id is None:
        raise PermissionDenied
    if not actor.organisation.is_service_unit:
        raise PermissionDenied


def _managed_meeting(actor, meeting):
    _require(actor, "meeting.manage")
    if not meetings_managed_by(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied
    if meeting.status == MeetingStatus.DIBATALKAN:
        raise ValidationError(_("This meeting was cancelled; it can no longer be changed."))


def _case_by_code(actor, code, field="case_code"):
    """A case the actor may see, by its code; anything else is refused the same way."""
    code = (code or "").strip().upper()
    if not code:
        return None
    case = cases_visible_to(actor).filter(pseudonym=code).first()
    if case is None:
        raise ValidationError({field: _("No case with this code among the cases you may see.")})
    return case


def _audit(actor, action, obj, *, case=None, **details):
    audit_record(
        actor=actor,
        action=action,
        object_type="meeting" if isinstance(obj, Meeting) else "action_item",
        object_id=obj.public_id,
        case=case,
        details=details,
    )


# --- meetings --------------------------------------------------------------------------------------


def _meeting_link(meeting):
    return reverse("coordination:meeting_detail", args=[meeting.public_id])


def _invitation_message(meeting):
    return _("Invitation: %(kind)s on %(when)s, organised by %(unit)s.") % {
        "kind": meeting.get_kind_display(),
        "when": _when(meeting.starts_at),
        "unit": meeting.unit,
    }


def _clean_schedule(
    actor,
    *,
    kind,
    title,
    starts_at,
    ends_at,
    place,
    online_link,
    organisations,
    users,
    period_start,
    period_end,
):
    """Validate a meeting's schedule and invitations; returns the cleaned values or raises."""
    title, place, online_link = (title or "").strip(), (place or "").strip(), (online_link or "").strip()
    organisations = list(dict.fromkeys(o for o in organisations if o.pk != actor.organisation_id))
    users = list(dict.fromkeys(u for u in users if u.pk != actor.pk))
    errors = {}
    if kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if not title:
        errors["title"] = _("Give the meeting a title.")
    if starts_at is None:
        errors["starts_at"] = _("Give the date and time of the meeting.")
    elif ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if not place and not online_link:
        errors["place"] = _("Give a place or an online meeting link.")
    if not organisations and not users:
        errors["organisations"] = _("Invite at least one agency or person: a meeting needs participants.")
    if any(not o.is_active for o in organisations) or any(not u.is_active for u in users):
        errors["organisations"] = _("Only active agencies and people can be invited.")
    if starts_at is not None and not errors.get("starts_at"):
        period_end = period_end or timezone.localtime(starts_at).date()
        period_start = period_start or period_end - dt.timedelta(days=DEFAULT_PERIOD_DAYS)
        if period_start > period_end:
            errors["period_start"] = _("The statistics period must start before it ends.")
    if errors:
        raise ValidationError(errors)
    return (
        {
            "kind": kind,
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "online_link": online_link,
            "period_start": period_start,
            "period_end": period_end,
        },
        organisations,
        users,
    )


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    kind,
    title,
    starts_at,
    ends_at=None,
    place="",
    online_link="",
    organisations=(),
    users=(),
    period_start=None,
    period_end=None,
):
    """Schedule a meeting of the actor's unit and invite agencies and people (at least one)."""
    _require(actor, "meeting.manage")
    fields, organisations, users = _clean_schedule(
        actor,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        organisations=organisations,
        users=users,
        period_start=period_start,
        period_end=period_end,
    )
    meeting = Meeting.objects.create(unit=actor.organisation, created_by=actor, **fields)
    MeetingParticipant.objects.bulk_create(
        [MeetingParticipant(meeting=meeting, organisation=o) for o in organisations]
        + [MeetingParticipant(meeting=meeting, user=u) for u in users]
    )
    _audit(
        actor,
        "meeting.schedule",
        meeting,
        kind=kind,
        agencies=[o.public_id for o in organisations],
        people=[u.public_id for u in users],
    )
    notify(
        recipients(organisations=organisations, users=users),
        kind="meeting_invitation",
        message=lambda: _invitation_message(meeting),
        link=_meeting_link(meeting),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting,
    kind,
    title,
    starts_at,
    ends_at=None,
    place="",
    online_link="",
    organisations=(),
    users=(),
    period_start=None,
    period_end=None,
):
    """Reschedule a meeting not yet held and change its invitations.

    Newly invited agencies and people get an invitation; those no longer invited are told; when
    the time or place changes, everyone who stays invited is told. At least one participant stays.
    """
    _managed_meeting(actor, meeting)
    if meeting.status != MeetingStatus.DIJADWALKAN:
        raise ValidationError(_("Only a meeting that has not been held can be changed."))
    fields, organisations, users = _clean_schedule(
        actor,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        organisations=organisations,
        users=users,
        period_start=period_start,
        period_end=period_end,
    )
    moved = any(fields[f] != getattr(meeting, f) for f in ("starts_at", "ends_at", "place", "online_link"))
    changed = {f: "changed" for f, v in fields.items() if v != getattr(meeting, f)}
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()

    current = list(meeting.participants.select_related("organisation", "user"))
    wanted_orgs, wanted_users = {o.pk: o for o in organisations}, {u.pk: u for u in users}
    dropped = [
        p
        for p in current
        if (p.organisation_id and p.organisation_id not in wanted_orgs)
        or (p.user_id and p.user_id not in wanted_users)
    ]
    kept = [p for p in current if p not in dropped]
    have_orgs = {p.organisation_id for p in current if p.organisation_id}
    have_users = {p.user_id for p in current if p.user_id}
    new_orgs = [o for pk, o in wanted_orgs.items() if pk not in have_orgs]
    new_users = [u for pk, u in wanted_users.items() if pk not in have_users]
    MeetingParticipant.objects.filter(pk__in=[p.pk for p in dropped]).delete()
    MeetingParticipant.objects.bulk_create(
        [MeetingParticipant(meeting=meeting, organisation=o) for o in new_orgs]
        + [MeetingParticipant(meeting=meeting, user=u) for u in new_users]
    )
    _audit(
        actor,
        "meeting.update",
        meeting,
        changed=sorted(changed),
        invited=[o.public_id for o in new_orgs] + [u.public_id for u in new_users],
        uninvited=[(p.organisation or p.user).public_id for p in dropped],
    )
    link = _meeting_link(meeting)

    def values():
        return {"kind": meeting.get_kind_display(), "when": _when(meeting.starts_at), "unit": meeting.unit}

    notify(
        recipients(organisations=new_orgs, users=new_users),
        kind="meeting_invitation",
        message=lambda: _invitation_message(meeting),
        link=link,
    )
    if dropped:
        notify(
            recipients(
                organisations=[p.organisation for p in dropped if p.organisation_id],
                users=[p.user for p in dropped if p.user_id],
            ),
            kind="meeting_uninvited",
            message=lambda: _("No longer invited: %(kind)s on %(when)s, organised by %(unit)s.") % values(),
            link="",
        )
    if moved and kept:
        notify(
            recipients(
                organisations=[p.organisation for p in kept if p.organisation_id],
                users=[p.user for p in kept if p.user_id],
            ),
            kind="meeting_changed",
            message=lambda: (
                _("Changed: %(kind)s, now on %(when)s, organised by %(unit)s. Check the time and place.")
                % values()
            ),
            link=link,
        )
    return meeting


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


# --- action items ----------------------------------------------------------------------------------


def _item_link(item):
    return reverse("coordination:action_item_detail", args=[item.public_id])


def _item_message(template, item):
    values = {"ref": item.reference, "due": _day(item.due_date)}
    values["case"] = item.case.pseudonym if item.case_id else ""
    return template % values


def _assignees(item):
    return recipients(organisations=[item.assignee_organisation], users=[item.assignee_user])


@transaction.atomic
def action_item_create(
    *,
    actor,
    description,
    due_date,
    assignee_organisation=None,
    assignee_user=None,
    meeting=None,
    decision=None,
    case=None,
    case_code="",
):
    """Create an action item of the actor's unit, from a meeting of the unit and/or about a case."""
    _require(actor, "action_item.manage")
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = _("Say what is to be done.")
    elif len(description) > 500:
        errors["description"] = _("Keep the description under 500 characters.")
    if due_date is None:
        errors["due_date"] = _("Give a due date.")
    elif due_date < timezone.localdate():
        errors["due_date"] = _("The due date cannot be in the past.")
    if assignee_organisation is None and assignee_user is None:
        errors["assignee_organisation"] = _("Name the agency or the person responsible.")
    elif (assignee_organisation is not None and not assignee_organisation.is_active) or (
        assignee_user is not None and not assignee_user.is_active
    ):
        errors["assignee_organisation"] = _("Only an active agency or person can be responsible.")
    if meeting is not None:
        if not meetings_managed_by(actor).filter(pk=meeting.pk).exists():
            raise PermissionDenied
        if meeting.status == MeetingStatus.DIBATALKAN:
            errors["meeting"] = _("This meeting was cancelled; it can no longer be changed.")
    if decision is not None and (meeting is None or decision.meeting_id != meeting.pk):
        errors["decision"] = _("The decision must belong to the meeting.")
    if case is not None:
        if not cases_visible_to(actor).filter(pk=case.pk).exists():
            raise PermissionDenied
    else:
        try:
            case = _case_by_code(actor, case_code)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(
        unit=actor.organisation,
        meeting=meeting,
        decision=decision,
        case=case,
        description=description,
        assignee_organisation=assignee_organisation,
        assignee_user=assignee_user,
        due_date=due_date,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="action_item.create",
        object_type="action_item",
        object_id=item.public_id,
        case=case,
        details={
            "meeting": meeting.public_id if meeting else "",
            "agency": assignee_organisation.public_id if assignee_organisation else "",
            "person": assignee_user.public_id if assignee_user else "",
            "due": due_date.isoformat(),
        },
    )

    def message():
        text = _("Action item %(ref)s assigned to %(who)s, due %(due)s.") % {
            "ref": item.reference,
            "who": assignee_organisation or assignee_user,
            "due": _day(due_date),
        }
        if case is not None:
            text += " " + _("Case %(code)s.") % {"code": case.pseudonym}
        return text

    notify(_assignees(item), kind="action_item_assigned", message=message, link=_item_link(item))
    return item


@transaction.atomic
def action_item_update(*, actor, item, status, progress_note=None):
    """Move an item along (open → in progress → done) with a progress note; managers may cancel.

    Only an assignee (agency or person) or the owning unit may update; a closed item stays closed.
    """
    if not action_items_updatable_by(actor).filter(pk=item.pk).exists():
        raise PermissionDenied
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in OPEN_STATUSES:
        raise ValidationError(_("This action item is closed; it can no longer be changed."))
    if status not in ActionItemStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if (
        status == ActionItemStatus.DIBATALKAN
        and not action_items_managed_by(actor).filter(pk=item.pk).exists()
    ):
        raise ValidationError({"status": _("Only the unit that set the action item can cancel it.")})
    note = item.progress_note if progress_note is None else progress_note.strip()
    if len(note) > 2000:
        raise ValidationError({"progress_note": _("Keep the progress note under 2000 characters.")})
    if status == item.status and note == item.progress_note:
        raise ValidationError(_("Nothing changed: choose a new status or write a progress note."))
    old, old_note = item.status, item.progress_note
    item.status = status
    item.progress_note = note
    if status not in OPEN_STATUSES:
        item.closed_at = timezone.now()
    item.save(update_fields=["status", "progress_note", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="action_item.update",
        object_type="action_item",
        object_id=item.public_id,
        case=item.case,
        changes={"status": [old, status], **({"progress_note": "changed"} if note != old_note else {})},
    )
    if status != old:
        # Whoever did not make the change hears about it: the unit's head and the assignees.
        others = [
            u
            for u in recipients(
                organisations=[item.assignee_organisation],
                users=[item.assignee_user, item.created_by, *unit_heads(item.unit_id)],
            )
            if u.pk != actor.pk
        ]
        notify(
            others,
            kind="action_item_status",
            message=lambda: (
                _("Action item %(ref)s is now: %(status)s (by %(org)s).")
                % {"ref": item.reference, "status": item.get_status_display(), "org": actor.organisation}
            ),
            link=_item_link(item),
        )
    return item


def action_item_send_reminders(*, today=None):
    """Remind the assignees once before the due date, and tell them and the unit's head once when
    an item is overdue. Safe to run as often as wanted. Returns (due reminders, overdue notices)."""
    today = today or timezone.localdate()
    due_sent = overdue_sent = 0
    open_items = ActionItem.objects.filter(status__in=OPEN_STATUSES).select_related(
        "assignee_organisation", "assignee_user", "case"
    )
    soon = open_items.filter(
        due_reminder_sent_at__isnull=True,
        overdue_notice_sent_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
    )
    for item in soon:
        with transaction.atomic():
            if not ActionItem.objects.filter(pk=item.pk, due_reminder_sent_at__isnull=True).update(
                due_reminder_sent_at=timezone.now()
            ):
                continue  # another run got there first
            notify(
                _assignees(item),
                kind="action_item_due",
                message=lambda item=item: _item_message(_("Action item %(ref)s is due on %(due)s."), item),
                link=_item_link(item),
            )
            audit_record(
                actor=None,
                action="action_item.remind_due",
                object_type="action_item",
                object_id=item.public_id,
                case=item.case,
            )
            due_sent += 1
    for item in open_items.filter(overdue_notice_sent_at__isnull=True, due_date__lt=today):
        with transaction.atomic():
            if not ActionItem.objects.filter(pk=item.pk, overdue_notice_sent_at__isnull=True).update(
                overdue_notice_sent_at=timezone.now()
            ):
                continue
            users = recipients(
                organisations=[item.assignee_organisation],
                users=[item.assignee_user, *unit_heads(item.unit_id)],
            )
            notify(
                users,
                kind="action_item_overdue",
                message=lambda item=item: _item_message(
                    _("Action item %(ref)s is overdue (due %(due)s)."), item
                ),
                link=_item_link(item),
            )
            audit_record(
                actor=None,
                action="action_item.remind_overdue",
                object_type="action_item",
                object_id=item.public_id,
                case=item.case,
            )
            overdue_sent += 1
    return due_sent, overdue_sent


def organisations_to_invite(actor):
    """Agencies a unit may invite: every active service unit and partner agency but its own."""
    return Organisation.objects.filter(is_active=True).exclude(pk=actor.organisation_id)
