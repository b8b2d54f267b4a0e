import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import BreakGlassAccess, Case, CaseAssignment
from sinergi.notifications.models import Notification
from sinergi.testing.cases import case_row


@pytest.fixture
def case(personas):
    case = case_row(personas.orgs.unit, registration_number="PPA-UJI-2026-0001")
    CaseAssignment.objects.create(case=case, user=personas.pendamping, team_role="lead")
    return case


def url(case):
    return reverse("cases:detail", args=[case.public_id])


class TestCaseDetail:
    def test_it_works(self, personas, login, case):
        response = login(personas.pendamping).get(url(case))
        assert response.status_code == 200
        assert case.pseudonym in response.content.decode()
        assert AuditEvent.objects.filter(action="case.view", case_id=case.public_id, outcome="ok").exists()

    def test_it_hides_from_outsiders(self, personas, login, case):
        for name in ["pendamping_lain", "orang_luar", "kepala_luar", "kepala_provinsi"]:
            response = login(getattr(personas, name)).get(url(case))
            assert response.status_code == 404, name
        denied = AuditEvent.objects.filter(action="case.view", outcome="denied", case_id=case.public_id)
        assert denied.count() == 4
        # The attempt is tied to the case's unit, so its kepala sees it.
        assert set(denied.values_list("unit_id", flat=True)) == {personas.orgs.unit.pk}

    def test_it_refuses_without_permission(self, personas, login, case):
        # Roles without case.view get the same 404 as outsiders: no case URL confirms a case exists.
        for name in ["datin", "pimpinan", "mitra", "admin", "auditor"]:
            assert login(getattr(personas, name)).get(url(case)).status_code == 404, name
        denied = AuditEvent.objects.filter(action="case.view", outcome="denied", case_id=case.public_id)
        assert denied.count() == 5
        assert set(denied.values_list("unit_id", flat=True)) == {personas.orgs.unit.pk}

    def test_access_panel_shows_who_looked(self, personas, login, case):
        login(personas.pendamping_lain).get(url(case))
        html = login(personas.kepala).get(url(case)).content.decode()
        # Who by full name and position, what in words (with the code beside it).
        assert escape(personas.pendamping_lain.name_and_position) in html and "pendamping_lain" not in html
        assert "Kasus dibuka" in html and "case.view" in html

    def test_access_panel_is_not_shown_to_psikolog(self, personas, login, case):
        CaseAssignment.objects.create(case=case, user=personas.psikolog)
        html = login(personas.psikolog).get(url(case)).content.decode()
        assert "access-heading" not in html


class TestCaseList:
    def test_it_lists_only_visible_cases(self, personas, login, case):
        other = case_row(personas.orgs.other_unit)
        html = login(personas.pendamping).get(reverse("cases:list")).content.decode()
        assert case.pseudonym in html and other.pseudonym not in html

    def test_query_count_does_not_grow_with_cases(self, personas, login, django_assert_max_num_queries):
        client = login(personas.kepala)
        Case.objects.bulk_create([Case(unit=personas.orgs.unit, pseudonym=f"K-T{i:05d}") for i in range(5)])
        with django_assert_max_num_queries(20) as small:
            client.get(reverse("cases:list"))
        Case.objects.bulk_create([Case(unit=personas.orgs.unit, pseudonym=f"K-U{i:05d}") for i in range(40)])
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("cases:list"))


class TestBreakGlass:
    def post(self, client, case, reason="Korban dalam bahaya, kepala unit tidak dapat dihubungi."):
        return client.post(reverse("cases:break_glass"), {"reference": case.pseudonym, "reason": reason})

    def test_it_grants_logs_shows_and_notifies(self, personas, login, case, settings):
        head = personas.kepala
        client = login(personas.kepala_provinsi)
        response = self.post(client, case)
        assert response.status_code == 302 and response["Location"] == url(case)
        assert BreakGlassAccess.objects.filter(case=case, user=personas.kepala_provinsi).exists()
        assert AuditEvent.objects.filter(
            action="case.break_glass", outcome="ok", case_id=case.public_id
        ).exists()
        note = Notification.objects.get(recipient=head, kind="break_glass")
        assert case.pseudonym in note.message
        # Named as people are named to each other, not by the login name.
        assert personas.kepala_provinsi.name_and_position in note.message
        assert personas.kepala_provinsi.username not in note.message
        page = client.get(url(case))
        assert page.status_code == 200 and 'id="break-glass-banner"' in page.content.decode()
        # And the case's own kepala sees the banner too.
        assert (
            escape(personas.kepala_provinsi.name_and_position) in login(head).get(url(case)).content.decode()
        )

    def test_it_needs_a_real_reason(self, personas, login, case):
        response = self.post(login(personas.kepala_provinsi), case, reason="perlu")
        assert response.status_code == 200
        assert not BreakGlassAccess.objects.exists()
        assert "perlu" in response.content.decode()  # what was typed is kept

    def test_it_refuses_cases_outside_the_units_below(self, personas, login, case):
        response = self.post(login(personas.kepala_luar), case)
        assert response.status_code == 200 and not BreakGlassAccess.objects.exists()
        assert AuditEvent.objects.filter(action="case.break_glass", outcome="denied").exists()

    def test_access_expires(self, personas, login, case):
        BreakGlassAccess.objects.create(
            case=case,
            user=personas.kepala_provinsi,
            reason="x" * 20,
            expires_at=timezone.now() - dt.timedelta(minutes=1),
        )
        assert login(personas.kepala_provinsi).get(url(case)).status_code == 404


class TestBreakGlassIsReadOnly:
    REASON = "Korban dalam bahaya, kepala unit tidak dapat dihubungi."

    def test_a_higher_unit_head_reads_but_cannot_change_the_case(self, personas, login, case):
        from sinergi.cases.policies import can_edit_case, require_case_edit
        from sinergi.core.errors import AuditedDenial

        head = personas.kepala_provinsi
        client = login(head)
        client.post(reverse("cases:break_glass"), {"reference": case.pseudonym, "reason": self.REASON})
        assert client.get(url(case)).status_code == 200
        assert not can_edit_case(head, case)
        edit = reverse("cases:edit_incident", args=[case.public_id])
        assert client.get(edit).status_code == 403
        before = Case.objects.get(pk=case.pk).chronology
        response = client.post(edit, {"chronology": "Ditulis ulang oleh provinsi.", "version": case.version})
        assert response.status_code == 403
        assert Case.objects.get(pk=case.pk).chronology == before
        denied = AuditEvent.objects.filter(action="case.edit", outcome="denied", case_id=case.public_id)
        assert denied.count() == 2
        assert {e.details["reason"] for e in denied} == {"break_glass_read_only"}
        # A service called directly refuses too, with a denial the request layer records.
        with pytest.raises(AuditedDenial):
            require_case_edit(head, case)
        # The unit's own kepala still edits it.
        assert can_edit_case(personas.kepala, case)
