"""Fixed-window counters in the Django cache: rate limits for the public forms and the PIN lockout.

Keys carry a keyed hash of the address or code, never the address itself. Limits are
`(count, seconds)` pairs from settings.SINERGI_PORTAL_LIMITS (defaults below); see docs/portal.md.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

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
    """True once the window's count reached the limit."""
    return count(scope, ident) >= limit_for(scope)[0]


def hit(scope, ident=""):
    """Count one event; returns the new count."""
    key = _key(scope, ident)
    _count, window = limit_for(scope)
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1
