"""Sinergi's own error pages in every mode, DEBUG and the demo included.

With DEBUG on, Django answers a wrong URL, a raised Http404, a bad request and an uncaught error
with its technical pages, which list every route of the installation or show code and settings.
A demo runs with DEBUG on in front of people who are not developers, so this middleware puts the
product's own pages in their place unless a developer asks for the technical ones
(SINERGI_TECHNICAL_ERRORS, off by default). With DEBUG off it does nothing: Django already uses
the handlers in sinergi/urls.py.
"""

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import get_urlconf, is_valid_path

from . import views

logger = logging.getLogger("django.request")


def _own_pages_wanted():
    return settings.DEBUG and not getattr(settings, "SINERGI_TECHNICAL_ERRORS", False)


class OwnErrorPagesMiddleware:
    """Last in MIDDLEWARE: its pages pass through every other middleware (headers, CSP, the
    trailing-slash redirect of CommonMiddleware, which still sees the 404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A URL no pattern matches never reaches a view (so not process_exception): Django's
        # technical 404 was made below. The path tells it apart from a view's own 404.
        if (
            response.status_code == 404
            and _own_pages_wanted()
            and not is_valid_path(request.path_info, getattr(request, "urlconf", None) or get_urlconf())
        ):
            return views.page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if not _own_pages_wanted() or isinstance(exception, PermissionDenied):
            return None  # PermissionDenied already gets handler403 in every mode
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, SuspiciousOperation | BadRequest):
            logger.warning("Bad request on %s: %s", request.path, exception.__class__.__name__)
            return views.bad_request(request, exception)
        # What Django does for an uncaught error, minus the technical page: tell the listeners
        # (the test client re-raises through this signal) and log it with its traceback.
        signals.got_request_exception.send(sender=None, request=request)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return views.server_error(request)
