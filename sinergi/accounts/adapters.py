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

    def pre_authenticate(self, request, **credentials):
        security.refuse_if_locked(credentials.get("username") or "")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        security.login_failed(credentials.get("username") or "")

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
