import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.referrals.models import Referral
from sinergi.testing.cases import case_row


@pytest.fixture
def referral(personas):
    case = case_row(personas.orgs.unit)
    return Referral.objects.create(
        case=case,
        to_agency=personas.orgs.partner,
        status="terkirim",
        sent_at=timezone.now(),
        shared_sections=["kronologi"],
    )


def url(referral):
    return reverse("referrals:detail", args=[referral.public_id])


def test_it_works(personas, login, referral):
    response = login(personas.mitra).get(url(referral))
    assert response.status_code == 200
    assert referral.case.pseudonym in response.content.decode()
    assert AuditEvent.objects.filter(action="referral.view", object_id=referral.public_id).exists()


def test_inbox_lists_only_own_agency(personas, login, referral):
    other = Referral.objects.create(
        case=referral.case, to_agency=personas.orgs.other_partner, status="terkirim"
    )
    html = login(personas.mitra).get(reverse("referrals:inbox")).content.decode()
    assert referral.public_id in html and other.public_id not in html


def test_it_hides_from_outsiders(personas, login, referral):
    assert login(personas.mitra_lain).get(url(referral)).status_code == 404
    assert AuditEvent.objects.filter(action="referral.view", outcome="denied").exists()


def test_it_refuses_without_permission(personas, login, referral):
    # Unit staff have no partner inbox: the referral URL answers 404 like any hidden object.
    assert login(personas.kepala).get(url(referral)).status_code == 404
    event = AuditEvent.objects.get(action="referral.view", actor_username="kepala")
    assert event.outcome == "denied" and event.case_id == referral.case.public_id


@pytest.mark.parametrize(
    ("status", "closed_days_ago", "visible"),
    [
        ("draft", None, False),
        ("terkirim", None, True),
        ("dalam_layanan", None, True),
        ("selesai", 3, True),  # within the 7-day grace period
        ("selesai", 8, False),
        ("dibatalkan", 8, False),
    ],
)
def test_access_follows_the_referral_state(personas, login, referral, status, closed_days_ago, visible):
    referral.status = status
    referral.closed_at = timezone.now() - dt.timedelta(days=closed_days_ago) if closed_days_ago else None
    referral.save()
    assert (login(personas.mitra).get(url(referral)).status_code == 200) is visible


def test_only_shared_sections_are_named(personas, login, referral):
    html = login(personas.mitra).get(url(referral)).content.decode()
    assert "Kronologi" in html or "Chronology" in html
    assert "Identity" not in html and "Identitas" not in html
