from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import PermissionDenied

from sinergi.core.crypto import decrypt, encrypt
from sinergi.core.net import client_address

from . import security


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: accounts are created by an administrator or a unit head.

    Login attempts go through Sinergi's lockout (security.py): a locked account is refused before
    its password is even checked, and each failure counts towards a lock.
    """

    def get_client_ip(self, request):
        # allauth's rate limits and session list: the same client address as every other limit.
        ip = client_address(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def is_open_for_signup(self, request):
        return False

    def authenticate(self, request, **credentials):
        # The attempt is counted before the password is checked (atomically), so parallel
        # requests cannot check more passwords than the lockout allows; a right one gives it back.
        if getattr(getattr(request, "user", None), "is_authenticated", False):
            # Re-authentication of a signed-in user: counted on the account at the address
            # threshold (whoever tries already holds a session), as a wrong second factor is.
            return super().authenticate(request, **credentials)
        username = credentials.get("username") or ""
        client = client_address(request) or "unknown"
        security.refuse_if_locked(username, client=client)
        security.reserve_login_attempt(username, client=client)
        request._sinergi_login_reserved = client
        try:
            user = super().authenticate(request, **credentials)
        finally:
            request._sinergi_login_reserved = None
        if user is not None:
            security.release_login_attempt(username, client=client)
        return user

    def pre_authenticate(self, request, **credentials):
        if not getattr(request, "_sinergi_login_reserved", None):  # else authenticate() checked
            security.refuse_if_locked(credentials.get("username") or "")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        client = getattr(request, "_sinergi_login_reserved", None)
        security.login_failed(credentials.get("username") or "", reserved=bool(client), client=client)

    def reauthenticate(self, user, password):
        confirmed = super().reauthenticate(user, password)
        if confirmed:
            security.login_succeeded(user)
        return confirmed


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted with the data key ring, like personal data:
    a copy of the database alone cannot produce anyone's second factor."""

    def encrypt(self, text):
        return encrypt(text, context="mfa.secret")

    def decrypt(self, encrypted_text):
        return decrypt(encrypted_text, context="mfa.secret")
