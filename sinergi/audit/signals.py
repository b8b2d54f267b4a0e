"""Authentication events for the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .choices import Outcome
from .services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", object_type="user", object_id=user.public_id)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", object_type="user", object_id=user.public_id)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is recorded (it identifies staff, not survivors); never the password.
    attempted = str(credentials.get("username") or credentials.get("login") or "")[:150]
    audit_record(actor=None, action="auth.login_failed", outcome=Outcome.FAILED, username=attempted)
