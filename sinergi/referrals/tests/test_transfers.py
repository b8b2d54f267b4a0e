"""Transfers between units (pelimpahan): request, accept/reject/cancel, ownership and access moving."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CaseAssignment
from sinergi.cases.selectors import cases_visible_to
from sinergi.notifications.models import Notification
from sinergi.referrals import transfers
from sinergi.referrals.models import CaseTransfer
from sinergi.testing.cases import case_row

from .conftest import VICTIM_NAME, said

pytestmark = pytest.mark.django_db
REASON = "Korban dan pelaku tinggal di dua kota berbeda; kasus lintas kabupaten/kota."


@pytest.fixture
def requested(world):
    return transfers.transfer_request(
        actor=world.p.kepala, case=world.case, to_unit=world.p.orgs.province, reason=REASON
    )


def test_request_notifies_the_receiving_head_without_names(world, requested):
    note = Notification.objects.get(recipient=world.p.kepala_provinsi, kind="transfer_requested")
    assert world.case.pseudonym in note.message and VICTIM_NAME not in note.message
    assert AuditEvent.objects.filter(action="transfer.request", case_id=world.case.public_id).exists()


@pytest.mark.parametrize(
    ("to", "reason", "field"),
    [("unit", REASON, "to_unit"), ("partner", REASON, "to_unit"), ("province", "pendek", "reason")],
)
def test_bad_requests_are_refused(world, to, reason, field):
    with pytest.raises(ValidationError) as exc:
        transfers.transfer_request(
            actor=world.p.kepala, case=world.case, to_unit=getattr(world.p.orgs, to), reason=reason
        )
    assert field in exc.value.message_dict
    assert not CaseTransfer.objects.exists()


def test_a_second_open_request_is_refused(world, requested):
    with pytest.raises(ValidationError):
        transfers.transfer_request(
            actor=world.p.kepala, case=world.case, to_unit=world.p.orgs.other_unit, reason=REASON
        )


def test_only_the_kepala_of_the_case_unit_may_request(world):
    for user in (world.p.pendamping, world.p.kepala_luar, world.p.kepala_provinsi):
        with pytest.raises(PermissionDenied):
            transfers.transfer_request(
                actor=user, case=world.case, to_unit=world.p.orgs.other_unit, reason=REASON
            )


def test_accept_moves_ownership_and_access(world, requested):
    assert cases_visible_to(world.p.pendamping).filter(pk=world.case.pk).exists()
    with pytest.raises(PermissionDenied):
        transfers.transfer_accept(actor=world.p.kepala, transfer=requested)  # the sender cannot accept
    transfers.transfer_accept(actor=world.p.kepala_provinsi, transfer=requested, note="Diterima.")
    case = Case.objects.get(pk=world.case.pk)
    assert case.unit == world.p.orgs.province
    assert not CaseAssignment.objects.filter(case=case, active=True).exists()
    assert not cases_visible_to(world.p.pendamping).filter(pk=case.pk).exists()
    assert not cases_visible_to(world.p.kepala).filter(pk=case.pk).exists()
    assert cases_visible_to(world.p.kepala_provinsi).filter(pk=case.pk).exists()
    transfer = CaseTransfer.objects.get()
    assert transfer.status == "diterima"
    assert transfer.old_registration_number == "PPA-UJI-0001"
    assert case.registration_number and case.registration_number == transfer.new_registration_number
    # Both units keep a trace in their audit trail.
    accept = AuditEvent.objects.get(action="transfer.accept")
    receive = AuditEvent.objects.get(action="transfer.receive")
    assert accept.unit_id == world.p.orgs.unit.pk and receive.unit_id == world.p.orgs.province.pk
    assert Notification.objects.filter(recipient=world.p.kepala, kind="transfer_accepted").exists()
    assert Notification.objects.filter(recipient=world.p.pendamping, kind="transfer_accepted").exists()


def test_accepting_twice_is_refused(world, requested):
    transfers.transfer_accept(actor=world.p.kepala_provinsi, transfer=requested)
    with pytest.raises(ValidationError):
        transfers.transfer_accept(actor=world.p.kepala_provinsi, transfer=requested)


def test_registration_number_does_not_clash_at_the_receiving_unit(world, requested):
    from sinergi.cases.record import registration_number_next

    # The receiving unit already has the number the case would carry if it kept its own.
    case_row(world.p.orgs.province, registration_number="PPA-UJI-0001")
    transfers.transfer_accept(actor=world.p.kepala_provinsi, transfer=requested)
    case = Case.objects.get(pk=world.case.pk)
    assert case.registration_number != "PPA-UJI-0001"
    assert registration_number_next  # the number came from the receiving unit's counter


def test_reject_keeps_the_case_and_needs_a_reason(world, requested):
    with pytest.raises(ValidationError):
        transfers.transfer_reject(actor=world.p.kepala_provinsi, transfer=requested, note="")
    transfers.transfer_reject(
        actor=world.p.kepala_provinsi, transfer=requested, note="Bukan kewenangan provinsi."
    )
    assert Case.objects.get(pk=world.case.pk).unit == world.p.orgs.unit
    assert CaseTransfer.objects.get().status == "ditolak"
    assert Notification.objects.filter(recipient=world.p.kepala, kind="transfer_rejected").exists()


def test_cancel_by_the_sender_only(world, requested):
    with pytest.raises(PermissionDenied):
        transfers.transfer_cancel(actor=world.p.kepala_provinsi, transfer=requested)
    transfers.transfer_cancel(actor=world.p.kepala, transfer=requested)
    assert CaseTransfer.objects.get().status == "dibatalkan"


# --- pages ----------------------------------------------------------------------------------------


def test_pages_work_for_both_heads(world, login, requested):
    detail = reverse("referrals:transfer_detail", args=[requested.public_id])
    assert (
        world.case.pseudonym in login(world.p.kepala).get(reverse("referrals:transfer_list")).content.decode()
    )
    assert login(world.p.kepala).get(detail).status_code == 200
    html = login(world.p.kepala_provinsi).get(detail).content.decode()
    assert said("Accept the case") in html


def test_pages_hide_from_other_units(world, login, requested):
    detail = reverse("referrals:transfer_detail", args=[requested.public_id])
    assert login(world.p.kepala_luar).get(detail).status_code == 404
    assert (
        login(world.p.kepala_luar)
        .post(reverse("referrals:transfer_accept", args=[requested.public_id]))
        .status_code
        == 404
    )
    assert CaseTransfer.objects.get().status == "diajukan"


def test_accept_through_the_page(world, login, requested):
    response = login(world.p.kepala_provinsi).post(
        reverse("referrals:transfer_accept", args=[requested.public_id])
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).unit == world.p.orgs.province


def test_request_through_the_page(world, login):
    response = login(world.p.kepala).post(
        reverse("referrals:transfer_request", args=[world.case.public_id]),
        {"to_unit": world.p.orgs.province.public_id, "reason": REASON},
    )
    assert response.status_code == 302
    assert CaseTransfer.objects.get().to_unit == world.p.orgs.province
