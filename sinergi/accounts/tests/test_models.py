import pytest
from django.core.exceptions import ValidationError

from sinergi.accounts.choices import Role
from sinergi.testing.factories import PartnerFactory, ServiceUnitFactory, UserFactory


def test_a_service_unit_needs_a_level(db):
    unit = ServiceUnitFactory.build(unit_level="")
    with pytest.raises(ValidationError) as err:
        unit.full_clean()
    assert "unit_level" in err.value.message_dict


def test_a_partner_has_no_level_and_known_services(db):
    partner = PartnerFactory.build(unit_level="provinsi", services_offered=["terbang"])
    with pytest.raises(ValidationError) as err:
        partner.full_clean()
    assert {"unit_level", "services_offered"} <= set(err.value.message_dict)


def test_units_form_a_tree_without_cycles(db):
    province = ServiceUnitFactory(unit_level="provinsi")
    city = ServiceUnitFactory(parent=province)
    assert city.ancestors() == [province]
    province.parent = city
    with pytest.raises(ValidationError) as err:
        province.full_clean()
    assert "parent" in err.value.message_dict


def test_a_partner_cannot_be_a_parent(db):
    partner = PartnerFactory()
    unit = ServiceUnitFactory.build(parent=partner)
    with pytest.raises(ValidationError):
        unit.full_clean()


def test_roles_match_organisation_kind(db):
    partner_user = UserFactory.build(organisation=PartnerFactory(), role=Role.KEPALA_UPTD)
    with pytest.raises(ValidationError) as err:
        partner_user.full_clean()
    assert "role" in err.value.message_dict
    unit_mitra = UserFactory.build(organisation=ServiceUnitFactory(), role=Role.MITRA)
    with pytest.raises(ValidationError):
        unit_mitra.full_clean()
    orphan = UserFactory.build(organisation=None, role=Role.PENDAMPING)
    with pytest.raises(ValidationError):
        orphan.full_clean()


def test_public_ids_are_random_and_distinct(db):
    a, b = UserFactory(), UserFactory()
    assert a.public_id != b.public_id and len(a.public_id) >= 16
    assert str(a.pk) not in a.public_id or len(a.public_id) > 10
