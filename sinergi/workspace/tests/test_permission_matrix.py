"""Every row of the matrix table (matrix_table.py) × every persona, and the routes that ask for the
password again."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.testing.fixtures import mark_recently_authenticated
from sinergi.testing.matrix import (
    ANONYMOUS,
    EVERYONE,
    Guarded,
)

from .matrix_table import ROUTES

# --- the matrix -----------------------------------------------------------------------------------


def matrix_rows():
    for route, entry in ROUTES.items():
        if isinstance(entry, Guarded):
            for row in entry.rows:
                yield route, entry, row


def client_for(world, persona):
    """A test client in `persona`'s session, freshly re-authenticated as the `login` fixture does
    (or anonymous). The sessions are made once with the world, which saves a login per cell."""
    client = Client()
    if persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
        mark_recently_authenticated(client, getattr(world, persona))
    return client


def send(client, row, world):
    url = row.url(world)
    if row.method == "post":
        return url, client.post(url, row.data(world) if row.data else {})
    return url, client.get(url)


def describe(route, row, persona, url, response):
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{route}{row.label}: {row.method.upper()} {url} as {persona} got {response.status_code}{where}"


def check(route, entry, row, persona, world):
    """One cell of the matrix: the status, the audit of a refusal, what the page shows, what changed."""
    if row.prepare:
        row.prepare(world)
    url, response = send(client_for(world, persona), row, world)
    expected = row.expect[persona]
    said = describe(route, row, persona, url, response)
    assert response.status_code == expected, f"{said}, expected {expected}"

    if persona == ANONYMOUS:
        assert response["Location"].startswith(reverse("account_login") + "?next="), said
    if response.status_code == 403 and entry.permission:
        assert AuditEvent.objects.filter(
            action="access.denied",
            outcome="denied",
            actor_username=persona,
            details__permission=entry.permission,
        ).exists(), f"{said}: the refusal is not in the audit trail as access.denied"
    if response.status_code == 404 and row.denied:
        denial = AuditEvent.objects.filter(
            action=row.denied, outcome="denied", actor_username=persona
        ).first()
        assert denial is not None, f"{said}: no {row.denied} denied event in the audit trail"
        if row.denied_case:
            case = row.denied_case(world)
            assert (denial.case_id, denial.unit_id) == (case.public_id, case.unit_id), (
                f"{said}: the denial is not tied to the case, so its unit cannot see it"
            )
    if response.status_code == 200 and row.shows:  # (a download's bytes need not decode)
        html = response.content.decode()
        for text_of, viewers in row.shows:
            text = text_of(world) if callable(text_of) else text_of
            if persona in viewers.split():
                assert text in html, f"{said}: the page lacks {text!r}"
            else:
                assert text not in html, f"{said}: the page shows {text!r}, which is not theirs to see"
    if row.effect:
        should_change = persona in row.changers()
        assert row.effect(world) is should_change, (
            f"{said}: the action {'did not happen' if should_change else 'happened anyway'}"
        )


MATRIX = [pytest.param(route, entry, row, id=f"{route}{row.label}") for route, entry, row in matrix_rows()]


@pytest.mark.parametrize(("route", "entry", "row"), MATRIX)
def test_permission_matrix(route, entry, row, world, subtests):
    """Every persona and anonymous on one row; each is a subtest named "<route>[/variant]-<persona>".

    One test per row rather than per (row, persona): ~700 separate tests spend more time in
    fixtures than in requests. Each persona runs in a savepoint that is rolled back, so no
    persona's request (a POST, its audit events) is seen by the next, and every mismatch of the
    row is reported, not only the first.
    """
    for persona in EVERYONE:
        with subtests.test(msg=f"{route}{row.label}-{persona}"), transaction.atomic():
            try:
                check(route, entry, row, persona, world)
            finally:
                transaction.set_rollback(True)


# --- re-authentication ------------------------------------------------------------------------------

REAUTH = [
    pytest.param(route, entry, row, id=f"{route}{row.label}")
    for route, entry, row in matrix_rows()
    if entry.reauth_as and row.expect[entry.reauth_as] != 405
]


@pytest.mark.parametrize(("route", "entry", "row"), REAUTH)
def test_sensitive_routes_ask_for_the_password_again(route, entry, row, world, login):
    if row.prepare:
        row.prepare(world)
    client = login(getattr(world, entry.reauth_as), fresh=False)
    url, response = send(client, row, world)
    said = describe(route, row, entry.reauth_as, url, response)
    assert response.status_code == 302, said
    assert response["Location"].startswith(reverse("account_reauthenticate")), said
    if row.effect:
        assert row.effect(world) is False, f"{said}: the action happened without re-authentication"
