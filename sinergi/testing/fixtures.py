"""The personas every view test speaks of (ARCHITECTURE.md "Tests").

`personas` builds one small world: a city unit (Payakumbuh) under a province unit, another city
unit, and two partner agencies. Later issues give the personas cases and referrals; the names
stay the same so the permission matrix can rely on them.
"""

from types import SimpleNamespace

import pytest

from sinergi.accounts.choices import AgencyType, Role, UnitLevel

from .factories import PartnerFactory, ServiceUnitFactory, UserFactory

PASSWORD = "kata-sandi-uji-yang-panjang"

#: persona name → (role, organisation key)
PERSONAS = {
    "kepala": (Role.KEPALA_UPTD, "unit"),
    "petugas": (Role.PETUGAS_PENGADUAN, "unit"),
    "pendamping": (Role.PENDAMPING, "unit"),  # the case worker assigned to the persona's cases
    "pendamping_lain": (Role.PENDAMPING, "unit"),  # same unit, not assigned
    "psikolog": (Role.PSIKOLOG, "unit"),
    "datin": (Role.PENGELOLA_DATA, "unit"),
    "pimpinan": (Role.PIMPINAN, "unit"),
    "auditor": (Role.AUDITOR, "unit"),
    "admin": (Role.ADMIN_SISTEM, "unit"),
    "mitra": (Role.MITRA, "partner"),  # partner focal point with a referral
    "mitra_lain": (Role.MITRA, "other_partner"),  # partner focal point without one
    "kepala_provinsi": (Role.KEPALA_UPTD, "province"),
    "orang_luar": (Role.PENDAMPING, "other_unit"),  # a case worker of another city's unit
    "kepala_luar": (Role.KEPALA_UPTD, "other_unit"),
}


def build_world():
    province = ServiceUnitFactory(name="UPTD PPA Provinsi Uji", unit_level=UnitLevel.PROVINSI, region_id="13")
    unit = ServiceUnitFactory(name="UPTD PPA Kota Uji", parent=province)
    other_unit = ServiceUnitFactory(name="UPTD PPA Kota Lain", parent=province, region_id="13.71")
    partner = PartnerFactory(name="Polres Uji Unit PPA", parent=unit)
    other_partner = PartnerFactory(
        name="RSUD Uji", agency_type=AgencyType.RUMAH_SAKIT, services_offered=["kesehatan"]
    )
    orgs = {
        "province": province,
        "unit": unit,
        "other_unit": other_unit,
        "partner": partner,
        "other_partner": other_partner,
    }
    users = {
        name: UserFactory(username=name, role=role, organisation=orgs[org_key])
        for name, (role, org_key) in PERSONAS.items()
    }
    return SimpleNamespace(orgs=SimpleNamespace(**orgs), **users)


@pytest.fixture
def personas(db):
    return build_world()


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are not about hashing do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
