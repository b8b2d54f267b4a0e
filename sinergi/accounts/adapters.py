from allauth.account.adapter import DefaultAccountAdapter

from . import security


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: accounts are created by an administrator or a unit head.

    Login attempts go through Sinergi's lockout (security.py): a locked account is refused before
    its password is even checked, and each failure counts towards a lock.
    """

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
