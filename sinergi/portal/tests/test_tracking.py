"""Tracking a report with its code and PIN: the status page, adding information, throttling."""

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.portal import services
from sinergi.portal.models import ReportMessage

from .helpers import NARRATIVE, make_report

TRACK = reverse("portal:track")
STATUS = reverse("portal:status")


@pytest.fixture
def report(personas):
    return make_report(personas.orgs.unit, anonymous=False)


def open_status(client, report_and_pin, **extra):
    report, pin = report_and_pin
    return client.post(TRACK, {"code": report.display_code, "pin": pin}, **extra)


def test_it_works(client, report):
    assert client.get(TRACK).status_code == 200
    response = open_status(client, report)
    assert response.status_code == 302 and response["Location"] == STATUS
    page = client.get(STATUS)
    assert page.status_code == 200
    assert 'data-status="menunggu"' in page.content.decode()


def test_the_code_is_forgiving_about_case_spaces_and_dashes(client, report):
    r, pin = report
    messy = " " + r.tracking_code.lower()[:3] + " " + r.tracking_code.lower()[3:] + " "
    assert client.post(TRACK, {"code": messy, "pin": pin}).status_code == 302


def test_no_personal_data_on_the_status_page_or_in_urls(client, report):
    r, _pin = report
    response = open_status(client, report)
    assert r.tracking_code not in response["Location"] and r.display_code not in response["Location"]
    html = client.get(STATUS).content.decode()
    for secret in (NARRATIVE[:20], "0812-3456-7890", r.public_id):
        assert secret not in html


def test_the_status_page_needs_the_code_first(client, report):
    response = client.get(STATUS)
    assert response.status_code == 302 and response["Location"] == TRACK


def test_the_status_page_closes_after_inactivity(client, report):
    with time_machine.travel("2026-11-27 10:00 +0000", tick=False):
        open_status(client, report)
        assert client.get(STATUS).status_code == 200
    with time_machine.travel("2026-11-27 10:40 +0000", tick=False):
        assert client.get(STATUS).status_code == 302


def test_the_quick_exit_ends_the_status_page(client, report):
    open_status(client, report)
    exit_page = client.get(reverse("portal:exit"))
    assert exit_page.status_code == 200
    html = exit_page.content.decode()
    assert "Sinergi" not in html and "lapor" not in html.lower() and "kekerasan" not in html.lower()
    assert client.get(STATUS).status_code == 302


def test_stopping_ends_the_status_page(client, report):
    open_status(client, report)
    assert client.post(STATUS, {"action": "end"}).status_code == 302
    assert client.get(STATUS).status_code == 302


def test_the_reporter_sees_status_changes_and_officer_messages(client, report, personas):
    r, _pin = report
    services.report_message(actor=personas.petugas, report=r, body="Kami sudah membaca laporan Anda.")
    services.report_acknowledge(actor=personas.petugas, report=r)
    open_status(client, report)
    html = client.get(STATUS).content.decode()
    assert 'data-status="diverifikasi"' in html and "Kami sudah membaca laporan Anda." in html
    services.report_verify(actor=personas.petugas, report=r)
    assert 'data-status="diproses"' in client.get(STATUS).content.decode()


def test_a_declined_report_shows_the_reason(client, report, personas):
    r, _pin = report
    services.report_reject(
        actor=personas.petugas, report=r, reason="Ini di luar wilayah kami; hubungi SAPA 129."
    )
    open_status(client, report)
    html = client.get(STATUS).content.decode()
    assert 'data-status="ditolak"' in html and "di luar wilayah kami" in html


def test_a_finished_case_shows_selesai(client, report, personas):
    r, _pin = report
    case = services.report_verify(actor=personas.petugas, report=r)
    type(case).objects.filter(pk=case.pk).update(status="ditutup")
    open_status(client, report)
    assert 'data-status="selesai"' in client.get(STATUS).content.decode()


def test_the_reporter_can_add_information(client, report, personas):
    r, _pin = report
    open_status(client, report)
    response = client.post(STATUS, {"text": "Dia juga mengancam anak saya kemarin."})
    assert response.status_code == 302
    message = ReportMessage.objects.get(report=r)
    assert message.kind == "from_reporter" and message.body == "Dia juga mengancam anak saya kemarin."
    # Not shown back on the status page, only counted.
    assert "mengancam" not in client.get(STATUS).content.decode()
    assert Notification.objects.filter(kind="portal.information_added", recipient=personas.petugas).exists()
    assert AuditEvent.objects.filter(action="portal.report.add_information", object_id=r.public_id).exists()


def test_empty_and_huge_additions_are_refused(client, report):
    open_status(client, report)
    assert client.post(STATUS, {"text": "  "}).status_code == 400
    huge = "x" * (1024 * 1024)
    response = client.post(STATUS, {"text": huge})
    assert response.status_code == 400 and huge in response.content.decode()
    assert not ReportMessage.objects.exists()


# --- wrong PINs and guessed codes -----------------------------------------------------------------


