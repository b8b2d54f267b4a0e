"""The referral state machine: every move allowed from the right state, refused from the others,
audited on the case timeline, notified without names; consent and shareable documents enforced."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.audit.selectors import case_timeline
from sinergi.cases.models import Consent, Document
from sinergi.deadlines.models import Deadline
from sinergi.notifications.models import Notification
from sinergi.referrals import services
from sinergi.referrals.models import Referral, ShareableDocument
from sinergi.testing.cases import case_row

from .conftest import VICTIM_NAME, give_consent, make_draft, make_sent, said

pytestmark = pytest.mark.django_db


def _status(referral):
    return Referral.objects.get(pk=referral.pk).status


def _doc(case, user, name="visum.pdf"):
    return Document.objects.create(
        case=case,
        doc_type="visum",
        original_name=name,
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        storage_name=f"x-{name}-{Document.objects.count()}",
        key_version=1,
        uploaded_by=user,
    )


# --- consent ------------------------------------------------------------------------------------


def test_sending_without_consent_is_refused_and_nothing_changes(world, draft):
    with pytest.raises(ValidationError) as exc:
        services.referral_send(actor=world.p.pendamping, referral=draft)
    assert "consent" in exc.value.message_dict
    assert _status(draft) == "draft"
    assert not Deadline.objects.filter(kind="referral_response").exists()
    assert not Notification.objects.filter(kind="referral_sent").exists()
    assert not AuditEvent.objects.filter(action="referral.send").exists()


def test_consent_for_another_purpose_does_not_count(world, draft):
    from sinergi.cases.record import consent_record

    consent_record(actor=world.p.pendamping, case=world.case, victim=world.victim, purpose="layanan")
    with pytest.raises(ValidationError):
        services.referral_send(actor=world.p.pendamping, referral=draft)


def test_a_recorded_lawful_basis_replaces_consent(world, draft):
    from sinergi.cases.record import consent_record

    consent_record(
        actor=world.p.pendamping,
        case=world.case,
        victim=world.victim,
        purpose="rujukan",
        referral=draft,
        lawful_basis="vital_interests",
        basis_note="Korban tidak sadar di rumah sakit; rujukan ke polisi mendesak.",
    )
    assert services.referral_send(actor=world.p.pendamping, referral=draft).status == "terkirim"


def test_changing_what_is_shared_withdraws_the_consent(world, draft):
    give_consent(world, draft)
    services.referral_update(
        actor=world.p.pendamping,
        referral=draft,
        victim=world.victim,
        to_agency=world.partner,
        services=["penegakan_hukum"],
        shared_sections=["identitas", "kronologi"],
    )
    assert Consent.objects.get(referral=draft).withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.referral_send(actor=world.p.pendamping, referral=draft)


def test_changing_only_the_message_keeps_the_consent(world, draft):
    give_consent(world, draft)
    services.referral_update(
        actor=world.p.pendamping,
        referral=draft,
        victim=world.victim,
        to_agency=world.partner,
        services=["penegakan_hukum"],
        shared_sections=["identitas"],
        note="Mohon segera.",
    )
    assert Consent.objects.get(referral=draft).withdrawn_at is None


# --- what may be chosen -------------------------------------------------------------------------


def test_documents_not_marked_shareable_are_refused(world):
    doc = _doc(world.case, world.p.pendamping)
    with pytest.raises(ValidationError) as exc:
        make_draft(world, documents=[doc])
    assert "documents" in exc.value.message_dict
    assert not Referral.objects.exists()


def test_marked_documents_are_shared_and_checked_again_at_sending(world):
    doc = _doc(world.case, world.p.pendamping)
    services.document_share_mark(actor=world.p.pendamping, document=doc, shareable=True)
    referral = make_draft(world, documents=[doc])
    assert "dokumen" in referral.shared_sections
    give_consent(world, referral)
    ShareableDocument.objects.filter(document=doc).delete()
    with pytest.raises(ValidationError) as exc:
        services.referral_send(actor=world.p.pendamping, referral=referral)
    assert "documents" in exc.value.message_dict


def test_a_document_of_another_case_is_refused(world):

    other = case_row(world.case.unit)
    doc = _doc(other, world.p.pendamping)
    ShareableDocument.objects.create(document=doc, marked_by=world.p.pendamping)
    with pytest.raises(ValidationError):
        make_draft(world, documents=[doc])


@pytest.mark.parametrize(
    ("field", "value"),
    [("services", []), ("services", ["bukan"]), ("shared_sections", ["rahasia"]), ("victim", None)],
)
def test_bad_choices_are_refused(world, field, value):
    with pytest.raises(ValidationError) as exc:
        make_draft(world, **{field: value})
    assert field in exc.value.message_dict


def test_a_service_unit_is_not_a_partner(world):
    with pytest.raises(ValidationError) as exc:
        make_draft(world, to_agency=world.p.orgs.other_unit)
    assert "to_agency" in exc.value.message_dict


def test_only_the_case_team_or_kepala_may_refer(world):
    for user in (
        world.p.pendamping_lain,
        world.p.psikolog,
        world.p.mitra,
        world.p.orang_luar,
        world.p.petugas,
    ):
        with pytest.raises(PermissionDenied):
            make_draft(world, actor=user)
    assert make_draft(world, actor=world.p.kepala).status == "draft"


# --- sending and the response clock ---------------------------------------------------------------


def test_sending_starts_the_response_clock_and_tells_the_partner(world, sent):
    deadline = Deadline.objects.get(kind="referral_response", subject_id=sent.public_id)
    assert deadline.unit == world.case.unit and deadline.responsible == world.p.pendamping
    assert deadline.due_at > sent.sent_at + dt.timedelta(hours=3)  # one working day, not two hours
    note = Notification.objects.get(recipient=world.p.mitra, kind="referral_sent")
    assert world.case.pseudonym in note.message and VICTIM_NAME not in note.message


def test_a_high_risk_case_gets_two_hours(world):
    world.case.risk = "tinggi"
    world.case.save()
    referral = make_sent(world)
    deadline = Deadline.objects.get(kind="referral_response", subject_id=referral.public_id)
    assert deadline.due_at - deadline.started_at == dt.timedelta(hours=2)


def test_the_unit_can_set_its_own_response_time(world):
    from sinergi.deadlines.models import ClockPolicy

    ClockPolicy.objects.create(
        unit=world.case.unit,
        kind="referral_response",
        risk="sedang",
        amount=4,
        time_unit="hours",
        warning_minutes=30,
    )
    referral = make_sent(world)
    deadline = Deadline.objects.get(kind="referral_response", subject_id=referral.public_id)
    assert deadline.due_at - deadline.started_at == dt.timedelta(hours=4)


def test_sending_twice_is_refused(world, sent):
    with pytest.raises(ValidationError):
        services.referral_send(actor=world.p.pendamping, referral=sent)


# --- the partner's moves --------------------------------------------------------------------------


def test_accept_stops_the_clock_and_tells_the_sender(world, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    assert _status(sent) == "diterima"
    deadline = Deadline.objects.get(kind="referral_response", subject_id=sent.public_id)
    assert deadline.status == "met"
    note = Notification.objects.get(recipient=world.p.pendamping, kind="referral_accepted")
    assert VICTIM_NAME not in note.message


def test_accepting_twice_is_refused_with_a_message(world, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    with pytest.raises(ValidationError) as exc:
        services.referral_accept(actor=world.p.mitra, referral=sent)
    assert said("This referral was already accepted.") in exc.value.messages
    assert AuditEvent.objects.filter(action="referral.accept").count() == 1


def test_another_agency_cannot_accept(world, sent):
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=world.p.mitra_lain, referral=sent)
    assert _status(sent) == "terkirim"


def test_completing_before_accepting_is_refused(world, sent):
    with pytest.raises(ValidationError) as exc:
        services.referral_complete(actor=world.p.mitra, referral=sent, outcome="terlayani")
    assert said("Accept the referral first.") in exc.value.messages
    assert _status(sent) == "terkirim"


def test_recording_a_service_before_accepting_is_refused(world, sent):
    with pytest.raises(ValidationError):
        services.referral_service_record(
            actor=world.p.mitra, referral=sent, service="penegakan_hukum", delivered_on=timezone.localdate()
        )


def test_the_first_service_moves_into_service_then_completion(world, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    services.referral_service_record(
        actor=world.p.mitra,
        referral=sent,
        service="penegakan_hukum",
        delivered_on=timezone.localdate(),
        note="BAP",
    )
    assert _status(sent) == "dalam_layanan"
    services.referral_service_record(
        actor=world.p.mitra, referral=sent, service="penegakan_hukum", delivered_on=timezone.localdate()
    )
    assert _status(sent) == "dalam_layanan"
    services.referral_complete(
        actor=world.p.mitra, referral=sent, outcome="terlayani", outcome_note="Selesai"
    )
    done = Referral.objects.get(pk=sent.pk)
    assert (done.status, done.outcome) == ("selesai", "terlayani") and done.closed_at is not None


def test_a_future_service_date_is_refused(world, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    with pytest.raises(ValidationError) as exc:
        services.referral_service_record(
            actor=world.p.mitra,
            referral=sent,
            service="penegakan_hukum",
            delivered_on=timezone.localdate() + dt.timedelta(days=2),
        )
    assert "delivered_on" in exc.value.message_dict


def test_decline_needs_a_reason_and_closes(world, sent):
    with pytest.raises(ValidationError):
        services.referral_decline(actor=world.p.mitra, referral=sent, reason="")
    assert _status(sent) == "terkirim"
    services.referral_decline(actor=world.p.mitra, referral=sent, reason="Bukan wilayah hukum kami.")
    declined = Referral.objects.get(pk=sent.pk)
    assert declined.status == "ditolak" and declined.closed_at is not None
    assert Deadline.objects.get(subject_id=sent.public_id).status == "met"


def test_revoke_ends_the_referral_and_cancels_the_clock(world, sent):
    with pytest.raises(ValidationError):
        services.referral_revoke(actor=world.p.pendamping, referral=sent, reason="")
    services.referral_revoke(actor=world.p.pendamping, referral=sent, reason="Korban menarik persetujuan.")
    assert _status(sent) == "dibatalkan"
    assert Deadline.objects.get(subject_id=sent.public_id).status == "cancelled"
    assert Notification.objects.filter(recipient=world.p.mitra, kind="referral_revoked").exists()


def test_the_partner_cannot_revoke_and_the_sender_cannot_accept(world, sent):
    with pytest.raises(PermissionDenied):
        services.referral_revoke(actor=world.p.mitra, referral=sent, reason="Tidak mau.")
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=world.p.pendamping, referral=sent)


# Every move from every state: allowed only from the states the workflow names.
MOVES = {
    "send": (
        ("draft",),
        lambda w, r: (give_consent(w, r), services.referral_send(actor=w.p.pendamping, referral=r)),
    ),
    "accept": (("terkirim",), lambda w, r: services.referral_accept(actor=w.p.mitra, referral=r)),
    "decline": (
        ("terkirim",),
        lambda w, r: services.referral_decline(actor=w.p.mitra, referral=r, reason="Alasan penolakan."),
    ),
    "service": (
        ("diterima", "dalam_layanan"),
        lambda w, r: services.referral_service_record(
            actor=w.p.mitra, referral=r, service="kesehatan", delivered_on=timezone.localdate()
        ),
    ),
    "complete": (
        ("diterima", "dalam_layanan"),
        lambda w, r: services.referral_complete(actor=w.p.mitra, referral=r, outcome="terlayani"),
    ),
    "revoke": (
        ("draft", "terkirim", "diterima", "dalam_layanan"),
        lambda w, r: services.referral_revoke(
            actor=w.p.pendamping, referral=r, reason="Dibatalkan pengirim."
        ),
    ),
}
STATES = ["draft", "terkirim", "diterima", "dalam_layanan", "selesai", "ditolak", "dibatalkan"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("move", sorted(MOVES))
def test_every_move_from_every_state(world, move, state):
    referral = make_draft(world)
    Referral.objects.filter(pk=referral.pk).update(
        status=state, sent_at=None if state == "draft" else timezone.now() - dt.timedelta(hours=1)
    )
    referral.refresh_from_db()
    allowed, run = MOVES[move]
    events_before = AuditEvent.objects.filter(action__startswith="referral.").count()
    if state in allowed:
        run(world, referral)
        assert _status(referral) != state or move == "service"
    else:
        with pytest.raises(ValidationError):
            run(world, referral)
        assert _status(referral) == state
        assert AuditEvent.objects.filter(action__startswith="referral.").count() == events_before


# --- the trail and the messages -------------------------------------------------------------------


def test_every_move_is_on_the_case_timeline(world, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    services.referral_service_record(
        actor=world.p.mitra, referral=sent, service="penegakan_hukum", delivered_on=timezone.localdate()
    )
    services.referral_complete(actor=world.p.mitra, referral=sent, outcome="terlayani")
    actions = [e.action for e in case_timeline(world.case)]
    for action in (
        "referral.create",
        "consent.record",
        "referral.send",
        "referral.accept",
        "referral.service",
        "referral.complete",
    ):
        assert action in actions, action


def test_no_notification_or_email_names_the_victim(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in (world.p.mitra, world.p.pendamping, world.p.kepala):
        user.email = f"{user.username}@example.org"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_sent(world)
        services.referral_accept(actor=world.p.mitra, referral=referral)
        services.referral_complete(actor=world.p.mitra, referral=referral, outcome="terlayani")
        other = make_sent(world)
        services.referral_decline(actor=world.p.mitra, referral=other, reason="Penuh.")
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"referral_sent", "referral_accepted", "referral_completed", "referral_declined"} <= kinds
    for note in Notification.objects.all():
        assert VICTIM_NAME not in note.message and "0812" not in note.message
    assert mail.outbox
    for message in mail.outbox:
        assert VICTIM_NAME not in message.subject + message.body


def test_a_refused_move_sends_no_email(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.p.mitra.email = "mitra@example.org"
    world.p.mitra.save()
    referral = make_draft(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.referral_send(actor=world.p.pendamping, referral=referral)
    assert not mail.outbox


# --- overdue --------------------------------------------------------------------------------------


def test_an_answered_referral_is_not_overdue(world, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    assert services.referrals_notify_overdue(now=timezone.now() + dt.timedelta(days=5)) == 0


def test_the_agencys_own_address_is_told_too(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.partner.email = "ppa@polres.example.org"
    world.partner.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_sent(world)
    assert [m.to for m in mail.outbox] == [["ppa@polres.example.org"]]
    assert VICTIM_NAME not in mail.outbox[0].body and world.case.pseudonym in mail.outbox[0].body


def test_the_overdue_command(world, sent):
    from io import StringIO

    from django.core.management import call_command

    from sinergi.deadlines.models import Deadline

    Deadline.objects.filter(subject_id=sent.public_id).update(due_at=timezone.now() - dt.timedelta(hours=1))
    out = StringIO()
    call_command("notify_overdue_referrals", "--now", stdout=out)
    assert "1 referral" in out.getvalue()
    call_command("notify_overdue_referrals", stdout=StringIO())  # queued (runs at once in tests)
    assert Notification.objects.filter(kind="referral_overdue").count() == 1
