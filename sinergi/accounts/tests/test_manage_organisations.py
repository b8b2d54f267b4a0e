"""Service units and partner agencies (/pengaturan/organisasi/): admin edits, kepala reads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sinergi.accounts import services
from sinergi.accounts.choices import AgencyType, OrganisationKind, UnitLevel
from sinergi.accounts.models import Organisation
from sinergi.audit.models import AuditEvent

LIST = reverse("accounts:organisation_list")
CREATE = reverse("accounts:organisation_create")


def edit_url(org):
    return reverse("accounts:organisation_edit", args=[org.public_id])


def unit_data(**overrides):
    return {
        "kind": OrganisationKind.SERVICE_UNIT,
        "name": "UPTD PPA Kabupaten Lima Puluh Kota",
        "short_name": "UPTD PPA Limapuluh Kota",
        "agency_type": AgencyType.UPTD_PPA,
        "unit_level": UnitLevel.KAB_KOTA,
        "region": "13.76",
        "services_offered": ["pengaduan", "kesehatan"],
        "address": "Jl. Sudirman 1",
        "phone": "0752-123456",
        "referral_grace_days": "7",
        "is_active": "on",
        **overrides,
    }


def partner_data(**overrides):
    partner = {
        "kind": OrganisationKind.PARTNER,
        "name": "Puskesmas Lampasi",
        "agency_type": AgencyType.PUSKESMAS,
        "unit_level": "",
        "services_offered": ["kesehatan"],
    }
    return unit_data(**{**partner, **overrides})


# --- the list --------------------------------------------------------------------------------


def test_it_works(personas, login):
    response = login(personas.admin).get(LIST)
    assert response.status_code == 200
    units = [(u.name, depth) for u, depth in response.context["units"]]
    assert units.index(("UPTD PPA Provinsi Uji", 0)) < units.index(("UPTD PPA Kota Uji", 1))
    assert {p.name for p in response.context["partners"]} == {"Polres Uji Unit PPA", "RSUD Uji"}
    assert CREATE in response.content.decode()


def test_a_kepala_sees_the_own_unit_and_its_partners_read_only(personas, login):
    response = login(personas.kepala).get(LIST)
    assert response.status_code == 200
    assert [u.name for u, _depth in response.context["units"]] == ["UPTD PPA Kota Uji"]
    assert [p.name for p in response.context["partners"]] == ["Polres Uji Unit PPA"]
    html = response.content.decode()
    assert CREATE not in html and "/ubah/" not in html


def test_the_list_costs_the_same_for_many_organisations(personas, login, django_assert_max_num_queries):
    from sinergi.testing.factories import PartnerFactory, ServiceUnitFactory

    client = login(personas.admin)
    client.get(LIST)  # the first request also records the session
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for _ in range(10):
        PartnerFactory(parent=ServiceUnitFactory(parent=personas.orgs.province))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


# --- create ----------------------------------------------------------------------------------


def test_admin_creates_a_unit_and_a_partner(personas, login):
    client = login(personas.admin)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, unit_data(parent=personas.orgs.province.public_id))
    assert response.status_code == 302
    unit = Organisation.objects.get(name="UPTD PPA Kabupaten Lima Puluh Kota")
    assert (unit.kind, unit.parent, unit.region_id) == ("unit", personas.orgs.province, "13.76")
    assert unit.services_offered == ["pengaduan", "kesehatan"]
    event = AuditEvent.objects.get(action="organisation.create")
    assert (event.object_id, event.changes["kind"]) == (unit.public_id, ["", "unit"])

    response = client.post(CREATE, partner_data(parent=unit.public_id))
    assert response.status_code == 302
    partner = Organisation.objects.get(name="Puskesmas Lampasi")
    assert (partner.kind, partner.parent, partner.unit_level) == ("mitra", unit, "")


@pytest.mark.parametrize("persona", ["kepala", "pendamping", "mitra", "datin"])
def test_create_refuses_without_permission(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, unit_data()).status_code == 403
    assert not Organisation.objects.filter(name=unit_data()["name"]).exists()


def test_create_shows_errors_and_keeps_what_was_typed(personas, login):
    client = login(personas.admin)
    response = client.post(CREATE, partner_data(name="polres uji unit ppa", unit_level=UnitLevel.PROVINSI))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "unit_level"} <= set(errors)
    html = response.content.decode()
    assert 'value="polres uji unit ppa"' in html
    assert 'value="Jl. Sudirman 1"' in html
    assert 'aria-describedby="id_name_error"' in html

    response = client.post(CREATE, unit_data(unit_level=""))
    assert response.status_code == 200
    assert "unit_level" in response.context["form"].errors
    # A partner agency is never offered as a parent.
    response = client.post(CREATE, unit_data(parent=personas.orgs.partner.public_id))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert Organisation.objects.count() == 5


def test_only_admins_create_through_the_service(personas):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=personas.kepala, kind="unit", name="X", agency_type="uptd_ppa", unit_level="kab_kota"
        )


# --- edit ------------------------------------------------------------------------------------


def test_admin_edits(personas, login):
    client = login(personas.admin)
    unit = personas.orgs.unit
    assert client.get(edit_url(unit)).status_code == 200
    data = unit_data(name="UPTD PPA Kota Uji (baru)", parent=personas.orgs.province.public_id)
    del data["kind"]
    data["all_staff_see_all_cases"] = "on"
    response = client.post(edit_url(unit), data)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "UPTD PPA Kota Uji (baru)" and unit.all_staff_see_all_cases
    assert unit.kind == "unit"
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.object_id == unit.public_id
    assert event.changes["name"] == "changed"


def test_the_kind_never_changes(personas, login):
    data = partner_data()
    response = login(personas.admin).post(edit_url(personas.orgs.unit), {**data, "unit_level": "kab_kota"})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=personas.orgs.unit.pk).kind == "unit"


def test_edit_refuses_a_circular_tree(personas, login):
    province = personas.orgs.province
    data = unit_data(name=province.name, unit_level=UnitLevel.PROVINSI, parent=personas.orgs.unit.public_id)
    response = login(personas.admin).post(edit_url(province), data)
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    province.refresh_from_db()
    assert province.parent is None


def test_edit_hides_unknown_organisations(personas, login):
    response = login(personas.admin).get(reverse("accounts:organisation_edit", args=["tidak-ada"]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["kepala", "pendamping", "mitra"])
def test_edit_refuses_without_permission(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(edit_url(personas.orgs.unit)).status_code == 403
    assert client.post(edit_url(personas.orgs.unit), unit_data(name="Diubah")).status_code == 403
    assert Organisation.objects.get(pk=personas.orgs.unit.pk).name == "UPTD PPA Kota Uji"


def test_editing_asks_for_a_fresh_login(personas, login):
    response = login(personas.admin, fresh=False).get(edit_url(personas.orgs.unit))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_service_validation_errors_are_keyed_by_field(personas):
    with pytest.raises(ValidationError) as err:
        services.organisation_update(
            actor=personas.admin, organisation=personas.orgs.partner, services_offered=["terbang"]
        )
    assert "services_offered" in err.value.message_dict
    personas.orgs.partner.refresh_from_db()
    assert personas.orgs.partner.services_offered == ["penegakan_hukum"]


def test_the_email_reset_is_turned_on_on_the_form_and_audited(personas, login):
    client = login(personas.admin)
    unit = personas.orgs.unit
    assert 'name="email_password_reset"' in client.get(edit_url(unit)).content.decode()
    data = unit_data(name=unit.name, parent=personas.orgs.province.public_id, email_password_reset="on")
    del data["kind"]
    assert client.post(edit_url(unit), data).status_code == 302
    unit.refresh_from_db()
    assert unit.email_password_reset
    assert AuditEvent.objects.get(action="organisation.update").changes["email_password_reset"] == "changed"


def test_a_partner_agency_cannot_turn_the_email_reset_on(personas, login):
    partner = personas.orgs.partner
    data = partner_data(name=partner.name, parent=personas.orgs.unit.public_id, email_password_reset="on")
    del data["kind"]
    response = login(personas.admin).post(edit_url(partner), data)
    assert response.status_code == 200
    assert "email_password_reset" in response.context["form"].errors
    partner.refresh_from_db()
    assert not partner.email_password_reset
    assert not AuditEvent.objects.filter(action="organisation.update").exists()
