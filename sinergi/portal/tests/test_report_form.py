"""The public report form: submitting, anonymity, evidence, and every kind of bad input."""

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.deadlines.models import Deadline
from sinergi.notifications.models import Notification
from sinergi.portal.models import Report, ReportEvidence
from sinergi.portal.services import CODE_ALPHABET

from .helpers import NARRATIVE, PNG, code_and_pin, png_upload, post_report, report_data

URL = reverse("portal:report")


@pytest.fixture
def unit(personas):
    return personas.orgs.unit


def test_it_works(client, unit):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="narrative"' in html and 'name="idempotency_key"' in html
    assert "data-quick-exit" in html


def test_an_anonymous_report_gets_a_code_and_a_pin(client, unit):
    response = post_report(client)
    assert response.status_code == 200
    code, pin = code_and_pin(response)
    report = Report.objects.get()
    assert report.unit == unit and report.status == "menunggu" and report.anonymous
    assert report.tracking_code == code.replace("-", "")
    assert all(ch in CODE_ALPHABET for ch in report.tracking_code)
    assert pin not in report.pin_hash  # only a hash is kept
    assert report.contact_detail == "" and report.contact_method == "none"
    event = AuditEvent.objects.get(action="portal.report.submit", outcome="ok")
    assert event.object_id == report.public_id and event.details["anonymous"] is True
    # The first-response clock starts at submission.
    clock = Deadline.objects.get(subject_type="portal.report", subject_id=report.public_id)
    assert clock.kind == "first_response" and clock.started_at == report.submitted_at


def test_the_narrative_and_contact_are_encrypted_at_rest(client, unit):
    post_report(client, contact_method="whatsapp", contact_detail="0812-9999-1111", danger_now="ya")
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative, contact_detail FROM portal_report")
        narrative, contact = cursor.fetchone()
    assert "Tetangga" not in narrative and "0812" not in contact
    report = Report.objects.get()
    assert report.narrative == NARRATIVE and report.contact_detail == "0812-9999-1111"
    assert not report.anonymous


def test_a_contact_method_needs_a_detail(client, unit):
    response = post_report(client, contact_method="telepon", contact_detail="")
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert not Report.objects.exists()


def test_danger_now_alerts_the_on_duty_staff_without_names(
    client, personas, django_capture_on_commit_callbacks, settings
):
    settings.CSRF_TRUSTED_ORIGINS = ["https://sinergi.example.go.id"]
    personas.petugas.email = "petugas@example.test"
    personas.petugas.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_report(client, danger_now="ya", narrative="Ibu Siti Aminah dipukul suaminya sekarang juga.")
    report = Report.objects.get()
    alerted = set(
        Notification.objects.filter(kind="portal.danger_now").values_list("recipient__username", flat=True)
    )
    assert alerted == {"kepala", "petugas"}
    note = Notification.objects.filter(kind="portal.danger_now").first()
    assert "Siti" not in note.message and report.public_id in note.link
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["petugas@example.test"]
    assert "Siti" not in mail.outbox[0].subject + mail.outbox[0].body
    assert f"https://sinergi.example.go.id/pengaduan/{report.public_id}/" in mail.outbox[0].body


def test_no_alert_without_danger(client, unit):
    post_report(client)
    assert not Notification.objects.filter(kind="portal.danger_now").exists()


# --- duplicate submissions, honeypot, rate limits ------------------------------------------------


def test_a_double_submit_makes_one_report(client, unit):
    data = report_data(idempotency_key="kunci-idempoten-yang-sama-123")
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first.status_code == 200 and second.status_code == 200
    assert Report.objects.count() == 1
    # The same receipt again: the first answer may never have reached her.
    assert code_and_pin(second) == code_and_pin(first)


def test_the_honeypot_stores_nothing(client, unit):
    response = post_report(client, website="http://spam.example")
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert AuditEvent.objects.filter(action="portal.report.submit", details__reason="honeypot").exists()
    # What was typed is still there.
    assert NARRATIVE in response.content.decode()


