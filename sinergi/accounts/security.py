"""Account security policy: login lockout, the MFA requirement, session limits, re-authentication.

What other apps call (all keyword-only services write their audit event themselves):

    user_unlock(*, actor, user)          lift a login lock                      → audit `user.unlock`
    user_disable(*, actor, user)         deactivate and sign out everywhere     → audit `user.disable`
    mfa_reset(*, actor, user)            remove the user's authenticators       → audit `mfa.reset`
    user_sessions_end_all(user) -> int   end every session of the user (no audit: the caller's event)
    locked_users(actor=None)             users locked right now (scoped to what `actor` may manage)
    may_manage_user(actor, user) -> bool the `user.manage` rule the services above apply
    @reauth_required                     on export, user-management and break-glass views

Lockout: SINERGI_LOCKOUT_THRESHOLD (5) consecutive failed logins lock an account for
SINERGI_LOCKOUT_MINUTES (15). While locked, even the right password (or MFA code) is refused with
LOCKED_MESSAGE. A successful login resets the count. Usernames that do not exist get the same
treatment from a cache-held counter, so the lock message tells nobody whether an account exists.
Events: `auth.lockout` when a lock starts, `auth.login_locked` for each attempt during one.
The account adapter (adapters.py) and the MFA forms below call into this module.
"""

import hashlib
import time
from datetime import timedelta
from importlib import import_module

