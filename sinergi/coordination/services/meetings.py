"""Coordination meetings: scheduling and changes, and who is invited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import MeetingKind, MeetingStatus
from ..models import Meeting, MeetingParticipant
from ..notify import notify, recipients
from ._common import DEFAULT_PERIOD_DAYS, _audit, _managed_meeting, _require, _when

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
