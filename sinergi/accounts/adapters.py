from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: accounts are created by an administrator or a unit head."""

    def is_open_for_signup(self, request):
        return False
