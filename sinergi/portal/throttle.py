"""Fixed-window rate limits for the public forms and the PIN lockout, on the atomic counters of
sinergi/core/counters.py (Redis when configured, a database row otherwise).

Keys carry a keyed hash of the address or code, never the address itself. Limits are
`(count, seconds)` pairs from settings.SINERGI_PORTAL_LIMITS (defaults below); see docs/portal.md.

When the counters cannot be reached (Redis down), nothing here raises a server error: a report is
never refused for it (the limits on reports fail open, logged), and the PIN check is refused until
the counters are back (`Unavailable`), since without a counter nothing would stop a PIN being
guessed.
"""

import hashlib
import hmac
import logging

from django.conf import settings

from sinergi.core import counters

logger = logging.getLogger("sinergi.portal")

DEFAULT_LIMITS = {
    # Reports accepted from one address, and from everyone together.
    "report_ip": (5, 60 * 60),
    "report_global": (200, 60 * 60),
    # Wrong code/PIN attempts from one address, and for one tracking code.
    "track_ip": (10, 15 * 60),
    "track_code": (5, 60 * 60),
    # Information added by reporters from one address.
    "add_info_ip": (10, 60 * 60),
}

#: Scopes whose check is refused, not waved through, while the counters are unreachable.
FAIL_CLOSED = frozenset({"track_ip", "track_code"})


class Unavailable(Exception):
    """The counter of a fail-closed scope cannot be reached: refuse the check for now."""


def limit_for(scope):
    limits = {**DEFAULT_LIMITS, **getattr(settings, "SINERGI_PORTAL_LIMITS", {})}
    return limits[scope]


def _digest(ident):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"portal-throttle:{ident}".encode(), hashlib.sha256).hexdigest()[:32]


def _key(scope, ident):
    return f"portal:{scope}:{_digest(ident)}"


def attempt(scope, ident=""):
    """Take one slot before the guarded work: True while the slot is within the limit.

    Parallel requests each take their own slot, so no more than the limit ever get through.
    Raises Unavailable for a fail-closed scope whose counter cannot be reached."""
    try:
        return counters.take(_key(scope, ident), limit_for(scope)[1]) <= limit_for(scope)[0]
    except Exception as exc:
        logger.error(
            "portal throttle: the counters are unreachable (%s), scope %s", exc.__class__.__name__, scope
        )
        if scope in FAIL_CLOSED:
            raise Unavailable(scope) from exc
        return True


def refund(scope, ident=""):
    """Give back the slot of an attempt that does not count (a right PIN)."""
    try:
        counters.give_back(_key(scope, ident), limit_for(scope)[1])
    except Exception as exc:
        logger.error(
            "portal throttle: the counters are unreachable (%s), scope %s not refunded",
            exc.__class__.__name__,
            scope,
        )
