"""The intake queue and its decisions; one trio (works / hides from outsiders / refuses) per view."""

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CaseAssignment, Document
from sinergi.deadlines.models import Deadline
from sinergi.portal import services
from sinergi.portal.models import PortalSettings, Report, ReportEvidence, ReportMessage
from sinergi.testing.cases import case_row

from .helpers import PNG, make_report, png_upload


@pytest.fixture
def report(personas):
    r, _pin = make_report(personas.orgs.unit, anonymous=False)
    return r


@pytest.fixture
def other_report(personas):
    r, _pin = make_report(personas.orgs.other_unit)
    return r


def url(name, report=None, *extra):
    return reverse(f"portal:{name}", args=([report.public_id] if report else []) + list(extra))


# --- the queue --------------------------------------------------------------------------------------


def test_queue_works_danger_now_first(login, personas):
    unit = personas.orgs.unit
    calm, _ = make_report(unit)
    urgent, _ = make_report(unit, danger_now=True)
    response = login(personas.petugas).get(url("queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(urgent.display_code) < html.index(calm.display_code)
    assert 'class="danger-now"' in html


def test_queue_pages_keep_danger_now_first_at_a_constant_query_count(
    login, personas, django_assert_max_num_queries
):
    from sinergi.portal import views_queue

    unit = personas.orgs.unit
    calm = [make_report(unit)[0] for _ in range(3)]
    urgent, _ = make_report(unit, danger_now=True)
    client = login(personas.petugas)
    views_queue.QUEUE_PAGE_SIZE, size = 2, views_queue.QUEUE_PAGE_SIZE
    try:
        first = client.get(url("queue")).content.decode()
        with django_assert_max_num_queries(30) as counted:
            second = client.get(url("queue") + "?page=2").content.decode()
        for _ in range(4):
            make_report(unit)
        with django_assert_max_num_queries(len(counted)):
            client.get(url("queue") + "?page=2")
    finally:
        views_queue.QUEUE_PAGE_SIZE = size
    # (The danger-now banner above every page names the urgent report: compare the tables only.)
    first, second = (html[html.index('<table class="queue">') :] for html in (first, second))
    assert urgent.display_code in first and urgent.display_code not in second
    assert calm[0].display_code in first  # oldest next
    assert calm[2].display_code in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_queue_hides_other_units_reports(login, personas, other_report):
    html = login(personas.kepala).get(url("queue")).content.decode()
    assert other_report.display_code not in html


def test_queue_keeps_decided_reports_under_all(login, personas, report):
    services.report_reject(actor=personas.petugas, report=report, reason="Bukan wewenang unit kami.")
    client = login(personas.petugas)
    assert report.display_code not in client.get(url("queue")).content.decode()
    assert report.display_code in client.get(url("queue") + "?tampil=semua").content.decode()


def test_queue_cost_does_not_grow_with_reports(login, personas, django_assert_max_num_queries):
    for _ in range(5):
        make_report(personas.orgs.unit)
    client = login(personas.petugas)
    with django_assert_max_num_queries(25):
        assert client.get(url("queue")).status_code == 200


# --- one report -------------------------------------------------------------------------------------


def test_detail_works_and_is_audited(login, personas, report):
    response = login(personas.petugas).get(url("report_detail", report))
    assert response.status_code == 200
    html = response.content.decode()
    assert report.narrative in html and "0812-3456-7890" in html
    assert AuditEvent.objects.filter(
        action="portal_report.view", object_id=report.public_id, actor_username="petugas"
    ).exists()


def test_detail_hides_from_outsiders(login, personas, other_report):
    assert login(personas.kepala).get(url("report_detail", other_report)).status_code == 404
    assert AuditEvent.objects.filter(
        action="portal_report.view", outcome="denied", actor_username="kepala"
    ).exists()


def test_acknowledge_works(login, personas, report):
    response = login(personas.petugas).post(url("acknowledge", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "diverifikasi" and report.verified_by == personas.petugas
    assert AuditEvent.objects.filter(action="portal.report.acknowledge", object_id=report.public_id).exists()


def test_acknowledge_hides_from_outsiders(login, personas, other_report):
    assert login(personas.petugas).post(url("acknowledge", other_report)).status_code == 404
    other_report.refresh_from_db()
    assert other_report.status == "menunggu"


def test_convert_works_into_a_daring_case(login, personas, report):
    evidence = services.seal_evidence(png_upload())
    evidence.report = report
    evidence.save()
    client = login(personas.petugas)
    form = client.get(url("convert", report))
    assert form.status_code == 200
    response = client.post(
        url("convert", report), {"case_type": "ktp", "risk": "sedang", "summary": "Ringkasan"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    case = report.case
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])
    assert report.status == "diproses"
    assert (case.channel, case.case_type, case.risk, case.unit) == (
        "daring",
        "ktp",
        "sedang",
        personas.orgs.unit,
    )
    assert case.chronology == report.narrative and case.reported_at == report.submitted_at
    assert case.persons.get(role="pelapor").phone == "0812-3456-7890"
    assert case.persons.get(role="korban").violence_types == ["fisik"]
    # The age group told in the report is kept and decides child status until an age is recorded.
    told = case.persons.get(role="korban")
    assert (told.age_group_told, told.is_child) == (
        report.victim_age_group,
        report.victim_age_group == "6-12",
    )
    assert CaseAssignment.objects.filter(case=case, user=personas.petugas, active=True).exists()
    # The evidence became a case document; the report's clock is stopped, the case has its own.
    document = Document.objects.get(case=case)
    assert ReportEvidence.objects.get().document == document and document.size == len(PNG)
    # The clock running since the submission now belongs to the case (the one registration
    # started is superseded).
    clock = Deadline.objects.get(case=case, kind="first_response", status="open")
    assert clock.started_at == report.submitted_at and clock.subject_id == ""
    assert not Deadline.objects.filter(subject_id=report.public_id).exists()
    assert AuditEvent.objects.filter(action="portal.report.verify", case_id=case.public_id).exists()


def test_convert_prefills_from_the_report(login, personas):
    r, _ = make_report(personas.orgs.unit, danger_now=True, victim_age_group="6-12")
    html = login(personas.petugas).get(url("convert", r)).content.decode()
    assert '<option value="ampk" selected>' in html and '<option value="tinggi" selected>' in html


def test_convert_hides_from_outsiders(login, personas, other_report):
    assert login(personas.petugas).post(url("convert", other_report), {}).status_code == 404
    assert not Case.objects.exists()


def test_convert_refuses_without_permission(login, personas, report):
    assert login(personas.datin).post(url("convert", report), {}).status_code == 404
    assert not Case.objects.exists()


def test_convert_refuses_a_decided_report(login, personas, report):
    services.report_reject(actor=personas.petugas, report=report, reason="Sudah ditangani di tempat lain.")
    assert login(personas.petugas).post(url("convert", report), {}).status_code == 302
    assert not Case.objects.exists()


def test_a_sapa_report_becomes_a_sapa_case_with_its_ticket(login, personas):
    report = services.sapa_report_enter(
        actor=personas.petugas,
        sapa_ticket="SAPA-2026-000123",
        reporter_relation="other",
        narrative="Penelepon melaporkan anak ditelantarkan.",
        anonymous=True,
        contact_method="none",
    )
    case = services.report_verify(actor=personas.petugas, report=report)
    assert (case.channel, case.sapa_ticket) == ("sapa129", "SAPA-2026-000123")


def _case_of_unit(personas, **fields):
    case = case_row(personas.orgs.unit, registration_number="PPA-1376-2026-0099", **fields)
    CaseAssignment.objects.create(
        case=case, user=personas.petugas, team_role="lead", assigned_by=personas.kepala
    )
    return case


def test_merge_works(login, personas, report):
    case = _case_of_unit(personas)
    response = login(personas.petugas).post(url("merge", report), {"reference": case.pseudonym.lower()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.case == case and report.status == "diproses"
    assert AuditEvent.objects.filter(action="portal.report.merge", case_id=case.public_id).exists()
    assert Deadline.objects.get(subject_id=report.public_id).status in {"met", "met_late"}


def test_merge_into_a_case_one_cannot_see_is_refused(login, personas, report):
    case = case_row(personas.orgs.other_unit, registration_number="PPA-LAIN-9")
    response = login(personas.petugas).post(url("merge", report), {"reference": case.registration_number})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.case is None


def test_reject_works_and_needs_a_reason(login, personas, report):
    client = login(personas.kepala)
    assert client.post(url("reject", report), {"reason": "x"}).status_code == 400
    response = client.post(
        url("reject", report), {"reason": "Ini bukan wewenang kami; hubungi Dinas Sosial."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "ditolak" and "Dinas Sosial" in report.reject_reason
    assert AuditEvent.objects.filter(action="portal.report.reject", object_id=report.public_id).exists()


def test_message_works(login, personas, report):
    response = login(personas.petugas).post(
        url("message", report), {"body": "Kami akan menghubungi Anda besok."}
    )
    assert response.status_code == 302
    assert ReportMessage.objects.get().kind == "to_reporter"


def test_message_refuses_without_permission(login, personas, report):
    assert login(personas.mitra).post(url("message", report), {"body": "Halo"}).status_code == 404
    assert not ReportMessage.objects.exists()


@pytest.fixture
def evidence(report):
    item = services.seal_evidence(png_upload())
    item.report = report
    item.save()
    return item


def test_evidence_works_and_is_audited(login, personas, report, evidence):
    response = login(personas.petugas).get(url("evidence", report, evidence.public_id))
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="portal.evidence.download", object_id=report.public_id).exists()


def test_evidence_is_not_served_through_another_reports_url(login, personas, evidence, other_report):
    # Another unit's head gets a 404 on the report's own URL: the permission matrix.
    assert login(personas.petugas).get(url("evidence", other_report, evidence.public_id)).status_code == 404


def test_sapa_entry_works(login, personas):
    client = login(personas.petugas)
    assert client.get(url("sapa")).status_code == 200
    response = client.post(
        url("sapa"),
        {
            "sapa_ticket": "SAPA-77",
            "reporter_relation": "other",
            "narrative": "Penelepon melaporkan kekerasan.",
            "danger_now": "ya",
            "contact_method": "none",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.source, report.sapa_ticket, report.tracking_code, report.entered_by) == (
        "sapa129",
        "SAPA-77",
        None,
        personas.petugas,
    )
    assert Deadline.objects.filter(subject_id=report.public_id, kind="first_response").exists()


def test_sapa_entry_needs_the_ticket_and_keeps_the_input(login, personas):
    response = login(personas.petugas).post(
        url("sapa"), {"reporter_relation": "other", "narrative": "Isi laporan tetap ada."}
    )
    assert response.status_code == 400
    assert "Isi laporan tetap ada." in response.content.decode()
    assert not Report.objects.exists()


def test_sapa_entry_hides_nothing_from_outsiders(login, personas):
    # A list page: another unit's officer enters reports into their own unit only.
    login(personas.kepala_luar).post(
        url("sapa"), {"sapa_ticket": "S-1", "reporter_relation": "self", "narrative": "Laporan."}
    )
    assert Report.objects.get().unit == personas.orgs.other_unit


def test_settings_work(login, personas):
    client = login(personas.kepala)
    assert client.get(url("settings")).status_code == 200
    response = client.post(
        url("settings"),
        {
            "hotline": "0752-111",
            "whatsapp": "0812 222",
            "office_address": "Jl. Uji",
            "opening_hours": "",
            "alert_email": "",
        },
    )
    assert response.status_code == 302
    own = PortalSettings.objects.get(unit=personas.orgs.unit)
    assert (own.hotline, own.updated_by) == ("0752-111", personas.kepala)
    assert AuditEvent.objects.filter(action="portal.settings.update").exists()


def test_settings_refuse_bad_numbers(login, personas):
    response = login(personas.kepala).post(url("settings"), {"hotline": "<script>", "whatsapp": ""})
    assert response.status_code == 400
    assert not PortalSettings.objects.exists()


def test_settings_hide_other_units(login, personas):
    login(personas.kepala_luar).post(url("settings"), {"hotline": "0752-999"})
    assert not PortalSettings.objects.filter(unit=personas.orgs.unit).exists()
