"""Account security on every request: session time limits, the MFA requirement, audited refusals.

Session limits
    A signed-in session ends SINERGI_SESSION_IDLE_MINUTES (30) after the last activity, and
    SINERGI_SESSION_MAX_HOURS (12) after the login whatever the activity. The login time and the
    last activity are kept in the session (security.SESSION_LOGIN_AT / SESSION_LAST_ACTIVITY, as
    epoch seconds; the activity is rewritten at most every ACTIVITY_RESOLUTION seconds).

    Polling convention: a request a page makes by itself on a timer must carry the header
    ``X-Sinergi-Poll: 1``, e.g. ``hx-trigger="every 30s" hx-headers='{"X-Sinergi-Poll": "1"}'``.
    It is served (or refused once the session has ended) but is not activity, so a dashboard left
    open does not keep a session alive.

    An ended session is logged out, audited as ``auth.session_expired`` (reason "idle" or
    "absolute"), and the browser is sent to the login page with a message; htmx requests get an
    ``HX-Redirect`` instead of a 302 (so the login page does not land inside a page fragment).

MFA requirement
    A signed-in user for whom security.mfa_required_for() holds and who has no TOTP authenticator
    is sent to allauth's activation page (``mfa_activate_totp``) from every page except the MFA
    pages themselves, logout, re-authentication, the language switch, static files and /healthz.
    allauth then shows the recovery codes it generated with the TOTP.

Refusals
    A request Django refuses with a 400 (oversized or malformed body, BadRequest) is audited as
    ``request.rejected``; a CSRF failure as ``request.csrf_failed`` (through CSRF_FAILURE_VIEW =
    csrf_failure below). A view answering an invalid form with a 400 is not a refusal.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core.errors import AuditedDenial
from sinergi.core.views import csrf_failure as form_expired_page

from . import security

POLL_HEADER = "X-Sinergi-Poll"
#: Activity is rewritten at most this often, so a burst of requests is one session write.
ACTIVITY_RESOLUTION = 30

EXPIRED_MESSAGES = {
    "idle": _("Your session has ended because you were inactive for a while. Please log in again."),
    "absolute": _("Your session has ended because it reached its maximum length. Please log in again."),
}
MFA_REQUIRED_MESSAGE = _(
    "Your account must be protected with an authenticator app. Set it up to continue: it takes a minute."
)


def is_poll(request):
    return request.headers.get(POLL_HEADER) == "1"


def _safe_reverse(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _untouched_path(request):
    """Static files and the health check: no session policy at all."""
    healthz = _safe_reverse("healthz")
    return request.path.startswith(settings.STATIC_URL) or (healthz is not None and request.path == healthz)


def _mfa_exempt_path(path):
    prefixes = [
        _safe_reverse(name)
        for name in ("mfa_index", "account_logout", "account_reauthenticate", "set_language")
    ]
    return any(prefix and path.startswith(prefix) for prefix in prefixes)


def _auth_pages():
    return [
        p for p in (_safe_reverse(n) for n in ("account_login", "account_reauthenticate", "mfa_index")) if p
    ]


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request, exception):
        # A right that said no inside a service (sinergi.core.errors.AuditedDenial): the view's
        # transactions have rolled back by now, so the denial is written for good.
        if isinstance(exception, AuditedDenial):
            audit_record(actor=request.user, outcome=Outcome.DENIED, **exception.audit)
        return None

    def __call__(self, request):
        response = None
        if not _untouched_path(request) and request.user.is_authenticated:
            response = self._session_limits(request) or self._mfa_requirement(request)
        if response is None:
            response = self.get_response(request)
        return self._after(request, response)

    # --- session limits -------------------------------------------------------------------

    def _session_limits(self, request):
        session, now = request.session, time.time()
        login_at = session.get(security.SESSION_LOGIN_AT)
        last = session.get(security.SESSION_LAST_ACTIVITY)
        if not isinstance(login_at, (int, float)) or not isinstance(last, (int, float)):
            # A session from before these limits: they start counting now.
            session[security.SESSION_LOGIN_AT] = login_at = (
                login_at if isinstance(login_at, (int, float)) else now
            )
            session[security.SESSION_LAST_ACTIVITY] = last = now
        if now - last > settings.SINERGI_SESSION_IDLE_MINUTES * 60:
            return self._end_session(request, "idle")
        if now - login_at > settings.SINERGI_SESSION_MAX_HOURS * 3600:
            return self._end_session(request, "absolute")
        if not is_poll(request) and now - last >= ACTIVITY_RESOLUTION:
            session[security.SESSION_LAST_ACTIVITY] = now
        return None

    def _end_session(self, request, reason):
        user = request.user
        audit_record(
            actor=user,
            action="auth.session_expired",
            outcome=Outcome.DENIED,
            object_type="user",
            object_id=user.public_id,
            details={"reason": reason, "path": request.path[:200]},
        )
        logout(request)
        messages.info(request, EXPIRED_MESSAGES[reason])
        login_url = resolve_url(settings.LOGIN_URL)
        htmx = getattr(request, "htmx", None)
        if htmx:
            # Come back to the page the fragment was part of, not to the fragment.
            back_to = htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(redirect_to_login(back_to, login_url)["Location"])
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), login_url)
        return redirect(login_url)

    # --- MFA requirement ------------------------------------------------------------------

    def _mfa_requirement(self, request):
        user = request.user
        if not security.mfa_required_for(user) or _mfa_exempt_path(request.path):
            return None
        if security.has_totp(user):
            return None
        url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", None):
            return HttpResponseClientRedirect(url)
        if request.method == "GET":
            messages.warning(request, MFA_REQUIRED_MESSAGE)
        return redirect(url)

    # --- on the way out -------------------------------------------------------------------

    def _after(self, request, response):
        # Only a 400 Django made from an exception (an oversized or malformed request, BadRequest):
        # those responses are already logged (log_response marks them) by the time they pass here,
        # while a view's own 400 for an invalid form is not, and is no refusal to audit.
        if response.status_code == 400 and getattr(response, "_has_been_logged", False):
            user = getattr(request, "user", None)
            audit_record(
                actor=user,
                action="request.rejected",
                outcome=Outcome.DENIED,
                details={"status": 400, "method": request.method[:10], "path": request.path[:200]},
            )
        elif (
            getattr(request, "htmx", None)
            and response.status_code in {301, 302, 303}
            and any(response.get("Location", "").startswith(page) for page in _auth_pages())
        ):
            # Login and re-authentication redirects (allauth's, LoginRequiredMiddleware's) must
            # replace the whole page, not be swapped into a fragment.
            return HttpResponseClientRedirect(response["Location"])
        return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: audit the refusal, then show the usual "form expired" page."""

    audit_record(
        actor=getattr(request, "user", None),
        action="request.csrf_failed",
        outcome=Outcome.DENIED,
        details={"path": request.path[:200], "reason": str(reason)[:120]},
    )
    return form_expired_page(request, reason=reason)
