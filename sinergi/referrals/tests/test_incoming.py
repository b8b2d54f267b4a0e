"""Incoming referrals: an agency refers a person (or back) to a unit; the unit's intake takes it in."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sinergi.cases.models import Case, CasePerson
from sinergi.deadlines.models import Deadline
from sinergi.notifications.models import Notification
from sinergi.referrals import incoming, selectors, services
from sinergi.referrals.models import IncomingReferral
from sinergi.testing.pages import keyset_pages

pytestmark = pytest.mark.django_db
CHILD = "Anak Temuan Uji"


def _send_new(w, **overrides):
    values = {
        "actor": w.p.mitra_lain,  # the hospital
        "to_unit": w.p.orgs.unit,
        "summary": "Anak datang ke IGD dengan luka memar; diduga kekerasan di rumah.",
        "consent_basis": "vital_interests",
        "services": ["kesehatan"],
        "risk": "tinggi",
        "victim_name": CHILD,
        "victim_age": 9,
        "victim_sex": "perempuan",
    }
    values.update(overrides)
    return incoming.incoming_referral_send(**values)


def test_a_new_incoming_referral_waits_in_the_units_intake(world):
    item = _send_new(world)
    assert item.status == "menunggu" and item.kind == "baru"
    clock = Deadline.objects.get(kind="first_response", subject_id=item.public_id)
    assert clock.unit == world.p.orgs.unit and clock.risk == "tinggi"
    note = Notification.objects.get(recipient=world.p.kepala, kind="referral_incoming")
    assert CHILD not in note.message
    assert Notification.objects.filter(recipient=world.p.petugas, kind="referral_incoming").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("summary", "pendek"), ("consent_basis", ""), ("to_unit", None), ("victim_age", 200)],
)
def test_bad_incoming_referrals_are_refused(world, field, value):
    with pytest.raises(ValidationError) as exc:
        _send_new(world, **{field: value})
    assert field in exc.value.message_dict
    assert not IncomingReferral.objects.exists()


def test_only_partners_refer_in(world):
    with pytest.raises(PermissionDenied):
        _send_new(world, actor=world.p.pendamping)


def test_taking_it_in_makes_a_draft_case_with_channel_rujukan(world):
    item = _send_new(world)
    case = incoming.incoming_referral_register(actor=world.p.petugas, incoming=item)
    assert (case.status, case.channel, case.unit) == ("draft", "rujukan", world.p.orgs.unit)
    assert CasePerson.objects.get(case=case, role="korban").name == CHILD
    clock = Deadline.objects.get(kind="first_response", case=case, status="open")
    assert clock.started_at == item.sent_at  # the clock runs from the agency's referral
    with pytest.raises(ValidationError):
        incoming.incoming_referral_register(actor=world.p.petugas, incoming=item)
    assert Case.objects.count() == 2  # the world's case and this one


def test_declining_needs_a_reason_and_cancels_the_clock(world):
    item = _send_new(world)
    with pytest.raises(ValidationError):
        incoming.incoming_referral_decline(actor=world.p.kepala, incoming=item, reason="")
    incoming.incoming_referral_decline(
        actor=world.p.kepala, incoming=item, reason="Sudah ditangani unit lain."
    )
    assert Deadline.objects.get(subject_id=item.public_id).status == "cancelled"
    assert Notification.objects.filter(
        recipient=world.p.mitra_lain, kind="referral_incoming_declined"
    ).exists()


def test_another_unit_cannot_take_it(world):
    item = _send_new(world)
    with pytest.raises(PermissionDenied):
        incoming.incoming_referral_register(actor=world.p.kepala_luar, incoming=item)


def test_a_referral_back_lands_on_its_case(world, sent):
    with pytest.raises(ValidationError):  # not accepted yet
        incoming.incoming_referral_send(
            actor=world.p.mitra,
            referral=sent,
            summary="Korban butuh konseling lanjutan.",
            consent_basis="consent",
        )
    services.referral_accept(actor=world.p.mitra, referral=sent)
    item = incoming.incoming_referral_send(
        actor=world.p.mitra,
        referral=sent,
        summary="Korban butuh konseling lanjutan.",
        consent_basis="consent",
    )
    assert item.kind == "balik" and item.to_unit == world.case.unit
    case = incoming.incoming_referral_register(actor=world.p.kepala, incoming=item)
    assert case == world.case


def test_another_agency_cannot_refer_back(world, sent):
    services.referral_accept(actor=world.p.mitra, referral=sent)
    with pytest.raises(PermissionDenied):
        incoming.incoming_referral_send(
            actor=world.p.mitra_lain,
            referral=sent,
            summary="Korban butuh konseling lanjutan.",
            consent_basis="consent",
        )


# --- pages ----------------------------------------------------------------------------------------


def test_the_pages_work(world, login):
    client = login(world.p.mitra_lain)
    response = client.post(
        reverse("referrals:incoming_new"),
        {
            "to_unit": world.p.orgs.unit.public_id,
            "summary": "Anak datang ke IGD dengan luka memar.",
            "consent_basis": "vital_interests",
            "victim_name": CHILD,
        },
    )
    assert response.status_code == 302
    item = IncomingReferral.objects.get()
    staff = login(world.p.petugas)
    assert item.public_id in staff.get(reverse("referrals:incoming_list")).content.decode()
    assert CHILD in staff.get(reverse("referrals:incoming_detail", args=[item.public_id])).content.decode()
    response = staff.post(reverse("referrals:incoming_register", args=[item.public_id]))
    assert response.status_code == 302 and response["Location"].startswith("/kasus/")


@pytest.mark.parametrize(
    ("persona", "url_name", "anchor"),
    [
        ("petugas", "referrals:incoming_list", "incoming-waiting"),
        ("mitra_lain", "referrals:inbox", "inbox-sent"),
    ],
)
def test_incoming_lists_page_through_every_referral_with_their_total(
    world, login, monkeypatch, persona, url_name, anchor
):
    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", 2)
    sent = [_send_new(world, victim_name=f"Anak Uji {i}") for i in range(5)]
    base = timezone.now() - dt.timedelta(days=1)
    for i, item in enumerate(sent):
        IncomingReferral.objects.filter(pk=item.pk).update(sent_at=base + dt.timedelta(minutes=i))
    pages = keyset_pages(login(getattr(world.p, persona)), reverse(url_name), anchor)
    assert [part.count("<li>") for part in pages] == [2, 2, 1]
    assert all("(5)" in part.split("</h2>")[0] for part in pages)
    assert "Menampilkan 2 dari 5" in pages[0]
    if url_name == "referrals:incoming_list":  # each once, newest first
        ids = [i for part in pages for i in re.findall(r"/masuk/([A-Za-z0-9_-]{10,})/", part)]
        assert ids == [item.public_id for item in reversed(sent)]