from allauth.account.decorators import reauthentication_required
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import (
    authentication_failed as mfa_authentication_failed,
)
from allauth.mfa.signals import (
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core import counters

from . import client_lock
from .choices import Role
from .models import User
from .policies import may_manage_user
from .selectors import locked_users, users_manageable_by  # noqa: F401 (locked_users re-exported)

LOCKED_MESSAGE = _(
    "This account is temporarily locked after too many failed attempts. "
    "Try again later or ask an administrator to unlock it."
)

#: Session keys written at login and on each request (see middleware.py).
SESSION_LOGIN_AT = "sinergi_login_at"
SESSION_LAST_ACTIVITY = "sinergi_last_activity"


# --- Lockout --------------------------------------------------------------------------------


def lockout_threshold():
    return max(1, int(settings.SINERGI_LOCKOUT_THRESHOLD))


def global_threshold():
    """Failures from all addresses together that lock the account for everyone (client_lock.py:
    the lock per address comes first, at lockout_threshold())."""
    return max(lockout_threshold(), int(settings.SINERGI_LOCKOUT_GLOBAL_THRESHOLD))


def lockout_duration():
    return timedelta(minutes=max(1, int(settings.SINERGI_LOCKOUT_MINUTES)))


def find_user_by_username(username):
    """The account a login form's username names: exact match first, then a unique case-insensitive
    one (as allauth's authentication backend does)."""
    username = (username or "").strip()
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        candidates = list(User.objects.filter(username__iexact=username)[:2])
        user = candidates[0] if len(candidates) == 1 else None
    return user


def is_locked(user, *, now=None):
    return bool(user.locked_until and user.locked_until > (now or timezone.now()))


def _phantom_key(username):
    digest = hashlib.sha256(username.strip().casefold().encode("utf-8")).hexdigest()
    return f"sinergi:lockout:{digest}"


def _phantom_window():
    return int(lockout_duration().total_seconds())


def _phantom_count(username):
    # The atomic counters (Redis or the database, core/counters.py): shared by every worker like
    # a real account's row, so a lock behaves the same whether or not the account exists.
    return counters.current(_phantom_key(username), _phantom_window())


def _phantom_locked(username):
    return _phantom_count(username) >= global_threshold()


def login_is_locked(username):
    """True while the account named `username` (existing or not) is locked."""
    user = find_user_by_username(username)
    if user is not None:
        return is_locked(user)
    return bool((username or "").strip()) and _phantom_locked(username)


def record_locked_attempt(username, *, user=None):
    """Audit a refused attempt on a locked account (`auth.login_locked`)."""
    user = user or find_user_by_username(username)
    audit_record(
        actor=None,
        action="auth.login_locked",
        outcome=Outcome.DENIED,
        object_type="user" if user else "",
        object_id=user.public_id if user else "",
        username=(user.username if user else str(username or ""))[:150],
    )


def refuse_if_locked(username, *, user=None, client=None):
    """Raise the lock's ValidationError (and audit the attempt) while the account is locked, for
    everyone or (`client`: the address of a password login) for this address."""
    locked = is_locked(user) if user is not None else login_is_locked(username)
    if not locked and client is not None and (username or "").strip():
        locked = client_lock.locked(username.strip(), client)
    if locked:
        record_locked_attempt(username, user=user)
        raise ValidationError(LOCKED_MESSAGE, code="account_locked")


def reserve_login_attempt(username, *, client=None):
    """Take one of the account's attempts before its password is checked, atomically (the row is
    locked while it is counted), so parallel requests never check more passwords than the
    threshold: once as many attempts are counted or in flight, the next is refused as locked.
    A right password gives the attempt back (release_login_attempt)."""
    username = (username or "").strip()
    if not username:
        return
    if client is not None and not client_lock.reserve(username, client):
        record_locked_attempt(username)
        raise ValidationError(LOCKED_MESSAGE, code="account_locked")
    user = find_user_by_username(username)
    if user is None:
        if counters.take(_phantom_key(username), _phantom_window()) > global_threshold():
            counters.give_back(_phantom_key(username), _phantom_window())
            if client is not None:
                client_lock.give_back(username, client)
            record_locked_attempt(username)
            raise ValidationError(LOCKED_MESSAGE, code="account_locked")
        return
    with transaction.atomic():
        row = User.objects.select_for_update().filter(pk=user.pk).first()
        full = row is not None and (is_locked(row) or row.failed_login_count >= global_threshold())
        if row is not None and not full:
            User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    if full:  # refused outside the transaction, so the audit event of the refusal stays
        if client is not None:
            client_lock.give_back(username, client)
        record_locked_attempt(username, user=row)
        raise ValidationError(LOCKED_MESSAGE, code="account_locked")


def release_login_attempt(username, *, client=None):
    """Give back the attempt reserve_login_attempt took (the password was right); the address
    starts again from zero."""
    username = (username or "").strip()
    if username and client is not None:
        client_lock.succeeded(username, client)
    user = find_user_by_username(username) if username else None
    if user is None:
        if username:
            counters.give_back(_phantom_key(username), _phantom_window())
        return
    User.objects.filter(pk=user.pk, failed_login_count__gt=0).update(
        failed_login_count=F("failed_login_count") - 1
    )


def login_failed(username, *, user=None, reserved=False, client=None):
    """Count one failed attempt (password or MFA code); start a lock at the threshold.

    `reserved`: the attempt was already counted by reserve_login_attempt (a password login from
    the address `client`)."""
    if client is not None and (username or "").strip():
        client_lock.failed(username.strip(), client)
    user = user or find_user_by_username(username)
    if user is None:
        _phantom_login_failed(username, reserved=reserved)
        return
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk).first()
        if locked is None or is_locked(locked, now=now):
            return
        count = locked.failed_login_count + (0 if reserved else 1)
        # A wrong password can come from anyone: the account locks for everyone only at the
        # slower global threshold. A wrong second factor or re-authentication comes from someone
        # who already has the password or a session: it locks at the address threshold.
        if count < (global_threshold() if reserved else lockout_threshold()):
            User.objects.filter(pk=user.pk).update(failed_login_count=count)
            return
        # The count starts again after the lock, so each lock allows a fresh set of attempts.
        until = now + lockout_duration()
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=until)
        audit_record(
            actor=None,
            action="auth.lockout",
            outcome=Outcome.DENIED,
            object_type="user",
            object_id=locked.public_id,
            username=locked.username,
            details={"failures": count, "minutes": int(lockout_duration().total_seconds() // 60)},
        )


def _phantom_login_failed(username, *, reserved=False):
    username = (username or "").strip()
    if not username:
        return
    window = _phantom_window()
    count = _phantom_count(username) if reserved else counters.take(_phantom_key(username), window)
    # One lockout event per lock, however many attempts were in flight when it was reached.
    if count >= global_threshold() and counters.take(_phantom_key(username) + ":lock", window) == 1:
        audit_record(
            actor=None,
            action="auth.lockout",
            outcome=Outcome.DENIED,
            username=username[:150],
            details={"failures": global_threshold(), "minutes": int(window // 60)},
        )


def login_succeeded(user):
    """Reset the failure count after a full login or a successful re-authentication."""
    User.objects.filter(pk=user.pk).filter(
        Q(failed_login_count__gt=0) | Q(locked_until__isnull=False)
    ).update(failed_login_count=0, locked_until=None)


# --- Who may manage whom --------------------------------------------------------------------


def _require_may_manage(actor, user, action):
    # actor=None is the system itself (a management command); people need `user.manage`.
    if actor is not None and not may_manage_user(actor, user):
        audit_record(
            actor=actor,
            action=action,
            outcome=Outcome.DENIED,
            object_type="user",
            object_id=user.public_id,
        )
        raise PermissionDenied


# --- Services -------------------------------------------------------------------------------


def user_unlock(*, actor, user):
    """Lift a login lock and clear the failure count."""
    _require_may_manage(actor, user, "user.unlock")
    with transaction.atomic():
        was_locked = is_locked(User.objects.select_for_update().get(pk=user.pk))
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        client_lock.unlock(user.username)
        audit_record(
            actor=actor,
            action="user.unlock",
            object_type="user",
            object_id=user.public_id,
            details={"was_locked": was_locked},
        )
    user.failed_login_count, user.locked_until = 0, None
    return user


def user_sessions_end_all(user):
    """End every session of `user`, on every device, at once. Returns how many were ended.

    allauth's UserSession rows cover the sessions it tracked; a database session store is then
    swept for any other session still signed in as the user (one created before tracking, say).
    """
    ended = 0
    for user_session in UserSession.objects.filter(user_id=user.pk):
        user_session.end()
        ended += 1
    if settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }:
        store_class = import_module(settings.SESSION_ENGINE).SessionStore
        user_pk = str(user.pk)
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if str(session.get_decoded().get(SESSION_KEY)) == user_pk:
                store_class().delete(session.session_key)
                ended += 1
    return ended


def user_disable(*, actor, user):
    """Deactivate an account and end all its sessions at once (ModelBackend refuses it from then on)."""
    _require_may_manage(actor, user, "user.disable")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot disable your own account."), code="disable_self")
    with transaction.atomic():
        was_active = User.objects.select_for_update().values_list("is_active", flat=True).get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(is_active=False)
        ended = user_sessions_end_all(user)
        audit_record(
            actor=actor,
            action="user.disable",
            object_type="user",
            object_id=user.public_id,
            changes={"is_active": [was_active, False]},
            details={"sessions_ended": ended},
        )
    user.is_active = False
    return user


def user_enable(*, actor, user):
    """Re-activate a disabled account; the user logs in with their password (or a new link)."""
    _require_may_manage(actor, user, "user.enable")
    with transaction.atomic():
        was_active = User.objects.select_for_update().values_list("is_active", flat=True).get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(is_active=True, failed_login_count=0, locked_until=None)
        audit_record(
            actor=actor,
            action="user.enable",
            object_type="user",
            object_id=user.public_id,
            changes={"is_active": [was_active, True]},
        )
    user.is_active = True
    return user


def mfa_reset(*, actor, user):
    """Remove every authenticator of `user` (lost phone): they set up a new one at their next request."""
    _require_may_manage(actor, user, "mfa.reset")
    with transaction.atomic():
        removed = list(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
        Authenticator.objects.filter(user_id=user.pk).delete()
        audit_record(
            actor=actor,
            action="mfa.reset",
            object_type="user",
            object_id=user.public_id,
            details={"removed": sorted(removed)},
        )
    return user


# --- MFA requirement ------------------------------------------------------------------------


def mfa_exempt_roles():
    return {r.strip().lower() for r in settings.SINERGI_MFA_EXEMPT_ROLES if r.strip()}


def mfa_required_for(user):
    """Whether `user` must have an authenticator app before using Sinergi."""
    if not getattr(settings, "SINERGI_MFA_REQUIRED", True):
        return False
    if settings.DEMO and getattr(user, "is_demo", False):
        return False
    return (user.role or "") not in mfa_exempt_roles()


def has_totp(user):
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


class MFAAuthenticateForm(AuthenticateForm):
    """allauth's login code form, refusing while the account is locked."""

    def clean_code(self):
        refuse_if_locked(self.user.username, user=User.objects.get(pk=self.user.pk))
        return super().clean_code()


class MFAReauthenticateForm(ReauthenticateForm):
    def clean_code(self):
        refuse_if_locked(self.user.username, user=User.objects.get(pk=self.user.pk))
        return super().clean_code()


# --- Re-authentication ----------------------------------------------------------------------


def reauth_required(view=None):
    """Ask for the password (or an MFA code) again unless confirmed in the last
    ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (300). A login alone does not count.

    Use on function views as `@reauth_required` (or `@reauth_required()`), on class-based views with
    `method_decorator(reauth_required, name="dispatch")`. GET and POST are both guarded; a POST is
    kept and replayed by allauth after the confirmation. Anonymous users go to the login page.
    """

    def decorator(view_func):
        guarded = reauthentication_required(view_func)
        guarded.sinergi_reauth_required = True  # for the route inventory
        return guarded

    return decorator(view) if view is not None else decorator


# --- Signal receivers (connected by importing this module: AccountsConfig.ready) ---------------


@receiver(user_logged_in, dispatch_uid="sinergi.accounts.security.logged_in")
def _on_logged_in(sender, request, user, **kwargs):
    login_succeeded(user)
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SESSION_LOGIN_AT] = now
        session[SESSION_LAST_ACTIVITY] = now


def _audit_authenticator(action, user, authenticator):
    audit_record(
        actor=user,
        action=action,
        object_type="user",
        object_id=user.public_id,
        details={"type": authenticator.type},
    )


@receiver(authenticator_added, dispatch_uid="sinergi.accounts.security.mfa_added")
def _on_authenticator_added(sender, request, user, authenticator, **kwargs):
    _audit_authenticator("mfa.activated", user, authenticator)


@receiver(authenticator_removed, dispatch_uid="sinergi.accounts.security.mfa_removed")
def _on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _audit_authenticator("mfa.deactivated", user, authenticator)


@receiver(authenticator_reset, dispatch_uid="sinergi.accounts.security.mfa_reset")
def _on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    _audit_authenticator("mfa.recovery_codes_regenerated", user, authenticator)


@receiver(mfa_authentication_failed, dispatch_uid="sinergi.accounts.security.mfa_failed")
def _on_mfa_failed(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=None,
        action="auth.mfa_failed",
        outcome=Outcome.FAILED,
        object_type="user",
        object_id=user.public_id,
        username=user.username,
        details={"reauthentication": bool(kwargs.get("reauthentication"))},
    )
    login_failed(user.username, user=user)


# --- System checks (registered in AccountsConfig.ready) ---------------------------------------


def check_security_settings(app_configs=None, **kwargs):
    errors = []
    unknown = sorted(mfa_exempt_roles() - set(Role.values))
    if unknown:
        errors.append(
            checks.Error(
                f"SINERGI_MFA_EXEMPT_ROLES names unknown roles: {', '.join(unknown)}.",
                hint=f"Use role codes from: {', '.join(Role.values)}.",
                id="accounts.E002",
            )
        )
    for name in (
        "SINERGI_LOCKOUT_THRESHOLD",
        "SINERGI_LOCKOUT_MINUTES",
        "SINERGI_SESSION_IDLE_MINUTES",
        "SINERGI_SESSION_MAX_HOURS",
    ):
        if int(getattr(settings, name)) < 1:
            errors.append(checks.Error(f"{name} must be 1 or more.", id="accounts.E003"))
    return errors


def check_mfa_required_in_production(app_configs=None, **kwargs):
    if getattr(settings, "PRODUCTION", False) and not getattr(settings, "SINERGI_MFA_REQUIRED", True):
        return [
            checks.Error(
                "SINERGI_MFA_REQUIRED is off in production: accounts could sign in with a password alone.",
                hint="Unset SINERGI_MFA_REQUIRED (it defaults to on); exempt roles with SINERGI_MFA_EXEMPT_ROLES.",
                id="accounts.E001",
            )
        ]
    return []
