"""A random case code (or public id) that collides with a stored one is drawn again, in the same
transaction, instead of failing the registration."""

import pytest
from django.db import IntegrityError

from sinergi.cases import services
from sinergi.cases.models import Case
from sinergi.cases.record import registration
from sinergi.core import ids
from sinergi.testing.cases import register_case as register

pytestmark = pytest.mark.django_db


def draws(*values, then):
    """A code generator that returns `values` first, then whatever `then` draws."""
    queue = list(values)
    return lambda: queue.pop(0) if queue else then()


def test_a_registration_draws_again_when_the_case_code_is_taken(personas, monkeypatch):
    first = register(personas.petugas)
    real = registration.new_pseudonym
    monkeypatch.setattr(registration, "new_pseudonym", draws(first.pseudonym, first.pseudonym, then=real))
    second = register(personas.petugas)
    assert second.pseudonym != first.pseudonym
    assert Case.objects.count() == 2
    assert second.registration_number.endswith("-0002")  # the retry did not spend a number


def test_a_taken_public_id_is_drawn_again(personas, monkeypatch):
    first = register(personas.petugas)
    monkeypatch.setattr(registration, "new_public_id", draws(first.public_id, then=ids.new_public_id))
    assert register(personas.petugas).public_id != first.public_id


def test_a_bare_case_draws_again_too(personas, monkeypatch):
    first = services.case_create(actor=personas.petugas)
    real = services.new_pseudonym
    monkeypatch.setattr(services, "new_pseudonym", draws(first.pseudonym, then=real))
    assert services.case_create(actor=personas.petugas).pseudonym != first.pseudonym


def test_a_generator_that_only_collides_gives_up(personas, monkeypatch):
    first = register(personas.petugas)
    monkeypatch.setattr(registration, "new_pseudonym", lambda: first.pseudonym)
    with pytest.raises(IntegrityError):
        register(personas.petugas)
    assert Case.objects.count() == 1  # nothing half-saved
