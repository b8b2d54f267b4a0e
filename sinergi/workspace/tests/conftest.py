"""The world the permission matrix runs in: built once per module, rolled back after each test."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from sinergi.accounts.choices import Role
from sinergi.audit.services import audit_record
from sinergi.cases.models import CaseAssignment, CasePerson
from sinergi.notifications.models import Notification
from sinergi.referrals.models import Referral
from sinergi.testing.cases import case_row
from sinergi.testing.factories import PartnerFactory, UserFactory
from sinergi.testing.fixtures import PERSONAS
from sinergi.testing.fixtures import build_world as build_personas
from sinergi.testing.matrix import (
    FAST_HASHERS,
)

from .matrix_table import APP_ROUTE_MODULES

# --- the world ------------------------------------------------------------------------------------


def build_matrix_world():
    """The personas, three cases, a referral, a user and an organisation to manage."""
    p = build_personas()
    unit, other_unit = p.orgs.unit, p.orgs.other_unit
    unit_case = case_row(unit, registration_number="PPA-MATRIKS-0001", created_by=p.petugas)
    CaseAssignment.objects.create(case=unit_case, user=p.pendamping, team_role="lead", assigned_by=p.kepala)
    unit_case_victim = CasePerson.objects.create(case=unit_case, role="korban", name="Korban Matriks")
    restricted_case = case_row(
        unit, registration_number="PPA-MATRIKS-0002", restricted=True, created_by=p.petugas
    )
    CaseAssignment.objects.create(
        case=restricted_case, user=p.psikolog, team_role="lead", assigned_by=p.kepala
    )
    other_case = case_row(other_unit, registration_number="PPA-LAIN-0001")
    CaseAssignment.objects.create(
        case=other_case, user=p.orang_luar, team_role="lead", assigned_by=p.kepala_luar
    )
    referral = Referral.objects.create(
        case=unit_case,
        to_agency=p.orgs.partner,
        status="terkirim",
        sent_at=timezone.now(),
        shared_sections=["kronologi"],
        created_by=p.pendamping,
    )
    target = UserFactory(username="sasaran_matriks", role=Role.PENDAMPING, organisation=unit)
    organisation = PartnerFactory(name="LSM Sasaran Matriks", parent=unit)
    notification = Notification.objects.create(
        recipient=p.kepala, kind="uji", message="Pemberitahuan matriks untuk kepala", link="/"
    )
    # One event on each unit's case, to see whose audit trail shows what.
    for actor, case in ((p.pendamping, unit_case), (p.orang_luar, other_case)):
        audit_record(actor=actor, action="case.view", object_type="case", object_id=case.public_id, case=case)
    sessions = {}
    for persona in PERSONAS:
        client = Client()
        client.force_login(getattr(p, persona))
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world = SimpleNamespace(
        **vars(p),
        sessions=sessions,
        unit_case=unit_case,
        unit_case_victim=unit_case_victim,
        restricted_case=restricted_case,
        other_case=other_case,
        referral=referral,
        target=target,
        organisation=organisation,
        notification=notification,
    )
    for module in APP_ROUTE_MODULES:
        if hasattr(module, "world_extras"):
            for name, value in module.world_extras(world).items():
                assert not hasattr(world, name), f"{module.__name__}: world already has {name!r}"
                setattr(world, name, value)
    return world


@pytest.fixture(scope="module")
def _matrix_world(django_db_setup, django_db_blocker):
    """The world, built once for this module inside a transaction rolled back at the module's end.

    Each test still runs in its own transaction (pytest-django's, nested in this one as a
    savepoint), and each persona of a matrix row in a savepoint of its own, so whatever one cell
    writes (its POST, its `prepare`, the audit events of its request) is undone before the next:
    every (route, persona) cell starts from the same world, without building it ~700 times. Rows
    change the world with queryset updates only, so the shared Python objects stay true to it.
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_matrix_world, db):
    return _matrix_world