def test_a_wrong_pin_is_refused_calmly(client, report):
    r, _pin = report
    response = client.post(TRACK, {"code": r.display_code, "pin": "000000"})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert client.get(STATUS).status_code == 302
    assert AuditEvent.objects.filter(
        action="portal.report.track", outcome="failed", object_id=r.public_id
    ).exists()


def test_a_guessed_code_gets_the_same_answer_as_a_wrong_pin(client, report):
    r, _pin = report
    wrong_pin = client.post(TRACK, {"code": r.display_code, "pin": "000000"})
    guessed = client.post(TRACK, {"code": "222-333-444", "pin": "000000"}, REMOTE_ADDR="10.1.1.1")
    assert guessed.status_code == wrong_pin.status_code == 400
    error = 'class="form-errors"'
    assert error in guessed.content.decode() and error in wrong_pin.content.decode()
    # A guessed code is not written to the audit trail (it names nothing).
    assert (
        AuditEvent.objects.filter(action="portal.report.track", outcome="failed", object_id="").count() == 1
    )


def test_wrong_pins_lock_the_code_after_a_few_tries(client, report, settings):
    settings.SINERGI_PORTAL_LIMITS = {"track_code": (3, 3600), "track_ip": (100, 900)}
    r, pin = report
    for n in range(3):
        # From different addresses: the lock is on the code, not only on the address.
        client.post(TRACK, {"code": r.display_code, "pin": f"99999{n}"}, REMOTE_ADDR=f"10.2.0.{n}")
    response = client.post(TRACK, {"code": r.display_code, "pin": pin}, REMOTE_ADDR="10.2.0.99")
    assert response.status_code == 429  # even the right PIN waits until the window ends
    assert client.get(STATUS).status_code == 302
    assert AuditEvent.objects.filter(action="portal.report.track", details__reason="locked_code").exists()


def test_a_locked_unknown_code_looks_like_a_locked_real_one(client, report, settings):
    settings.SINERGI_PORTAL_LIMITS = {"track_code": (2, 3600), "track_ip": (100, 900)}
    for _ in range(2):
        client.post(TRACK, {"code": "222-333-444", "pin": "123456"})
    assert client.post(TRACK, {"code": "222-333-444", "pin": "123456"}).status_code == 429


def test_one_address_guessing_many_codes_is_throttled(client, report, settings):
    settings.SINERGI_PORTAL_LIMITS = {"track_ip": (4, 900)}
    r, pin = report
    for n in range(4):
        client.post(TRACK, {"code": f"22{n}-333-444", "pin": "123456"}, REMOTE_ADDR="10.3.0.1")
    refused = client.post(TRACK, {"code": r.display_code, "pin": pin}, REMOTE_ADDR="10.3.0.1")
    assert refused.status_code == 429
    # Someone else, with the right pair, is not affected.
    assert client.post(TRACK, {"code": r.display_code, "pin": pin}, REMOTE_ADDR="10.3.0.2").status_code == 302


def test_the_throttle_ends_with_its_window(client, report, settings):
    settings.SINERGI_PORTAL_LIMITS = {"track_code": (1, 3600)}
    r, pin = report
    with time_machine.travel("2026-11-27 10:00 +0000", tick=False):
        client.post(TRACK, {"code": r.display_code, "pin": "000000"})
        assert client.post(TRACK, {"code": r.display_code, "pin": pin}).status_code == 429
    with time_machine.travel("2026-11-27 11:01 +0000", tick=False):
        assert client.post(TRACK, {"code": r.display_code, "pin": pin}).status_code == 302


def test_garbage_input_is_refused_without_a_crash(client, report):
    for code, pin in (("", ""), ("<script>", "x" * 500), ("7KQ-M4X-P2D" * 50, "1")):
        response = client.post(TRACK, {"code": code, "pin": pin})
        assert response.status_code == 400
        assert "<script>" not in response.content.decode().split("<main", 1)[1]


# --- codes ------------------------------------------------------------------------------------------


@given(st.text(max_size=40))
def test_any_typed_code_is_normalised_or_refused_without_a_crash(text):
    code = services.normalise_code(text)
    assert code == "" or (len(code) == services.CODE_LENGTH and set(code) <= set(services.CODE_ALPHABET))


@given(st.text(alphabet=services.CODE_ALPHABET, min_size=9, max_size=9), st.sampled_from(["", " ", "-", "."]))
def test_a_code_survives_the_ways_people_write_it(code, separator):
    written = separator.join(services.format_code(code).split("-")).lower()
    assert services.normalise_code(written) == code


def test_new_codes_and_pins_have_the_right_shape():
    codes = {services.new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 9 and set(c) <= set(services.CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(services.CODE_ALPHABET)
    assert all(p.isdigit() and len(p) == 6 for p in (services.new_pin() for _ in range(50)))


def test_a_taken_tracking_code_is_drawn_again(personas, monkeypatch):
    from sinergi.portal.services import public

    first, _pin = make_report(personas.orgs.unit)
    queue = [first.tracking_code, first.tracking_code]
    real = public.new_tracking_code
    monkeypatch.setattr(public, "new_tracking_code", lambda: queue.pop(0) if queue else real())
    second, pin = make_report(personas.orgs.unit)
    assert second.pk and second.tracking_code != first.tracking_code and pin