def test_one_address_is_rate_limited(client, unit, settings):
    settings.SINERGI_PORTAL_LIMITS = {"report_ip": (2, 3600)}
    assert post_report(client).status_code == 200
    assert post_report(client).status_code == 200
    response = post_report(client, narrative="Laporan ketiga dari alamat yang sama.")
    assert response.status_code == 429
    assert Report.objects.count() == 2
    assert "Laporan ketiga dari alamat yang sama." in response.content.decode()  # nothing typed is lost
    # Another address may still report.
    assert post_report(client, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert Report.objects.count() == 3


def test_the_global_rate_limit_holds_for_every_address(client, unit, settings):
    settings.SINERGI_PORTAL_LIMITS = {"report_global": (1, 3600)}
    assert post_report(client, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert post_report(client, REMOTE_ADDR="10.0.0.2").status_code == 429
    assert Report.objects.count() == 1


def test_csrf_is_required(unit):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, report_data())
    assert response.status_code == 403
    assert not Report.objects.exists()


# --- bad input -------------------------------------------------------------------------------------


def test_empty_fields_get_a_calm_message(client, unit):
    response = client.post(URL, {"narrative": "", "reporter_relation": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'role="alert"' in html
    assert not Report.objects.exists()


def test_a_one_megabyte_text_is_refused_and_kept(client, unit):
    huge = "a" * (1024 * 1024)
    response = post_report(client, narrative=huge, contact_safe_time="b" * 5000)
    assert response.status_code == 400
    assert huge in response.content.decode()
    assert not Report.objects.exists()


def test_scripts_are_stored_as_text_and_never_run(client, unit, login, personas):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post_report(client, narrative=script)
    report = Report.objects.get()
    assert report.narrative == script
    html = (
        login(personas.petugas).get(reverse("portal:report_detail", args=[report.public_id])).content.decode()
    )
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_unknown_choices_are_refused(client, unit):
    response = post_report(client, harm_types=["bom"], place="99.99", victim_age_group="200")
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_future_date_is_refused(client, unit):
    response = post_report(client, incident_date="2099-01-01")
    assert response.status_code == 400


def test_a_place_in_the_city_is_kept(client, unit):
    from sinergi.regions.models import Region

    kelurahan = Region.objects.filter(code__startswith="13.76.", level=4).first()
    post_report(client, place=kelurahan.code)
    assert Report.objects.get().place_region == kelurahan
    post_report(client, place="luar")
    assert Report.objects.filter(outside_city=True, place_region=None).count() == 1


# --- evidence ----------------------------------------------------------------------------------------


def test_evidence_is_checked_and_stored_sealed(client, unit):
    response = client.post(URL, {**report_data(), "evidence": png_upload()})
    assert response.status_code == 200
    evidence = ReportEvidence.objects.get()
    assert evidence.content_type == "image/png" and evidence.size == len(PNG)
    from django.core.files.storage import default_storage

    with default_storage.open(evidence.storage_name, "rb") as stored:
        assert PNG not in stored.read()


def test_a_disguised_upload_is_refused_and_the_rest_kept(client, unit, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fake = png_upload("surat.pdf", b"MZ\x90\x00 this is a program")
    response = client.post(URL, {**report_data(), "evidence": fake})
    assert response.status_code == 400
    html = response.content.decode()
    assert NARRATIVE in html
    assert "attach it again" in html  # the file must be chosen again, and the page says so
    assert not Report.objects.exists() and not ReportEvidence.objects.exists()


def test_a_renamed_image_is_refused(client, unit):
    response = client.post(URL, {**report_data(), "evidence": png_upload("bukti.pdf")})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_too_large_upload_is_refused_while_it_arrives(client, unit, settings):
    settings.SINERGI_UPLOAD_MAX_MB = 1
    big = png_upload(data=PNG + b"\x00" * (1024 * 1024 + 10))
    response = client.post(URL, {**report_data(), "evidence": big})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_without_a_receiving_unit_the_form_sends_people_to_the_phone(client, db, settings):
    response = client.get(URL)
    assert response.status_code == 200
    assert "notice warn" in response.content.decode()
    assert post_report(client).status_code == 503
    assert not Report.objects.exists()


def test_the_audit_trail_keeps_no_address_of_a_reporter(client, unit):
    post_report(client, REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="Ponsel Murah 1.0")
    event = AuditEvent.objects.get(action="portal.report.submit")
    assert event.ip is None and event.user_agent == ""
    assert event.request_id  # still traceable to the request's log lines


def test_a_storage_failure_stores_nothing_and_keeps_the_text(client, unit, monkeypatch):
    from django.core.files.storage import default_storage

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(default_storage, "save", broken)
    response = client.post(URL, {**report_data(), "evidence": png_upload()})
    assert response.status_code == 503
    assert NARRATIVE in response.content.decode()
    assert not Report.objects.exists()


def test_a_failure_after_the_file_is_written_removes_the_file(client, unit, monkeypatch):
    from django.core.files.storage import default_storage

    # report_submit looks the clock up in its own module (sinergi.portal.services.public).
    from sinergi.portal.services import public

    saved = []
    real_save = default_storage.save
    monkeypatch.setattr(
        default_storage, "save", lambda *a, **k: saved.append(real_save(*a, **k)) or saved[-1]
    )

    def clock_fails(report):
        raise RuntimeError("deadline service down")

    monkeypatch.setattr(public, "_start_clock", clock_fails)
    with pytest.raises(RuntimeError):
        client.post(URL, {**report_data(), "evidence": png_upload()})
    assert saved and not default_storage.exists(saved[0])
    assert not Report.objects.exists() and not ReportEvidence.objects.exists()
