"""Fixed-window counters in the Django cache: rate limits for the public forms and the PIN lockout.

Keys carry a keyed hash of the address or code, never the address itself. Limits are
`(count, seconds)` pairs from settings.SINERGI_PORTAL_LIMITS (defaults below); see docs/portal.md.

When the cache cannot be reached (Redis down), nothing here raises: a report is never refused for
it (the limits on reports fail open, logged), and the PIN check is refused until the cache is back
(`Unavailable`), since without a counter nothing would stop a PIN being guessed.
"""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache

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


#: Scopes whose check is refused, not waved through, while the cache is unreachable.
FAIL_CLOSED = frozenset({"track_ip", "track_code"})


class Unavailable(Exception):
    """The counter of a fail-closed scope cannot be read: refuse the check for now."""


def limit_for(scope):
    limits = {**DEFAULT_LIMITS, **getattr(settings, "SINERGI_PORTAL_LIMITS", {})}
    return limits[scope]


def _digest(ident):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"portal-throttle:{ident}".encode(), hashlib.sha256).hexdigest()[:32]


def _key(scope, ident):
    _count, window = limit_for(scope)
    return f"portal:{scope}:{_digest(ident)}:{int(time.time() // window)}"


def count(scope, ident=""):
    return cache.get(_key(scope, ident), 0)


def blocked(scope, ident=""):
    """True once the window's count reached the limit. Raises Unavailable for a fail-closed scope
    whose counter cannot be read; any other scope is not blocked then."""
    try:
        return count(scope, ident) >= limit_for(scope)[0]
    except Exception as exc:
        logger.error(
            "portal throttle: the cache is unreachable (%s), scope %s", exc.__class__.__name__, scope
        )
        if scope in FAIL_CLOSED:
            raise Unavailable(scope) from exc
        return False


def hit(scope, ident=""):
    """Count one event; returns the new count (0 when the cache is unreachable, logged)."""
    key = _key(scope, ident)
    _count, window = limit_for(scope)
    try:
        cache.add(key, 0, timeout=window + 5)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            return 1
    except Exception as exc:
        logger.error(
            "portal throttle: the cache is unreachable (%s), scope %s not counted",
            exc.__class__.__name__,
            scope,
        )
        return 0
