"""The partner directory, contact persons and the unit's referral pathways."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sinergi.accounts.models import OrganisationContact
from sinergi.audit.models import AuditEvent
from sinergi.referrals import directory, selectors
from sinergi.referrals.models import ReferralPathway

pytestmark = pytest.mark.django_db


def test_directory_works_for_unit_staff(personas, login):
    html = login(personas.pendamping).get(reverse("referrals:directory")).content.decode()
    assert personas.orgs.partner.name in html and personas.orgs.other_partner.name in html
    assert personas.orgs.unit.name in html  # the unit's pathway section


def test_directory_filters_by_service(personas, login):
    html = login(personas.petugas).get(reverse("referrals:directory") + "?service=kesehatan").content.decode()
    assert personas.orgs.other_partner.name in html and personas.orgs.partner.name not in html


def test_partner_page_lists_contacts_and_focal_points(personas, login):
    OrganisationContact.objects.create(
        organisation=personas.orgs.partner, name="Bripka Kontak Uji", position="Kanit PPA"
    )
    html = (
        login(personas.pendamping)
        .get(reverse("referrals:partner_detail", args=[personas.orgs.partner.public_id]))
        .content.decode()
    )
    assert "Bripka Kontak Uji" in html and "Kanit PPA" in html
    assert (personas.mitra.full_name or "mitra") in html


def test_kepala_keeps_the_contacts_of_the_units_partners(personas, login):
    url = reverse("referrals:contact_add", args=[personas.orgs.partner.public_id])
    assert login(personas.kepala).post(url, {"name": "Kontak Baru", "phone": "0752-1"}).status_code == 302
    contact = OrganisationContact.objects.get(name="Kontak Baru")
    assert AuditEvent.objects.filter(action="partner.contact_add").exists()
    # The other partner does not work with this unit; the other unit's kepala neither.
    other = reverse("referrals:contact_add", args=[personas.orgs.other_partner.public_id])
    assert login(personas.kepala).post(other, {"name": "X"}).status_code == 404
    assert login(personas.kepala_luar).post(url, {"name": "X"}).status_code == 404
    assert login(personas.pendamping).post(url, {"name": "X"}).status_code == 403
    remove = reverse("referrals:contact_remove", args=[personas.orgs.partner.public_id, contact.pk])
    assert login(personas.kepala).post(remove).status_code == 302
    assert not OrganisationContact.objects.filter(pk=contact.pk).exists()


def test_pathway_orders_the_suggestions(personas, login):
    url = reverse("referrals:pathways")
    response = login(personas.kepala).post(
        url,
        {
            "service": "kesehatan",
            "first": personas.orgs.partner.public_id,
            "second": personas.orgs.other_partner.public_id,
        },
    )
    assert response.status_code == 302
    rows = list(
        ReferralPathway.objects.filter(unit=personas.orgs.unit, service="kesehatan").order_by("position")
    )
    assert [r.agency for r in rows] == [personas.orgs.partner, personas.orgs.other_partner]
    suggested = selectors.suggested_agencies(personas.orgs.unit, ["kesehatan"])
    assert suggested[:2] == [personas.orgs.partner, personas.orgs.other_partner]
    assert login(personas.pendamping).get(url).status_code == 403


def test_pathway_refuses_units_and_other_heads(personas):
    with pytest.raises(ValidationError):
        directory.pathway_set(
            actor=personas.kepala,
            unit=personas.orgs.unit,
            service="kesehatan",
            agencies=[personas.orgs.other_unit],
        )
    with pytest.raises(PermissionDenied):
        directory.pathway_set(
            actor=personas.kepala_luar,
            unit=personas.orgs.unit,
            service="kesehatan",
            agencies=[personas.orgs.partner],
        )
