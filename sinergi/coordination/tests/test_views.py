"""Per view: it works, it hides from outsiders (404), it refuses without the right (403)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.coordination.models import ActionItem, AgendaItem, Meeting
from sinergi.testing.cases import case_row

from .conftest import AGENDA_TOPIC, VICTIM_NAME

pytestmark = pytest.mark.django_db


def _detail(coord):
    return reverse("coordination:meeting_detail", args=[coord.meeting.public_id])


class TestMeetingList:
    def test_it_works(self, personas, coord, login):
        html = login(personas.mitra).get(reverse("coordination:meeting_list")).content.decode()
        assert coord.meeting.title in html

    def test_it_hides_from_outsiders(self, personas, coord, login):
        html = login(personas.kepala_luar).get(reverse("coordination:meeting_list")).content.decode()
        assert coord.meeting.title not in html


class TestMeetingCreate:
    def _data(self, p, **overrides):
        data = {
            "kind": "konferensi_kasus",
            "title": "Konferensi kasus",
            "starts_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Ruang UPTD",
            "organisations": [p.orgs.partner.pk, p.orgs.other_partner.pk],
        }
        data.update(overrides)
        return data

    def test_it_works(self, personas, login):
        response = login(personas.kepala).post(reverse("coordination:meeting_create"), self._data(personas))
        meeting = Meeting.objects.get()
        assert response["Location"] == reverse("coordination:meeting_detail", args=[meeting.public_id])
        assert meeting.participants.count() == 2

    def test_no_participants_keeps_what_was_typed(self, personas, login):
        response = login(personas.kepala).post(
            reverse("coordination:meeting_create"), self._data(personas, organisations=[])
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "a meeting needs participants" in html
        assert 'value="Konferensi kasus"' in html
        assert not Meeting.objects.exists()

    def test_it_refuses_without_permission(self, personas, login):
        assert login(personas.pendamping).get(reverse("coordination:meeting_create")).status_code == 403
        assert (
            login(personas.mitra)
            .post(reverse("coordination:meeting_create"), self._data(personas))
            .status_code
            == 403
        )
        assert not Meeting.objects.exists()


class TestMeetingDetail:
    def test_it_works_and_is_audited(self, personas, coord, login):
        html = login(personas.kepala).get(_detail(coord)).content.decode()
        assert AGENDA_TOPIC in html
        assert reverse("cases:detail", args=[coord.unit_case.public_id]) in html
        assert VICTIM_NAME not in html
        assert AuditEvent.objects.filter(action="meeting.view", actor_username="kepala").exists()

    def test_case_code_per_participant(self, personas, coord, login, client):
        code, link = coord.unit_case.pseudonym, reverse("cases:detail", args=[coord.unit_case.public_id])
        seen = {}
        for persona in ("kepala", "pendamping", "petugas", "psikolog", "datin", "mitra"):
            client.logout()
            html = login(getattr(personas, persona)).get(_detail(coord)).content.decode()
            seen[persona] = (code in html, link in html)
        assert seen == {
            "kepala": (True, True),
            "pendamping": (True, True),  # on the case team
            "petugas": (False, False),  # same unit, no access to the case
            "psikolog": (False, False),
            "datin": (False, False),
            "mitra": (True, False),  # the invited partner: the code only
        }

    def test_unit_wide_access_shows_the_code_to_all_staff(self, personas, coord, login):
        personas.orgs.unit.all_staff_see_all_cases = True
        personas.orgs.unit.save()
        assert coord.unit_case.pseudonym in login(personas.petugas).get(_detail(coord)).content.decode()

    @pytest.mark.parametrize("persona", ["mitra_lain", "kepala_luar", "orang_luar", "kepala_provinsi"])
    def test_it_hides_from_outsiders(self, personas, coord, login, persona):
        assert login(getattr(personas, persona)).get(_detail(coord)).status_code == 404
        assert AuditEvent.objects.filter(
            action="meeting.view", outcome="denied", actor_username=persona
        ).exists()

    def test_an_invited_person_of_another_unit_sees_the_meeting_but_not_the_code(
        self, personas, coord, login
    ):
        coord.meeting.participants.create(user=personas.orang_luar)
        html = login(personas.orang_luar).get(_detail(coord)).content.decode()
        assert AGENDA_TOPIC in html and coord.unit_case.pseudonym not in html


class TestMeetingWrites:
    def test_agenda_minutes_decision_attendance(self, personas, coord, login):
        client = login(personas.kepala)
        mid = coord.meeting.public_id
        r = client.post(
            reverse("coordination:meeting_agenda_add", args=[mid]),
            {"agenda-topic": "Evaluasi", "agenda-case_code": ""},
        )
        assert r.status_code == 302
        r = client.post(reverse("coordination:meeting_decision_add", args=[mid]), {"text": "Rujuk ke RSUD"})
        assert r.status_code == 302
        r = client.post(
            reverse("coordination:meeting_minutes", args=[mid]), {"minutes": "Rapat dibuka pukul 09.00"}
        )
        assert r.status_code == 302
        invite = coord.meeting.participants.filter(organisation__isnull=False).get()
        r = client.post(reverse("coordination:meeting_attendance", args=[mid]), {"present": [str(invite.pk)]})
        assert r.status_code == 302
        html = client.get(_detail(coord)).content.decode()
        assert "Evaluasi" in html and "Rujuk ke RSUD" in html and "Rapat dibuka pukul 09.00" in html

    def test_a_bad_case_code_shows_next_to_the_field(self, personas, coord, login):
        response = login(personas.kepala).post(
            reverse("coordination:meeting_agenda_add", args=[coord.meeting.public_id]),
            {"agenda-topic": "Kasus lain", "agenda-case_code": "K-ZZZZZZZ"},
        )
        assert response.status_code == 400
        assert "No case with this code" in response.content.decode()
        assert AgendaItem.objects.filter(meeting=coord.meeting).count() == 1

    def test_it_refuses_without_permission(self, personas, coord, login):
        url = reverse("coordination:meeting_decision_add", args=[coord.meeting.public_id])
        assert login(personas.mitra).post(url, {"text": "x"}).status_code == 404
        assert not coord.meeting.decisions.exists()

    def test_cancel(self, personas, coord, login):
        url = reverse("coordination:meeting_cancel", args=[coord.meeting.public_id])
        client = login(personas.kepala)
        # One click is not enough: everyone would be told on a stray tap.
        assert client.post(url).status_code == 302
        coord.meeting.refresh_from_db()
        assert coord.meeting.status != "dibatalkan"
        assert client.post(url, {"confirm": "ya"}).status_code == 302
        coord.meeting.refresh_from_db()
        assert coord.meeting.status == "dibatalkan"


class TestBoard:
    url = "/tindak-lanjut/"

    def test_it_works(self, personas, coord, login):
        html = login(personas.kepala).get(self.url).content.decode()
        assert coord.item.reference in html and coord.other_item.reference in html

    def test_a_partner_sees_only_its_own_agency_items(self, personas, coord, login):
        html = login(personas.mitra).get(self.url).content.decode()
        assert coord.item.reference in html
        assert coord.other_item.reference not in html
        assert coord.unit_case.pseudonym in html  # the code, without a link to the case
        assert reverse("cases:detail", args=[coord.unit_case.public_id]) not in html

    def test_it_hides_from_outsiders(self, personas, coord, login):
        html = login(personas.kepala_luar).get(self.url).content.decode()
        assert coord.item.reference not in html

    def test_query_count_does_not_grow_with_items(
        self, personas, coord, login, django_assert_max_num_queries
    ):
        client = login(personas.kepala)
        with django_assert_max_num_queries(25) as small:
            client.get(self.url)
        for n in range(15):
            ActionItem.objects.create(
                unit=personas.orgs.unit,
                meeting=coord.meeting,
                case=coord.unit_case,
                description=f"Tugas {n}",
                assignee_organisation=personas.orgs.partner if n % 2 else None,
                assignee_user=None if n % 2 else personas.pendamping,
                due_date=timezone.localdate() + dt.timedelta(days=n),
            )
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(self.url)
        assert response.content.decode().count('data-item="') == 17


class TestActionItemCreate:
    def _data(self, p, **overrides):
        data = {
            "description": "Pendampingan visum",
            "due_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "assignee_organisation": str(p.orgs.other_partner.pk),
        }
        data.update(overrides)
        return data

    def test_it_works_from_a_meeting(self, personas, coord, login):
        url = reverse("coordination:action_item_create") + f"?rapat={coord.meeting.public_id}"
        response = login(personas.kepala).post(url, self._data(personas))
        assert response["Location"] == _detail(coord)
        assert coord.meeting.action_items.count() == 3

    def test_a_past_due_date_is_refused_next_to_the_field(self, personas, login):
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        response = login(personas.kepala).post(
            reverse("coordination:action_item_create"), self._data(personas, due_date=yesterday)
        )
        assert response.status_code == 200
        assert "The due date cannot be in the past." in response.content.decode()
        assert not ActionItem.objects.exists()


class TestActionItemDetailAndUpdate:
    def test_it_works_for_the_partner(self, personas, coord, login):
        client = login(personas.mitra)
        url = reverse("coordination:action_item_detail", args=[coord.item.public_id])
        html = client.get(url).content.decode()
        assert "Laporan perkembangan penyidikan" in html
        assert 'name="status"' in html
        assert 'value="dibatalkan"' not in html  # a partner cannot cancel
        response = client.post(
            reverse("coordination:action_item_update", args=[coord.item.public_id]),
            {"status": "selesai", "progress_note": "BAP selesai"},
        )
        assert response.status_code == 302
        coord.item.refresh_from_db()
        assert (coord.item.status, coord.item.progress_note) == ("selesai", "BAP selesai")

    def test_a_partner_updating_another_agencys_item_gets_404(self, personas, coord, login):
        client = login(personas.mitra)
        for name in ("coordination:action_item_detail", "coordination:action_item_update"):
            url = reverse(name, args=[coord.other_item.public_id])
            response = client.post(url, {"status": "selesai"}) if "update" in name else client.get(url)
            assert response.status_code == 404
        coord.other_item.refresh_from_db()
        assert coord.other_item.status == "terbuka"
        assert (
            AuditEvent.objects.filter(
                action="action_item.view", outcome="denied", actor_username="mitra"
            ).count()
            == 2
        )

    def test_staff_see_but_cannot_update_an_item_not_theirs(self, personas, coord, login):
        client = login(personas.petugas)
        html = client.get(
            reverse("coordination:action_item_detail", args=[coord.item.public_id])
        ).content.decode()
        assert 'name="status"' not in html
        response = client.post(
            reverse("coordination:action_item_update", args=[coord.item.public_id]), {"status": "selesai"}
        )
        assert response.status_code == 404


class TestMeetingEdit:
    def _url(self, coord):
        return reverse("coordination:meeting_edit", args=[coord.meeting.public_id])

    def test_it_works(self, personas, coord, login):
        client = login(personas.kepala)
        html = client.get(self._url(coord)).content.decode()
        assert f'value="{coord.meeting.title}"' in html
        assert f'value="{personas.orgs.partner.pk}" id="id_organisations_' in html.replace("\n", "")
        data = {
            "kind": "rakor",
            "title": "Rakor diubah",
            "starts_at": (timezone.localtime() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Aula baru",
            "organisations": [personas.orgs.partner.pk],
        }
        assert client.post(self._url(coord), data).status_code == 302
        coord.meeting.refresh_from_db()
        assert (coord.meeting.title, coord.meeting.place) == ("Rakor diubah", "Aula baru")


def test_meeting_page_queries_do_not_grow_with_agenda_cases(
    personas, coord, login, django_assert_max_num_queries
):

    client = login(personas.kepala)
    url = _detail(coord)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for n in range(6):
        case = case_row(personas.orgs.unit)
        AgendaItem.objects.create(meeting=coord.meeting, order=n + 2, topic=f"Kasus {n}", case=case)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("/kasus/") >= 7


def test_every_earlier_meeting_is_reachable_page_by_page(personas, login, monkeypatch):
    import datetime as dt
    import re

    from django.utils import timezone

    from sinergi.coordination import views
    from sinergi.coordination.models import Meeting
    from sinergi.testing.pages import keyset_pages

    monkeypatch.setattr(views, "PAST_PAGE", 2)
    for i in range(5):
        Meeting.objects.create(
            kind="rakor",
            title=f"Rakor lampau nomor {i}",
            unit=personas.orgs.unit,
            starts_at=timezone.now() - dt.timedelta(days=30 - i),
            place="Aula",
            period_start=timezone.localdate() - dt.timedelta(days=120),
            period_end=timezone.localdate() - dt.timedelta(days=31),
            created_by=personas.kepala,
        )
    pages = keyset_pages(login(personas.kepala), reverse("coordination:meeting_list"), "meetings-past")
    assert all("(5)" in part.split("</h2>")[0] for part in pages)
    seen = [n for part in pages for n in re.findall(r"Rakor lampau nomor (\d)", part)]
    assert seen == ["4", "3", "2", "1", "0"]
