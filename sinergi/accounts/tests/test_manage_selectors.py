"""Who manages whom: the selectors behind every user-management page."""

import pytest

from sinergi.accounts.choices import Role
from sinergi.accounts.selectors import organisations_manageable_by, roles_assignable_by, users_manageable_by


def usernames(qs):
    return set(qs.values_list("username", flat=True))


def test_admin_manages_everyone(personas):
    assert usernames(users_manageable_by(personas.admin)) == {
        "kepala", "petugas", "pendamping", "pendamping_lain", "psikolog", "datin", "pimpinan", "auditor",
        "admin", "mitra", "mitra_lain", "kepala_provinsi", "orang_luar", "kepala_luar",
    }  # fmt: skip
    assert organisations_manageable_by(personas.admin).count() == 5
    assert set(roles_assignable_by(personas.admin)) == set(Role.values)


def test_a_kepala_manages_the_unit_and_its_partners_but_not_its_overseers(personas):
    assert usernames(users_manageable_by(personas.kepala)) == {
        "kepala", "petugas", "pendamping", "pendamping_lain", "psikolog", "datin", "pimpinan", "mitra",
    }  # fmt: skip
    assert set(organisations_manageable_by(personas.kepala)) == {personas.orgs.unit, personas.orgs.partner}
    assert Role.ADMIN_SISTEM not in roles_assignable_by(personas.kepala)
    assert Role.AUDITOR not in roles_assignable_by(personas.kepala)


def test_a_province_kepala_does_not_manage_city_units(personas):
    assert usernames(users_manageable_by(personas.kepala_provinsi)) == {"kepala_provinsi"}


@pytest.mark.parametrize("persona", ["pendamping", "mitra", "datin", "auditor", "pimpinan", "petugas"])
def test_others_manage_nobody(personas, persona):
    user = getattr(personas, persona)
    assert not users_manageable_by(user).exists()
    assert not organisations_manageable_by(user).exists()
    assert roles_assignable_by(user) == []


def test_a_disabled_kepala_manages_nobody(personas):
    personas.kepala.is_active = False
    assert not users_manageable_by(personas.kepala).exists()
