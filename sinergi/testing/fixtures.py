"""The personas every view test speaks of (ARCHITECTURE.md "Tests").

`personas` builds one small world: a city unit (Payakumbuh) under a province unit, another city
unit, and two partner agencies. Later issues give the personas cases and referrals; the names
stay the same so the permission matrix can rely on them.
"""

import time
from types import SimpleNamespace

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import translation

from sinergi.accounts.choices import AgencyType, Role, UnitLevel

from . import lockorder
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
    """login(user) → the test client, logged in as that user.

    The login counts as a fresh password authentication, so views that demand re-authentication
    (exports, user management, break-glass) let the user through; `login(user, fresh=False)` gives
    a session that must re-authenticate first.
    """

    def _login(user, fresh=True):
        client.force_login(user)
        if fresh:
            mark_recently_authenticated(client, user)
        return client

    return _login


def choose_english(client):
    """The client chose English with the language switch (its cookie): the browser's
    Accept-Language never switches the interface (sinergi.core.middleware.ChosenLanguageMiddleware)."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def mark_recently_authenticated(client, user):
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "username": user.username, "reauthenticated": True}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True)
def _lock_order(request):
    """On PostgreSQL, every test's service transactions must take their locks in the order of
    docs/development.md (sinergi.testing.lockorder); a test marked `lock_order_exempt` is not
    watched (it provokes a conflict on purpose)."""
    if connection.vendor != "postgresql" or request.node.get_closest_marker("lock_order_exempt"):
        yield
        return
    installed, watcher = lockorder.watch()
    with installed:
        yield
    if watcher.violations:
        pytest.fail("locks taken out of order:\n" + "\n".join(dict.fromkeys(watcher.violations)))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are not about hashing do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits (allauth's per-IP login throttle, the lockout of unknown usernames) live in the
    # cache; every test client is 127.0.0.1, so they would leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _installation_language():
    # A request through LocaleMiddleware leaves its language active in the thread afterwards; the
    # next test in the same process would then read messages in that language. Every test starts
    # in the installation's language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """Messages in English (the msgids) for tests that read them: `pytestmark = usefixtures("english")`."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Background jobs (reminders, exports, imports) run inside the request or call that enqueues
    # them, so a test sees their result without a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _mfa_not_required_unless_marked(request, settings):
    # Production requires an authenticator app of every account (sinergi.accounts.middleware);
    # personas have none, and client.force_login skips the MFA step anyway. Tests about MFA are
    # marked `@pytest.mark.mfa` and get the production behaviour.
    if request.node.get_closest_marker("mfa") is None:
        settings.SINERGI_MFA_REQUIRED = False


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_folder(tmp_path_factory):
    # Uploads, evidence and job files would otherwise land in var/media, the developer's own
    # files, shared by every pytest-xdist worker. tmp_path_factory gives each worker its own.
    storages = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("media")},
        },
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True, scope="session")
def _audit_checkpoints_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(request, _audit_checkpoints_folder, settings):
    # The signed checkpoints of the audit chain live in a file outside the database; each test's
    # database starts empty, so each test gets its own (empty) file, never the developer's var/.
    name = "".join(c if c.isalnum() else "_" for c in request.node.nodeid)[-150:]
    settings.SINERGI_AUDIT_CHECKPOINT_FILE = _audit_checkpoints_folder / f"{name}.jsonl"


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_triggers():
    """PostgreSQL refuses TRUNCATE of the audit tables (audit migration 0004), and so refuses
    Django's flush, which transactional tests use to empty the throwaway test database. Only
    there, the flush turns those triggers off for its own statement (table owner's right)."""
    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    original = operations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        guarded = [t for t in AUDIT_TRUNCATE_TRIGGERS if t in tables]
        if not statements or not guarded:
            return statements
        off = [f'ALTER TABLE "{t}" DISABLE TRIGGER {AUDIT_TRUNCATE_TRIGGERS[t]};' for t in guarded]
        on = [f'ALTER TABLE "{t}" ENABLE TRIGGER {AUDIT_TRUNCATE_TRIGGERS[t]};' for t in guarded]
        return [*off, *statements, *on]

    operations.sql_flush = sql_flush
    yield
    operations.sql_flush = original


AUDIT_TRUNCATE_TRIGGERS = {
    "audit_auditevent": "audit_auditevent_no_truncate",
    "audit_auditchainhead": "audit_auditchainhead_no_truncate",
}
