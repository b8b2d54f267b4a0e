from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sinergi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import security  # connects the login, MFA and lockout signal receivers

        checks.register(security.check_security_settings, checks.Tags.security)
        checks.register(security.check_mfa_required_in_production, checks.Tags.security, deploy=True)
