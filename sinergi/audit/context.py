"""Who is acting, from where: filled per request by AuditContextMiddleware, read by audit_record."""

import contextvars
from dataclasses import dataclass

from sinergi.core.net import client_address


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


_EMPTY = RequestContext()  # frozen, so sharing it as the default is safe
_context = contextvars.ContextVar("sinergi_audit_context", default=_EMPTY)  # noqa: B039


def current():
    return _context.get()


def client_ip(request):
    # The one way the app names a client (core/net.py): X-Forwarded-For only from a trusted proxy.
    return client_address(request)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _context.set(
            RequestContext(
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:300],
                request_id=getattr(request, "request_id", ""),
            )
        )
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)
