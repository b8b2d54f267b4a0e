"""Coordination meetings and action items in the permission matrix.

The world gets a rakor of the persona unit (`coord_meeting`) inviting the partner agency of
`mitra` and the `pendamping`, with the unit case on its agenda, an action item for that partner
(`coord_item`) and one for the other partner (`coord_other_item`).

- meeting.view: staff of the organising unit, and invited agencies/people (a partner: `own`);
- meeting.manage, action_item.manage: the organising unit's head;
- action_item.view / update: the unit's staff / head, and the assignee agency (partners see and
  update their own agency's items only: `mitra` the first, `mitra_lain` (of the other partner)
  the second; every other item is a 404).
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sinergi.coordination.models import ActionItem, AgendaItem, Meeting, MeetingDecision, MeetingParticipant
from sinergi.testing.matrix import KEPALAS, Guarded, Row, _fresh, _post_only, _url, statuses

UNIT_STAFF = "kepala petugas pendamping pendamping_lain psikolog datin pimpinan"
MEETING_VIEWERS = UNIT_STAFF + " mitra"
NO_RIGHT = "admin auditor"
MATRIX_TITLE = "Rakor Matriks Triwulan"


def world_extras(w):
    meeting = Meeting.objects.create(
        kind="rakor",
        title=MATRIX_TITLE,
        unit=w.orgs.unit,
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Aula matriks",
        period_start=timezone.localdate() - dt.timedelta(days=90),
        period_end=timezone.localdate(),
        created_by=w.kepala,
    )
    partner = MeetingParticipant.objects.create(meeting=meeting, organisation=w.orgs.partner)
    MeetingParticipant.objects.create(meeting=meeting, user=w.pendamping)
    AgendaItem.objects.create(meeting=meeting, order=1, topic="Kasus matriks", case=w.unit_case)
    item = ActionItem.objects.create(
        unit=w.orgs.unit,
        meeting=meeting,
        case=w.unit_case,
        description="Tindak lanjut matriks mitra",
        assignee_organisation=w.orgs.partner,
        due_date=timezone.localdate() + dt.timedelta(days=10),
        created_by=w.kepala,
    )
    other_item = ActionItem.objects.create(
        unit=w.orgs.unit,
        meeting=meeting,
        description="Tindak lanjut matriks RSUD",
        assignee_organisation=w.orgs.other_partner,
        due_date=timezone.localdate() + dt.timedelta(days=10),
        created_by=w.kepala,
    )
    return {
        "coord_meeting": meeting,
        "coord_partner_invite": partner,
        "coord_item": item,
        "coord_other_item": other_item,
    }


def _meeting_id(w):
    return w.coord_meeting.public_id


def _item_id(w):
    return w.coord_item.public_id


def _other_item_id(w):
    return w.coord_other_item.public_id


def _manage_post(name, data, effect):
    """A head-of-unit POST on the meeting: the organising kepala only; everyone else a 404."""
    return Guarded(
        permission="meeting.manage",
        rows=(
            _post_only(name, _meeting_id),
            Row(
                url=_url(name, _meeting_id),
                method="post",
                data=data,
                expect=statuses({302: "kepala"}, default=404),
                denied="meeting.view",
                effect=effect,
            ),
        ),
    )


ROUTES = {
    "coordination:meeting_list": Guarded(
        permission="meeting.view",
        rows=(
            Row(
                url=_url("coordination:meeting_list"),
                expect=statuses({403: NO_RIGHT}, default=200),
                shows=((MATRIX_TITLE, MEETING_VIEWERS),),
            ),
        ),
    ),
    "coordination:meeting_create": Guarded(
        permission="meeting.manage",
        rows=(
            Row(url=_url("coordination:meeting_create"), expect=statuses({200: KEPALAS}, default=403)),
            Row(
                url=_url("coordination:meeting_create"),
                method="post",
                data=lambda w: {
                    "kind": "rakor",
                    "title": "Rakor Matriks Baru",
                    "starts_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                    "place": "Aula",
                    "organisations": [w.orgs.partner.pk],
                },
                expect=statuses({302: KEPALAS}, default=403),
                effect=lambda w: Meeting.objects.filter(title="Rakor Matriks Baru").exists(),
            ),
        ),
    ),
    "coordination:meeting_detail": Guarded(
        permission="meeting.view",
        rows=(
            Row(
                url=_url("coordination:meeting_detail", _meeting_id),
                expect=statuses({200: MEETING_VIEWERS}, default=404),
                denied="meeting.view",
                # The case code: its team and head (with a link) and the invited partner (code only).
                shows=(
                    (lambda w: w.unit_case.pseudonym, "kepala pendamping mitra"),
                    (lambda w: w.unit_case_victim.name, ""),
                    ("Kasus matriks", MEETING_VIEWERS),
                ),
            ),
        ),
    ),
    "coordination:meeting_edit": Guarded(
        permission="meeting.manage",
        rows=(
            Row(
                url=_url("coordination:meeting_edit", _meeting_id),
                expect=statuses({200: "kepala"}, default=404),
                denied="meeting.view",
            ),
            Row(
                url=_url("coordination:meeting_edit", _meeting_id),
                method="post",
                data=lambda w: {
                    "kind": "rakor",
                    "title": "Rakor Matriks Diubah",
                    "starts_at": (timezone.localtime() + dt.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
                    "place": "Aula",
                    "organisations": [w.orgs.partner.pk],
                },
                expect=statuses({302: "kepala"}, default=404),
                denied="meeting.view",
                effect=lambda w: _fresh(w.coord_meeting).title == "Rakor Matriks Diubah",
            ),
        ),
    ),
    "coordination:meeting_agenda_add": _manage_post(
        "coordination:meeting_agenda_add",
        lambda w: {"agenda-topic": "Agenda matriks baru", "agenda-case_code": w.unit_case.pseudonym},
        lambda w: AgendaItem.objects.filter(meeting=w.coord_meeting).count() == 2,
    ),
    "coordination:meeting_attendance": _manage_post(
        "coordination:meeting_attendance",
        lambda w: {"present": [str(w.coord_partner_invite.pk)]},
        lambda w: _fresh(w.coord_partner_invite).attended is True,
    ),
    "coordination:meeting_minutes": _manage_post(
        "coordination:meeting_minutes",
        lambda w: {"minutes": "Notulen rapat matriks"},
        lambda w: _fresh(w.coord_meeting).status == "selesai",
    ),
    "coordination:meeting_decision_add": _manage_post(
        "coordination:meeting_decision_add",
        lambda w: {"text": "Keputusan matriks"},
        lambda w: MeetingDecision.objects.filter(meeting=w.coord_meeting).exists(),
    ),
    "coordination:meeting_cancel": _manage_post(
        "coordination:meeting_cancel",
        lambda w: {"confirm": "ya"},
        lambda w: _fresh(w.coord_meeting).status == "dibatalkan",
    ),
    "coordination:action_item_board": Guarded(
        permission="action_item.view",
        rows=(
            Row(
                url=_url("coordination:action_item_board"),
                expect=statuses({403: NO_RIGHT}, default=200),
                shows=(
                    (lambda w: w.coord_item.reference, MEETING_VIEWERS),
                    (lambda w: w.coord_other_item.reference, UNIT_STAFF + " mitra_lain"),
                    (lambda w: w.unit_case.pseudonym, "kepala pendamping mitra"),
                ),
            ),
        ),
    ),
    "coordination:action_item_create": Guarded(
        permission="action_item.manage",
        rows=(
            Row(url=_url("coordination:action_item_create"), expect=statuses({200: KEPALAS}, default=403)),
            # From a meeting: only a meeting its unit's head manages; another head gets a 404.
            Row(
                variant="from-a-meeting",
                url=lambda w: (
                    reverse("coordination:action_item_create") + f"?rapat={w.coord_meeting.public_id}"
                ),
                expect=statuses({200: "kepala", 404: "kepala_provinsi kepala_luar"}, default=403),
                denied="meeting.view",
            ),
            Row(
                url=_url("coordination:action_item_create"),
                method="post",
                data=lambda w: {
                    "description": "Tindak lanjut matriks baru",
                    "due_date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
                    "assignee_organisation": str(w.orgs.partner.pk),
                },
                expect=statuses({302: KEPALAS}, default=403),
                effect=lambda w: ActionItem.objects.count() == 3,
            ),
        ),
    ),
    "coordination:action_item_detail": Guarded(
        permission="action_item.view",
        rows=(
            Row(
                url=_url("coordination:action_item_detail", _item_id),
                expect=statuses({200: MEETING_VIEWERS}, default=404),
                denied="action_item.view",
                shows=(
                    ("Tindak lanjut matriks mitra", MEETING_VIEWERS),
                    (lambda w: w.unit_case.pseudonym, "kepala pendamping mitra"),
                ),
            ),
            Row(
                variant="other-agency",
                url=_url("coordination:action_item_detail", _other_item_id),
                expect=statuses({200: UNIT_STAFF + " mitra_lain"}, default=404),
                denied="action_item.view",
            ),
        ),
    ),
    "coordination:action_item_update": Guarded(
        permission="action_item.update",
        rows=(
            _post_only("coordination:action_item_update", _item_id),
            Row(
                url=_url("coordination:action_item_update", _item_id),
                method="post",
                data=lambda w: {"status": "berjalan", "progress_note": "Diproses (matriks)"},
                expect=statuses({302: "kepala mitra"}, default=404),
                denied="action_item.view",
                effect=lambda w: _fresh(w.coord_item).status == "berjalan",
            ),
            Row(
                variant="other-agency",
                url=_url("coordination:action_item_update", _other_item_id),
                method="post",
                data=lambda w: {"status": "selesai"},
                expect=statuses({302: "kepala mitra_lain"}, default=404),
                denied="action_item.view",
                effect=lambda w: _fresh(w.coord_other_item).status == "selesai",
            ),
        ),
    ),
}
