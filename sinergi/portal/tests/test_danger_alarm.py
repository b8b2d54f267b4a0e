"""The "danger now" alarm: a red banner on every page of the people who can open the intake queue
until one of them takes the report; the queue and the notification use the banner's words."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.portal import services
from sinergi.portal.alarm import minutes_left, untaken_alarms
from sinergi.portal.models import Report

from .helpers import make_report

BANNER = 'class="danger-alarms"'


@pytest.fixture
def urgent(personas):
    report, _pin = make_report(personas.orgs.unit, danger_now=True, anonymous=False)
    return report


def take(client, report, then="call"):
    return client.post(reverse("portal:take", args=[report.public_id]), {"then": then})


@pytest.mark.parametrize("persona", ["petugas", "kepala"])
def test_the_banner_is_on_every_page_of_the_queue_staff(personas, login, urgent, persona):
    client = login(getattr(personas, persona))
    for page in (reverse("home"), reverse("cases:list"), reverse("notifications:list")):
        html = client.get(page).content.decode()
        assert BANNER in html, page
        assert f"Bahaya sekarang: laporan {urgent.display_code}" in html
        assert "menit lagi" in html
        assert reverse("portal:take", args=[urgent.public_id]) in html


@pytest.mark.parametrize("persona", ["pendamping", "datin", "pimpinan", "kepala_luar", "mitra"])
def test_nobody_else_sees_the_banner(personas, login, urgent, persona):
    html = login(getattr(personas, persona)).get(reverse("notifications:list")).content.decode()
    assert BANNER not in html and urgent.display_code not in html


def test_only_the_queue_staff_are_notified_in_the_same_words(personas, urgent):
    notified = set(
        Notification.objects.filter(kind="portal.danger_now").values_list("recipient__username", flat=True)
    )
    assert notified == {personas.petugas.username, personas.kepala.username}
    message = Notification.objects.filter(kind="portal.danger_now").first().message
    assert message.startswith(f"Bahaya sekarang: laporan {urgent.display_code}")
    assert "menit lagi" in message


def test_taking_it_ends_the_alarm_for_everyone_and_is_audited(personas, login, urgent):
    officer = login(personas.petugas)
    response = take(officer, urgent)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:report_detail", args=[urgent.public_id]) + "#kontak"
    urgent.refresh_from_db()
    assert urgent.taken_by == personas.petugas and urgent.taken_at is not None
    event = AuditEvent.objects.get(action="portal.report.take", object_id=urgent.public_id)
    assert event.actor_id == personas.petugas.pk and event.outcome == "ok"
    assert BANNER not in officer.get(reverse("home")).content.decode()
    kepala_html = login(personas.kepala).get(reverse("portal:queue")).content.decode()
    assert BANNER not in kepala_html
    # The queue says who took it.
    assert escape(personas.petugas.name_and_position) in kepala_html


def test_the_call_action_lands_on_a_number_to_dial(personas, login, urgent):
    officer = login(personas.petugas)
    html = officer.get(take(officer, urgent)["Location"]).content.decode()
    assert 'id="kontak"' in html and 'href="tel:081234567890"' in html


def test_the_register_action_opens_the_case_form(personas, login, urgent):
    response = take(login(personas.petugas), urgent, then="register")
    assert response["Location"] == reverse("portal:convert", args=[urgent.public_id])


def test_the_outreach_action_shows_the_place(personas, login, urgent):
    response = take(login(personas.petugas), urgent, then="outreach")
    assert response["Location"].endswith("#tempat")


def test_someone_else_took_it_first(personas, login, urgent):
    take(login(personas.petugas), urgent)
    client = login(personas.kepala)
    response = take(client, urgent)
    assert response["Location"] == reverse("portal:report_detail", args=[urgent.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "sudah mengambil laporan ini" in page and escape(personas.petugas.get_full_name()) in page
    assert Report.objects.get(pk=urgent.pk).taken_by == personas.petugas
    assert AuditEvent.objects.filter(action="portal.report.take").count() == 1


def test_a_calm_report_is_not_taken(personas, login):
    calm, _ = make_report(personas.orgs.unit)
    with pytest.raises(ValidationError, match="bahaya sekarang"):
        services.report_take(actor=personas.petugas, report=calm)


def test_another_units_report_is_a_404(personas, login):
    theirs, _ = make_report(personas.orgs.other_unit, danger_now=True)
    assert take(login(personas.petugas), theirs).status_code == 404
    assert Report.objects.get(pk=theirs.pk).taken_at is None


def test_a_decided_report_rings_no_more(personas, urgent):
    services.report_reject(
        actor=personas.petugas, report=urgent, reason="Bukan wewenang unit kami, hubungi SAPA."
    )
    assert untaken_alarms(personas.kepala) == []


def test_the_banner_costs_the_same_whatever_the_number_of_reports(
    personas, login, django_assert_max_num_queries
):
    client = login(personas.petugas)
    make_report(personas.orgs.unit, danger_now=True)
    with django_assert_max_num_queries(200) as one:
        client.get(reverse("notifications:list"))
    for _ in range(5):
        make_report(personas.orgs.unit, danger_now=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("notifications:list")).content.decode()
    assert html.count('class="danger-alarm"') == 3  # the rest wait in the queue


def test_minutes_left_reads_well(settings):
    from django.utils import timezone

    now = timezone.now()
    assert minutes_left(now + timedelta(minutes=23, seconds=10), now) == "24 menit lagi"
    assert minutes_left(now + timedelta(seconds=30), now) == "1 menit lagi"
    assert minutes_left(now - timedelta(minutes=5), now) == "terlambat 5 menit"
    assert minutes_left(None, now) == ""
