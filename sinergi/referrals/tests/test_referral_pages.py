"""The referral pages: the case team's side (kasus/<id>/rujukan/...) and the partner's (rujukan/...)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.referrals import services
from sinergi.referrals.models import Referral
from sinergi.testing.cases import case_row

from .conftest import CHRONOLOGY, VICTIM_NAME, give_consent, make_sent, said

pytestmark = pytest.mark.django_db


# --- the case's referral list -----------------------------------------------------------------------


def test_case_list_works(world, login, sent):
    html = (
        login(world.p.pendamping)
        .get(reverse("referrals:case_list", args=[world.case.public_id]))
        .content.decode()
    )
    assert world.partner.name in html


def test_case_list_hides_from_outsiders(world, login):
    url = reverse("referrals:case_list", args=[world.case.public_id])
    for user in (world.p.pendamping_lain, world.p.orang_luar, world.p.kepala_luar):
        assert login(user).get(url).status_code == 404
    event = AuditEvent.objects.filter(action="case.view", outcome="denied", actor_username="orang_luar").get()
    assert event.case_id == world.case.public_id


# --- creating, consenting and sending through the pages -------------------------------------------


def test_create_consent_send_through_the_pages(world, login):
    client = login(world.p.pendamping)
    response = client.post(
        reverse("referrals:case_create", args=[world.case.public_id]),
        {
            "victim": world.victim.public_id,
            "services": ["penegakan_hukum"],
            "to_agency": world.partner.public_id,
            "shared_sections": ["identitas"],
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    send_url = reverse("referrals:case_send", args=[world.case.public_id, referral.public_id])
    refused = client.post(send_url)
    assert refused.status_code == 200 and 'id="action-error"' in refused.content.decode()
    assert Referral.objects.get().status == "draft"
    consent_url = reverse("referrals:case_consent", args=[world.case.public_id, referral.public_id])
    assert (
        client.post(
            consent_url, {"consent-lawful_basis": "consent", "consent-given_by": "korban"}
        ).status_code
        == 302
    )
    assert client.post(send_url).status_code == 302
    assert Referral.objects.get().status == "terkirim"


def test_create_keeps_what_was_typed_on_error(world, login):
    response = login(world.p.pendamping).post(
        reverse("referrals:case_create", args=[world.case.public_id]),
        {
            "victim": world.victim.public_id,
            "services": [],
            "to_agency": world.partner.public_id,
            "note": "Pesan saya",
        },
    )
    assert response.status_code == 200
    assert "Pesan saya" in response.content.decode()
    assert not Referral.objects.exists()


def test_case_detail_shows_the_trail(world, login, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    html = (
        login(world.p.kepala)
        .get(reverse("referrals:case_detail", args=[world.case.public_id, sent.public_id]))
        .content.decode()
    )
    assert "referral.send" in html and "referral.accept" in html


def test_case_detail_of_another_case_is_404(world, login, sent):
    from sinergi.cases.models import CaseAssignment

    other = case_row(world.case.unit)
    CaseAssignment.objects.create(case=other, user=world.p.pendamping, team_role="lead")
    url = reverse("referrals:case_detail", args=[other.public_id, sent.public_id])
    assert login(world.p.pendamping).get(url).status_code == 404


def test_revoke_through_the_page(world, login, sent):
    url = reverse("referrals:case_revoke", args=[world.case.public_id, sent.public_id])
    client = login(world.p.pendamping)
    assert (
        client.post(url, {"revoke-reason": "", "confirm": "ya"}).status_code == 200
    )  # a reason is needed once sent
    # One click is not enough: the agency would lose access on a stray tap.
    page = client.post(url, {"revoke-reason": "Korban menarik persetujuan."})
    assert page.status_code == 200 and "Ya, cabut rujukan" in page.content.decode()
    assert Referral.objects.get().status != "dibatalkan"
    assert (
        client.post(url, {"revoke-reason": "Korban menarik persetujuan.", "confirm": "ya"}).status_code == 302
    )
    assert Referral.objects.get().status == "dibatalkan"


# --- the partner's view ---------------------------------------------------------------------------


def _detail(referral):
    return reverse("referrals:detail", args=[referral.public_id])


def test_partner_sees_identity_but_not_chronology(world, login, sent):
    html = login(world.p.mitra).get(_detail(sent)).content.decode()
    assert VICTIM_NAME in html
    assert CHRONOLOGY not in html and "0812" not in html  # chronology and contact not shared
    event = AuditEvent.objects.get(action="referral.view", actor_username="mitra")
    assert event.case_id == world.case.public_id and event.details["shared"] == ["identitas"]


def test_partner_sees_the_chronology_only_when_shared(world, login):
    referral = make_sent(world, shared_sections=["kronologi"])
    html = login(world.p.mitra).get(_detail(referral)).content.decode()
    assert CHRONOLOGY in html and VICTIM_NAME not in html


def test_partner_accepts_records_and_completes_through_the_pages(world, login, sent):
    client = login(world.p.mitra)
    assert client.post(reverse("referrals:accept", args=[sent.public_id])).status_code == 302
    again = client.post(reverse("referrals:accept", args=[sent.public_id]))
    assert again.status_code == 200 and said("This referral was already accepted.") in again.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("referrals:service", args=[sent.public_id]),
        {"service-service": "penegakan_hukum", "service-delivered_on": today, "service-note": "BAP dibuat"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("referrals:complete", args=[sent.public_id]), {"complete-outcome": "terlayani"}
    )
    assert response.status_code == 302
    assert Referral.objects.get().status == "selesai"


def test_completing_before_accepting_through_the_page(world, login, sent):
    response = login(world.p.mitra).post(
        reverse("referrals:complete", args=[sent.public_id]), {"complete-outcome": "terlayani"}
    )
    assert response.status_code == 200 and said("Accept the referral first.") in response.content.decode()
    assert Referral.objects.get().status == "terkirim"


def test_another_agency_accepting_gets_404(world, login, sent):
    assert (
        login(world.p.mitra_lain).post(reverse("referrals:accept", args=[sent.public_id])).status_code == 404
    )
    assert Referral.objects.get().status == "terkirim"
    assert AuditEvent.objects.filter(
        action="referral.view", outcome="denied", actor_username="mitra_lain"
    ).exists()


@pytest.mark.parametrize(("grace", "days_ago", "visible"), [(7, 3, True), (7, 8, False), (0, 0, False)])
def test_after_completion_access_lasts_the_grace_period(world, login, sent, grace, days_ago, visible):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    services.referral_complete(actor=world.p.mitra, referral=sent, outcome="terlayani")
    world.case.unit.referral_grace_days = grace
    world.case.unit.save()
    Referral.objects.filter(pk=sent.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=days_ago, seconds=1)
    )
    assert (login(world.p.mitra).get(_detail(sent)).status_code == 200) is visible


def test_inbox_sections(world, login, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    overdue = make_sent(world)
    from sinergi.deadlines.models import Deadline

    Deadline.objects.filter(subject_id=overdue.public_id).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    html = login(world.p.mitra).get(reverse("referrals:inbox")).content.decode()
    in_service = html.split('id="inbox-section-in_service"')[1].split("</section>")[0]
    overdue_part = html.split('id="inbox-section-overdue"')[1].split("</section>")[0]
    assert sent.public_id in in_service and overdue.public_id in overdue_part


def test_inbox_query_budget(world, login, django_assert_max_num_queries):
    for _ in range(5):
        make_sent(world)
    client = login(world.p.mitra)
    with django_assert_max_num_queries(23):
        client.get(reverse("referrals:inbox"))


def test_partner_document_download_is_audited_and_limited(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sinergi.cases.documents import document_upload

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    doc = document_upload(
        actor=world.p.pendamping,
        case=world.case,
        uploaded_file=SimpleUploadedFile("visum.pdf", pdf, content_type="application/pdf"),
        doc_type="visum",
    )
    other = document_upload(
        actor=world.p.pendamping,
        case=world.case,
        uploaded_file=SimpleUploadedFile("catatan.pdf", pdf, content_type="application/pdf"),
        doc_type="lainnya",
    )
    services.document_share_mark(actor=world.p.pendamping, document=doc, shareable=True)
    referral = make_sent(world, documents=[doc])
    client = login(world.p.mitra)
    response = client.get(reverse("referrals:document", args=[referral.public_id, doc.public_id]))
    assert response.status_code == 200 and response.content == pdf
    assert AuditEvent.objects.filter(
        action="document.download", object_id=doc.public_id, actor_username="mitra"
    ).exists()
    assert (
        client.get(reverse("referrals:document", args=[referral.public_id, other.public_id])).status_code
        == 404
    )


def test_a_childs_consent_must_come_from_a_guardian(world, login, draft):
    from sinergi.cases.models import CasePerson

    CasePerson.objects.filter(pk=world.victim.pk).update(age_years=12, age_at_incident=12, is_child=True)
    client = login(world.p.pendamping)
    url = reverse("referrals:case_consent", args=[world.case.public_id, draft.public_id])
    response = client.post(url, {"consent-lawful_basis": "consent", "consent-given_by": "korban"})
    assert response.status_code == 200 and 'id="consent-recorded"' not in response.content.decode()
    refused = client.post(reverse("referrals:case_send", args=[world.case.public_id, draft.public_id]))
    assert refused.status_code == 200
    assert Referral.objects.get(pk=draft.pk).status == "draft"


def test_an_unmarked_document_is_refused_by_the_form(world, login):
    from sinergi.cases.models import Document

    doc = Document.objects.create(
        case=world.case,
        doc_type="foto",
        original_name="foto.jpg",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
        storage_name="x-foto",
        key_version=1,
        uploaded_by=world.p.pendamping,
    )
    response = login(world.p.pendamping).post(
        reverse("referrals:case_create", args=[world.case.public_id]),
        {
            "victim": world.victim.public_id,
            "services": ["penegakan_hukum"],
            "to_agency": world.partner.public_id,
            "documents": [doc.public_id],
        },
    )
    assert response.status_code == 200
    assert "shareable" in response.content.decode() or "dibagikan" in response.content.decode()
    assert not Referral.objects.exists()


def test_editing_the_draft_says_when_consent_must_be_asked_again(world, login, draft):
    give_consent(world, draft)
    client = login(world.p.pendamping)
    url = reverse("referrals:case_edit", args=[world.case.public_id, draft.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "victim": world.victim.public_id,
            "services": ["penegakan_hukum"],
            "to_agency": world.partner.public_id,
            "shared_sections": ["identitas", "kontak"],
        },
        follow=True,
    )
    assert response.status_code == 200
    warning = said("What is shared changed, so the consent recorded for it no longer applies: ask again.")
    assert warning in [str(m) for m in response.context["messages"]]
    assert Referral.objects.get(pk=draft.pk).shared_sections == ["identitas", "kontak"]


def test_outgoing_lists_what_the_sender_follows(world, login, sent):
    from sinergi.deadlines.models import Deadline

    Deadline.objects.filter(subject_id=sent.public_id).update(due_at=timezone.now() - dt.timedelta(hours=1))
    html = login(world.p.pendamping).get(reverse("referrals:outgoing")).content.decode()
    overdue = html.split('id="outgoing-section-overdue"')[1].split("</section>")[0]
    assert world.case.pseudonym in overdue and 'data-overdue="1"' in overdue
    assert html.index('id="outgoing-section-overdue"') < html.index('id="outgoing-section-waiting"')
    assert world.case.pseudonym in login(world.p.kepala).get(reverse("referrals:outgoing")).content.decode()


def test_outgoing_hides_from_outsiders(world, login, sent):
    for user in (world.p.pendamping_lain, world.p.orang_luar, world.p.kepala_luar):
        assert world.case.pseudonym not in login(user).get(reverse("referrals:outgoing")).content.decode()
