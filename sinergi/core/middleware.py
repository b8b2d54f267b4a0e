"""Request-wide middleware: request ids for logs and audit, and headers Django does not set."""

import contextvars
import logging
import re
import secrets

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from .net import from_trusted_proxy

_request_id = contextvars.ContextVar("sinergi_request_id", default="-")
_VALID_INCOMING_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def current_request_id():
    return _request_id.get()


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """Give each request an id for logs and the audit trail: generated here, or nginx's
    `$request_id` when the request comes from a trusted proxy (which sets the header itself).
    A client's own X-Request-ID is never taken: it would let anyone write the id of another
    request into the audit trail and the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "") if from_trusted_proxy(request) else ""
        request_id = incoming if _VALID_INCOMING_ID.match(incoming) else secrets.token_hex(8)
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; no caching of any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Every page may show, or lead to, something about a survivor: browsers and proxies must
        # not keep a copy, logged in or not. Only versioned static assets may be cached.
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class ChosenLanguageMiddleware:
    """Indonesian unless the person chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to English
    would show English first. Here only the switch's cookie (settings.LANGUAGE_COOKIE_NAME, set by
    `set_language`) picks another language; anything else gets settings.LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = (
                translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
            )
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response


def _has_nul(values):
    return any("\x00" in value for value in values)


def _query_has_nul(query):
    return _has_nul(query.keys()) or any(_has_nul(query.getlist(key)) for key in query)


class RejectNulMiddleware:
    """A NUL byte anywhere in a request is a 400 page, before any view or query sees it.

    No legitimate input has one, PostgreSQL cannot store or even compare one (a lookup by an id
    with a NUL is a server error there), and the audit trail records ids and paths. One check
    here, instead of one per view: the path, the query string, cookies and headers on every
    request; the POST fields and file names when the view is reached. Views that read their body
    themselves (csrf_exempt, to set their upload limit first) parse it after this runs: their
    forms' fields refuse a NUL (Django's CharField does, and ids go through forms).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_"))
        if (
            "\x00" in request.path_info
            or _query_has_nul(request.GET)
            or _has_nul(request.COOKIES.keys())
            or _has_nul(request.COOKIES.values())
            or _has_nul(value for value in headers if isinstance(value, str))
        ):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        if _query_has_nul(request.POST) or _has_nul(f.name or "" for f in request.FILES.values()):
            raise BadRequest("NUL byte in the request")
        return None
