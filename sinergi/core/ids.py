"""Identifiers shared by every model."""

import secrets


def new_public_id():
    """A random, URL-safe id: unguessable, and never derived from a name or a number."""
    return secrets.token_urlsafe(12)
