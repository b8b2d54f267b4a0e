"""Permission-matrix rows of the set-password link and the two-person resets (merged by
workspace/tests/matrix_table.py): an account with a password is reset only by asking and a second
manager's approval (sinergi.accounts.resets)."""

from allauth.mfa.models import Authenticator

from sinergi.accounts.choices import Role
from sinergi.accounts.models import CredentialReset, User
from sinergi.audit.models import AuditEvent
from sinergi.testing.matrix import (
    OTHER_HEADS_404,
    Guarded,
    Row,
    _fresh,
    _post_only,
    _target_id,
    _url,
    statuses,
)


def _target_has_totp(w):
    if not Authenticator.objects.filter(user=w.target).exists():
        Authenticator.objects.create(user=w.target, type=Authenticator.Type.TOTP, data={})


def _target_without_password(w):
    User.objects.filter(pk=w.target.pk).update(password="!unusable")


def _pending_reset_id(w):
    """An MFA reset of the target asked for by a second administrator, so either of the target's
    managers (the admin, the unit's kepala) is the second person."""
    _target_has_totp(w)
    other_admin = User.objects.filter(username="admin_kedua").first() or User.objects.create(
        username="admin_kedua", role=Role.ADMIN_SISTEM, full_name="Admin Kedua"
    )
    reset = CredentialReset.objects.filter(user=w.target, kind="mfa", approved_at__isnull=True).first()
    if reset is None:
        reset = CredentialReset.objects.create(user=w.target, kind="mfa", requested_by=other_admin)
    return reset.public_id


def _managers_action(name, *, effect, variant="", prepare=None, data=None, status=302, args=(_target_id,)):
    return Row(
        variant=variant,
        url=_url(name, *args),
        method="post",
        data=data,
        prepare=prepare,
        expect=statuses({status: "admin kepala", 404: OTHER_HEADS_404}, default=403),
        effect=effect,
        denied="user.view",
    )


ROUTES = {
    "accounts:user_password_link": Guarded(
        permission="user.manage",
        reauth_as="kepala",
        rows=(
            _post_only("accounts:user_password_link", _target_id),
            # An account with a password: a reset is asked for, nothing else changes yet.
            _managers_action(
                "accounts:user_password_link",
                effect=lambda w: (
                    CredentialReset.objects.filter(user=w.target, kind="password").exists()
                    and _fresh(w.target).has_usable_password()
                ),
            ),
            # An account without a password yet: the page showing its first link (never stored).
            _managers_action(
                "accounts:user_password_link",
                variant="no-password-yet",
                prepare=_target_without_password,
                status=200,
                effect=lambda w: AuditEvent.objects.filter(
                    action="user.password_link", outcome="ok", object_id=w.target.public_id
                ).exists(),
            ),
        ),
    ),
    "accounts:user_mfa_reset": Guarded(
        permission="user.manage",
        reauth_as="kepala",
        rows=(
            _post_only("accounts:user_mfa_reset", _target_id),
            _managers_action(
                "accounts:user_mfa_reset",
                variant="target-with-totp",
                prepare=_target_has_totp,
                effect=lambda w: (
                    CredentialReset.objects.filter(user=w.target, kind="mfa").exists()
                    and Authenticator.objects.filter(user=w.target).exists()
                ),
            ),
        ),
    ),
    "accounts:user_reset_approve": Guarded(
        permission="user.manage",
        reauth_as="kepala",
        rows=(
            _post_only("accounts:user_reset_approve", _target_id, _pending_reset_id),
            _managers_action(
                "accounts:user_reset_approve",
                variant="mfa-reset-asked-by-another-admin",
                args=(_target_id, _pending_reset_id),
                data=lambda w: {"confirm": "ya"},
                effect=lambda w: not Authenticator.objects.filter(user=w.target).exists(),
            ),
        ),
    ),
}
