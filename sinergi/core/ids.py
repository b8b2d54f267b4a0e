"""Identifiers shared by every model, and saving a row whose random codes may collide."""

import secrets

from django.db import IntegrityError, transaction

#: Attempts before a collision is given up: with codes drawn from millions of values or more, a
#: second collision in a row is already rare, an eighth is a broken generator.
CODE_ATTEMPTS = 8


def new_public_id():
    """A random, URL-safe id: unguessable, and never derived from a name or a number."""
    return secrets.token_urlsafe(12)


def _draw(instances, codes):
    for instance in instances:
        for field, draw in codes.items():
            setattr(instance, field, draw())


def _redraw_taken(model, instances, codes):
    """Draw afresh every code of `instances` that another row (or another of them) already has;
    True when any was, that is when the collision was one of these codes."""
    redrawn = False
    for field, draw in codes.items():
        values = [getattr(instance, field) for instance in instances]
        taken = set(model._default_manager.filter(**{f"{field}__in": values}).values_list(field, flat=True))
        seen = set()
        for instance, value in zip(instances, values, strict=True):
            if value in taken or value in seen:
                setattr(instance, field, draw())
                redrawn = True
            seen.add(getattr(instance, field))
    return redrawn


def insert_with_fresh_codes(instance, codes):
    """Insert `instance` with its random unique `codes` ({field: function drawing a code}) drawn
    now; when one collides with a stored row, draw that one again and retry, up to CODE_ATTEMPTS
    times.

    Each attempt runs in a savepoint, so the caller's transaction goes on after a collision. Any
    other integrity error (another unique field, a foreign key) is raised as it is.
    """
    _draw([instance], codes)
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
            return instance
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1 or not _redraw_taken(type(instance), [instance], codes):
                raise
    raise AssertionError("unreachable")


def bulk_insert_with_fresh_codes(model, instances, codes):
    """`bulk_create` with the collision retry of `insert_with_fresh_codes` (codes drawn afresh for
    the rows whose code is taken, in the database or within the batch)."""
    _draw(instances, codes)
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return model._default_manager.bulk_create(instances)
        except IntegrityError:
            for instance in instances:
                instance.pk = None  # SQLite may have set them before the batch failed
            if attempt == CODE_ATTEMPTS - 1 or not _redraw_taken(model, instances, codes):
                raise
    raise AssertionError("unreachable")
