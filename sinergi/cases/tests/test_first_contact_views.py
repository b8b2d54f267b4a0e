"""The first-contact form on the case page and its own page (issue 14 item 7)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sinergi.cases.models import Case
from sinergi.testing.cases import register_case


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def case(personas):
    from sinergi.cases import workflow

    case = register_case(personas.petugas, risk="tinggi")
    workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
    Case.objects.filter(pk=case.pk).update(reported_at=timezone.now() - dt.timedelta(hours=2))
    return Case.objects.get(pk=case.pk)


def _moment(delta):
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_the_case_page_offers_the_form_until_it_is_recorded(personas, login, case):
    client = login(personas.pendamping)
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert reverse("cases:first_contact", args=[case.public_id]) in page
    response = client.post(
        reverse("cases:first_contact", args=[case.public_id]),
        {"contact-at": _moment(-dt.timedelta(minutes=30)), "contact-method": "telepon"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "The survivor was first reached on" in page and 'data-work="identifikasi"' in page
    assert 'data-current-step="identifikasi"' in page
    assert reverse("cases:first_contact", args=[case.public_id]) not in page


def test_a_bad_moment_is_shown_next_to_the_field_and_kept(personas, login, case):
    client = login(personas.pendamping)
    typed = _moment(dt.timedelta(days=1))
    response = client.post(
        reverse("cases:first_contact", args=[case.public_id]),
        {"contact-at": typed, "contact-method": "telepon"},
    )
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert typed in response.content.decode()
    assert Case.objects.get(pk=case.pk).first_contact_at is None


def test_outsiders_get_a_404(personas, login, case):
    response = login(personas.orang_luar).get(reverse("cases:first_contact", args=[case.public_id]))
    assert response.status_code == 404
