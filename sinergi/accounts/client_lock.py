"""Login attempts per (client address, account): the lock an attacker meets (issue 15, item 3).

Five wrong passwords from one address lock the account *for that address* for
SINERGI_LOCKOUT_MINUTES; the owner, from anywhere else, still logs in. The account itself is
locked for everyone only after SINERGI_LOCKOUT_GLOBAL_THRESHOLD failures from all addresses
together (security.py): the slower global backoff that still stops a distributed guess.

The counters are the atomic ones of sinergi/core/counters.py, taken before the password is
checked. Keys hold digests of the username and the address, and a generation that an
administrator's unlock moves on, so an unlock lifts every address's lock at once.
"""

import hashlib

from django.conf import settings

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core import counters

GENERATION_WINDOW = 10 * 365 * 24 * 3600  # the generation lives as long as the installation


def threshold():
    return max(1, int(settings.SINERGI_LOCKOUT_THRESHOLD))


def window():
    return max(1, int(settings.SINERGI_LOCKOUT_MINUTES)) * 60


def _digest(text, size):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{text}".encode()).hexdigest()[:size]


def _generation_key(username):
    return f"sinergi:login-gen:{_digest(username.strip().casefold(), 32)}"


def _key(username, client):
    generation = counters.current(_generation_key(username), GENERATION_WINDOW)
    return f"sinergi:login:{_digest(username.strip().casefold(), 32)}:{generation}:{_digest(client, 16)}"


def reserve(username, client):
    """Take this address's next attempt on the account; False when its attempts are used up."""
    key = _key(username, client)
    if counters.take(key, window()) > threshold():
        counters.give_back(key, window())
        return False
    return True


def give_back(username, client):
    counters.give_back(_key(username, client), window())


def locked(username, client):
    return counters.current(_key(username, client), window()) >= threshold()


def failed(username, client):
    """After a failed (already counted) attempt: one `auth.lockout` event when the address's
    attempts are used up."""
    key = _key(username, client)
    if counters.current(key, window()) >= threshold() and counters.take(key + ":lock", window()) == 1:
        audit_record(
            actor=None,
            action="auth.lockout",
            outcome=Outcome.DENIED,
            username=username[:150],
            details={"failures": threshold(), "minutes": window() // 60, "scope": "address"},
        )


def succeeded(username, client):
    """A right password: this address starts again from zero."""
    counters.forget(_key(username, client), window())


def unlock(username):
    """Lift every address's lock on the account (a new generation of keys)."""
    counters.take(_generation_key(username), GENERATION_WINDOW)
