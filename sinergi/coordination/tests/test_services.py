import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.coordination import services
from sinergi.coordination.models import ActionItem, AgendaItem, Meeting, MeetingParticipant
from sinergi.notifications.models import Notification
from sinergi.testing.cases import case_row

from .conftest import VICTIM_NAME

pytestmark = pytest.mark.django_db


def _schedule(p, **overrides):
    data = {
        "actor": p.kepala,
        "kind": "konferensi_kasus",
        "title": "Konferensi kasus uji",
        "starts_at": timezone.now() + dt.timedelta(days=3),
        "place": "Ruang rapat UPTD",
        "organisations": [p.orgs.partner, p.orgs.other_partner],
        "users": [p.pendamping],
    }
    data.update(overrides)
    return services.meeting_schedule(**data)


class TestMeetingSchedule:
    def test_it_schedules_invites_and_audits(self, personas, django_capture_on_commit_callbacks):
        p = personas
        p.mitra.email = "mitra@example.org"
        p.mitra.save()
        with django_capture_on_commit_callbacks(execute=True):
            meeting = _schedule(p)
        assert meeting.unit == p.orgs.unit
        assert meeting.participants.count() == 3
        assert meeting.period_end == timezone.localtime(meeting.starts_at).date()
        assert meeting.period_start == meeting.period_end - dt.timedelta(days=services.DEFAULT_PERIOD_DAYS)
        event = AuditEvent.objects.get(action="meeting.schedule")
        assert event.object_id == meeting.public_id
        invited = set(
            Notification.objects.filter(kind="meeting_invitation").values_list(
                "recipient__username", flat=True
            )
        )
        assert invited == {"mitra", "mitra_lain", "pendamping"}
        assert [m.to for m in mail.outbox] == [["mitra@example.org"]]
        assert meeting.title not in mail.outbox[0].subject

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"organisations": [], "users": []}, "organisations"),
            ({"place": ""}, "place"),
            ({"title": "  "}, "title"),
            ({"kind": "arisan"}, "kind"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_saved(self, personas, overrides, field):
        with pytest.raises(ValidationError) as refused:
            _schedule(personas, **overrides)
        assert field in refused.value.message_dict
        assert not Meeting.objects.exists()
        assert not MeetingParticipant.objects.exists()
        assert not Notification.objects.exists()
        assert not AuditEvent.objects.filter(action="meeting.schedule").exists()

    def test_no_participants_message_is_clear(self, personas):
        with pytest.raises(ValidationError) as refused:
            _schedule(personas, organisations=[personas.orgs.unit], users=[personas.kepala])
        # Inviting only oneself and one's own unit is no invitation at all.
        assert "participants" in refused.value.message_dict["organisations"][0]

    def test_the_meeting_must_end_after_it_starts(self, personas):
        start = timezone.now() + dt.timedelta(days=1)
        with pytest.raises(ValidationError) as refused:
            _schedule(personas, starts_at=start, ends_at=start - dt.timedelta(hours=1))
        assert "ends_at" in refused.value.message_dict

    @pytest.mark.parametrize("persona", ["pendamping", "mitra", "datin", "admin"])
    def test_only_a_head_of_unit_schedules(self, personas, persona):
        with pytest.raises(PermissionDenied):
            _schedule(personas, actor=getattr(personas, persona))


class TestAgendaMinutesDecisions:
    def test_a_case_joins_the_agenda_by_code(self, personas, coord):
        item = services.meeting_agenda_add(
            actor=personas.kepala,
            meeting=coord.meeting,
            topic="Kasus kedua",
            case_code=coord.unit_case.pseudonym.lower(),
        )
        assert item.case == coord.unit_case
        assert item.order == 2
        assert AuditEvent.objects.filter(
            action="meeting.agenda_add", case_id=coord.unit_case.public_id
        ).exists()

    def test_an_unknown_or_hidden_case_code_is_refused(self, personas, coord):

        other = case_row(personas.orgs.other_unit)
        for code in ("K-TIDAKADA", other.pseudonym):
            with pytest.raises(ValidationError) as refused:
                services.meeting_agenda_add(
                    actor=personas.kepala, meeting=coord.meeting, topic="X", case_code=code
                )
            assert "case_code" in refused.value.message_dict
        assert AgendaItem.objects.filter(meeting=coord.meeting).count() == 1

    def test_minutes_are_encrypted_and_mark_the_meeting_held(self, personas, coord):
        from django.db import connection

        services.meeting_minutes_record(
            actor=personas.kepala, meeting=coord.meeting, minutes="Notulen rahasia uji"
        )
        coord.meeting.refresh_from_db()
        assert coord.meeting.status == "selesai"
        assert coord.meeting.minutes == "Notulen rahasia uji"
        with connection.cursor() as cursor:
            cursor.execute("SELECT minutes FROM coordination_meeting WHERE id = %s", [coord.meeting.pk])
            assert "Notulen" not in cursor.fetchone()[0]

    def test_empty_minutes_are_refused(self, personas, coord):
        with pytest.raises(ValidationError):
            services.meeting_minutes_record(actor=personas.kepala, meeting=coord.meeting, minutes="  ")
        coord.meeting.refresh_from_db()
        assert coord.meeting.status == "dijadwalkan"

    def test_another_units_head_cannot_touch_the_meeting(self, personas, coord):
        with pytest.raises(PermissionDenied):
            services.meeting_decision_add(actor=personas.kepala_luar, meeting=coord.meeting, text="Keputusan")

    def test_a_cancelled_meeting_is_frozen(self, personas, coord):
        services.meeting_cancel(actor=personas.kepala, meeting=coord.meeting)
        with pytest.raises(ValidationError):
            services.meeting_decision_add(actor=personas.kepala, meeting=coord.meeting, text="Keputusan")
        assert Notification.objects.filter(kind="meeting_cancelled", recipient=personas.mitra).exists()

    def test_attendance(self, personas, coord):
        partner, person = coord.meeting.participants.order_by("id")
        services.meeting_attendance_record(actor=personas.kepala, meeting=coord.meeting, present=[partner.pk])
        partner.refresh_from_db()
        person.refresh_from_db()
        assert (partner.attended, person.attended) == (True, False)
        with pytest.raises(ValidationError):
            services.meeting_attendance_record(actor=personas.kepala, meeting=coord.meeting, present=[999999])


class TestActionItems:
    def _create(self, p, **overrides):
        data = {
            "actor": p.kepala,
            "description": "Visum et repertum",
            "due_date": timezone.localdate() + dt.timedelta(days=3),
            "assignee_organisation": p.orgs.partner,
        }
        data.update(overrides)
        return services.action_item_create(**data)

    def test_it_creates_notifies_without_names_and_audits(
        self, personas, coord, django_capture_on_commit_callbacks
    ):
        personas.mitra.email = "mitra@example.org"
        personas.mitra.save()
        with django_capture_on_commit_callbacks(execute=True):
            item = self._create(personas, meeting=coord.meeting, case_code=coord.unit_case.pseudonym)
        assert item.unit == personas.orgs.unit
        assert item.status == "terbuka"
        note = Notification.objects.get(kind="action_item_assigned")
        assert note.recipient == personas.mitra
        assert coord.unit_case.pseudonym in note.message
        assert VICTIM_NAME not in note.message and "Visum" not in note.message
        assert VICTIM_NAME not in mail.outbox[0].subject + mail.outbox[0].body
        assert AuditEvent.objects.filter(
            action="action_item.create", case_id=coord.unit_case.public_id
        ).exists()

    def test_a_past_due_date_is_refused(self, personas):
        with pytest.raises(ValidationError) as refused:
            self._create(personas, due_date=timezone.localdate() - dt.timedelta(days=1))
        assert refused.value.message_dict["due_date"] == ["The due date cannot be in the past."]
        assert not ActionItem.objects.exists()
        assert not Notification.objects.exists()

    def test_today_is_a_valid_due_date(self, personas):
        assert self._create(personas, due_date=timezone.localdate()).pk

    def test_it_needs_an_assignee(self, personas):
        with pytest.raises(ValidationError) as refused:
            self._create(personas, assignee_organisation=None)
        assert "assignee_organisation" in refused.value.message_dict

    def test_a_decision_of_another_meeting_is_refused(self, personas, coord):
        decision = services.meeting_decision_add(actor=personas.kepala, meeting=coord.meeting, text="K")
        with pytest.raises(ValidationError):
            self._create(personas, decision=decision)

    def test_partner_updates_own_agency_item(self, personas, coord):
        services.action_item_update(
            actor=personas.mitra, item=coord.item, status="berjalan", progress_note="Sedang diproses"
        )
        coord.item.refresh_from_db()
        assert (coord.item.status, coord.item.progress_note) == ("berjalan", "Sedang diproses")
        event = AuditEvent.objects.get(action="action_item.update")
        assert event.changes == {"status": ["terbuka", "berjalan"], "progress_note": "changed"}
        # The unit's head hears about it; the partner who did it does not.
        recipients = set(
            Notification.objects.filter(kind="action_item_status").values_list(
                "recipient__username", flat=True
            )
        )
        assert recipients == {"kepala"}

    def test_partner_cannot_update_another_agencys_item(self, personas, coord):
        with pytest.raises(PermissionDenied):
            services.action_item_update(actor=personas.mitra, item=coord.other_item, status="selesai")
        coord.other_item.refresh_from_db()
        assert coord.other_item.status == "terbuka"
        assert not AuditEvent.objects.filter(action="action_item.update").exists()

    def test_partner_cannot_cancel(self, personas, coord):
        with pytest.raises(ValidationError):
            services.action_item_update(actor=personas.mitra, item=coord.item, status="dibatalkan")

    def test_a_closed_item_stays_closed(self, personas, coord):
        services.action_item_update(actor=personas.mitra, item=coord.item, status="selesai")
        with pytest.raises(ValidationError):
            services.action_item_update(actor=personas.mitra, item=coord.item, status="berjalan")
        coord.item.refresh_from_db()
        assert coord.item.status == "selesai" and coord.item.closed_at is not None

    def test_the_head_may_cancel(self, personas, coord):
        services.action_item_update(actor=personas.kepala, item=coord.item, status="dibatalkan")
        coord.item.refresh_from_db()
        assert coord.item.status == "dibatalkan"

    def test_nothing_changed_is_refused(self, personas, coord):
        with pytest.raises(ValidationError):
            services.action_item_update(
                actor=personas.mitra, item=coord.item, status="terbuka", progress_note=""
            )


class TestMeetingUpdate:
    def _update(self, p, coord, **overrides):
        m = coord.meeting
        data = {
            "actor": p.kepala,
            "meeting": m,
            "kind": m.kind,
            "title": m.title,
            "starts_at": m.starts_at,
            "place": m.place,
            "organisations": [p.orgs.partner],
            "users": [p.pendamping],
        }
        data.update(overrides)
        return services.meeting_update(**data)

    def test_moving_the_meeting_tells_everyone_invited(self, personas, coord):
        self._update(personas, coord, starts_at=coord.meeting.starts_at + dt.timedelta(days=1))
        told = set(
            Notification.objects.filter(kind="meeting_changed").values_list("recipient__username", flat=True)
        )
        assert told == {"mitra", "pendamping"}
        assert AuditEvent.objects.filter(action="meeting.update", object_id=coord.meeting.public_id).exists()

    def test_changing_invitations(self, personas, coord):
        self._update(
            personas, coord, organisations=[personas.orgs.other_partner], users=[personas.pendamping]
        )
        orgs = set(
            coord.meeting.participants.filter(organisation__isnull=False).values_list(
                "organisation", flat=True
            )
        )
        assert orgs == {personas.orgs.other_partner.pk}
        assert Notification.objects.get(kind="meeting_invitation").recipient == personas.mitra_lain
        assert Notification.objects.get(kind="meeting_uninvited").recipient == personas.mitra
        assert not Notification.objects.filter(kind="meeting_changed").exists()  # same time and place

    def test_uninviting_everyone_is_refused_and_nothing_changes(self, personas, coord):
        with pytest.raises(ValidationError) as refused:
            self._update(personas, coord, title="Judul baru", organisations=[], users=[])
        assert "organisations" in refused.value.message_dict
        coord.meeting.refresh_from_db()
        assert coord.meeting.title == "Rakor lintas sektoral uji"
        assert coord.meeting.participants.count() == 2

    def test_a_held_meeting_cannot_be_changed(self, personas, coord):
        services.meeting_minutes_record(actor=personas.kepala, meeting=coord.meeting, minutes="Notulen")
        with pytest.raises(ValidationError):
            self._update(personas, coord, title="Lain")
