"""Views every part of Sinergi shares: health check, error pages."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)

try:  # the Redis client is there when a Redis cache is configured
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _PASSING_OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - redis is a dependency
    _PASSING_OUTAGES = (OperationalError, InterfaceError)


@login_not_required
@require_http_methods(["GET", "HEAD"])
@never_cache
def healthz(request):
    """Liveness, database and cache reachability for load balancers; exposes no data.

    Without the database nothing works (503). Without the cache the pages still answer, but the
    PIN check of the public portal is refused and limits are not counted: "degraded", still 200,
    since every instance shares the one cache and taking them all out of rotation helps nobody."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("healthz: database unreachable: %s", exc.__class__.__name__)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    try:
        cache.get("sinergi:healthz")
    except Exception as exc:
        logger.error("healthz: cache unreachable: %s", exc.__class__.__name__)
        return JsonResponse({"status": "degraded", "database": "ok", "cache": "unreachable"})
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok"})


def _error_page(request, template, status):
    """Staff see the error inside their own layout; anyone else inside the public pages' layout,
    with the quick exit (a survivor may meet an error page too). Neither says more than the code."""
    user = getattr(request, "user", None)
    staff = user is not None and user.is_authenticated
    layout = "base.html" if staff else "portal/public_base.html"
    return render(request, template, {"error_layout": layout}, status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error_page(request, "errors/400.html", 400)


@login_not_required
def permission_denied(request, exception=None):
    return _error_page(request, "errors/403.html", 403)


@login_not_required
def page_not_found(request, exception=None):
    return _error_page(request, "errors/404.html", 404)


#: Seconds a client is asked to wait when the database is unreachable (a restart takes a few).
RETRY_AFTER_SECONDS = 5


@login_not_required
def server_error(request):
    """The 500 page, or a calm 503 "try again in a moment" when the error is the database or the
    cache being unreachable (a restart, a failover): that is not a fault of the page, and it passes."""
    # Rendered without a request context: the error may come from a context processor or the DB.
    if isinstance(sys.exc_info()[1], _PASSING_OUTAGES):
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


@login_not_required
def csrf_failure(request, reason=""):
    logger.warning("CSRF failure on %s", request.path)
    return _error_page(request, "errors/403_csrf.html", 403)
