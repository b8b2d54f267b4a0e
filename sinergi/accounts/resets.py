"""Resetting an active account's password or two-step verification: always two people.

The finding (issue 15): the system administrator ("no case content") could take over any account
with a set-password link — the old password kept working, the owner was not told, and the new
password was audited as set by the owner. Now (docs/security.md, "Account resets need two people"):

    reset_request(actor=, user=, kind=)   a manager asks          → audit `user.reset_request`
    reset_approve(actor=, reset=)          a second manager says yes → audit `user.reset_approve`

- The second person is another manager of the account (its unit's kepala, or an administrator),
  never the one who asked and never the owner.
- Approving a **password** reset ends the old password and every session at once and gives the
  approver a one-time set-password link to hand over; the password set through it is audited
  with the approver as its issuer (services.user_password_set: `user.password_set`, details
  `reset`, `requested_by`, `set_through_link`).
- Approving an **MFA** reset removes the authenticators; the owner sets up a new one at login.
- The owner is told by e-mail (when the account has an address) and the audit event says whether.
- A request not approved within PASSWORD_RESET_TIMEOUT (three days) lapses.
- An account that never had a password still gets its first link from one manager (nobody's
  access is taken over: there is none yet).
"""

import datetime as dt

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core.errors import Refusal

from .models import CredentialReset
from .policies import may_manage_user
from .security import user_sessions_end_all
from .services import password_link_path


def lifetime():
    return dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def pending_resets(user):
    """The open requests for `user`'s account, newest first."""
    return CredentialReset.objects.filter(
        user=user, approved_at__isnull=True, requested_at__gte=timezone.now() - lifetime()
    ).select_related("requested_by")


def resets_of(user):
    return CredentialReset.objects.filter(user=user).select_related("user", "requested_by")


def may_approve(actor, reset):
    return (
        actor.pk not in {reset.requested_by_id, reset.user_id}
        and reset.approved_at is None
        and reset.requested_at >= timezone.now() - lifetime()
        and may_manage_user(actor, reset.user)
    )


def _refuse_unmanaged(actor, user, action):
    if not may_manage_user(actor, user):
        audit_record(
            actor=actor, action=action, outcome=Outcome.DENIED, object_type="user", object_id=user.public_id
        )
        raise PermissionDenied


def reset_request(*, actor, user, kind):
    """Ask for a reset of `user`'s password or MFA; returns the (new or already open) request."""
    _refuse_unmanaged(actor, user, "user.reset_request")
    if actor.pk == user.pk:
        raise Refusal(
            _("Change your own password or two-step verification in your account settings."), code="own"
        )
    if not user.is_active:
        raise Refusal(_("This account is disabled: enable it first."), code="inactive")
    if kind == CredentialReset.Kind.MFA and not Authenticator.objects.filter(user_id=user.pk).exists():
        raise Refusal(_("This account has no two-step verification to reset."), code="no_mfa")
    if kind == CredentialReset.Kind.PASSWORD and not user.has_usable_password():
        raise Refusal(
            _("This account has no password yet: create a set-password link instead."), code="no_password"
        )
    with transaction.atomic():
        existing = pending_resets(user).filter(kind=kind).first()
        if existing is not None:
            return existing
        reset = CredentialReset.objects.create(user=user, kind=kind, requested_by=actor)
        audit_record(
            actor=actor,
            action="user.reset_request",
            object_type="user",
            object_id=user.public_id,
            details={"kind": kind, "reset": reset.public_id},
        )
    return reset


def _tell_owner(reset, approver):
    if not reset.user.email:
        return False
    with translation.override("id"):
        what = reset.get_kind_display()
        body = _(
            "Your Sinergi %(what)s was reset on %(when)s: asked by %(asked)s and approved by %(approved)s. "
            "If you did not ask for this, tell the head of your unit at once."
        ) % {
            "what": what.lower(),
            "when": timezone.localtime(reset.approved_at).strftime("%d-%m-%Y %H:%M"),
            "asked": reset.requested_by.name_and_position,
            "approved": approver.name_and_position,
        }
        subject = _("Sinergi: your %(what)s was reset") % {"what": what.lower()}
    return send_mail(subject, body, None, [reset.user.email], fail_silently=True) == 1


def reset_approve(*, actor, reset):
    """The second person approves: returns the set-password link's path (password) or None (MFA)."""
    user = reset.user
    _refuse_unmanaged(actor, user, "user.reset_approve")
    if actor.pk == reset.requested_by_id:
        raise Refusal(
            _("A second person approves a reset: not the one who asked for it."), code="same_person"
        )
    if actor.pk == user.pk:
        raise Refusal(_("Nobody approves a reset of their own account."), code="own")
    with transaction.atomic():
        reset = CredentialReset.objects.select_for_update().get(pk=reset.pk)
        if reset.approved_at is not None or reset.requested_at < timezone.now() - lifetime():
            raise Refusal(_("This request was already approved or has lapsed."), code="not_pending")
        reset.approved_by, reset.approved_at = actor, timezone.now()
        reset.save(update_fields=["approved_by", "approved_at"])
        path = None
        details = {"kind": reset.kind, "reset": reset.public_id, "requested_by": reset.requested_by.public_id}
        if reset.kind == CredentialReset.Kind.PASSWORD:
            user.set_unusable_password()  # the old password ends now
            user.save(update_fields=["password"])
            details["sessions_ended"] = user_sessions_end_all(user)
            path = password_link_path(user)
        else:
            removed = list(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
            Authenticator.objects.filter(user_id=user.pk).delete()
            details["removed"] = sorted(removed)
        details["owner_notified"] = _tell_owner(reset, actor)
        audit_record(
            actor=actor,
            action="user.reset_approve",
            object_type="user",
            object_id=user.public_id,
            details=details,
        )
    return path
