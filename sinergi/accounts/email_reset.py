"""Self-service password reset by e-mail, for the units that turn it on (issue 15, item 4).

Off unless a service unit turns it on (`Organisation.email_password_reset`, edited on the
organisation form, audited as `organisation.update`); a partner agency's users follow the service
unit it works with (`parent`). While no active unit has it on, the routes answer 404 (audited),
as before the switch existed.

A link is sent only to an account that is active, is not a system administrator, has a password,
belongs (directly or through its partner agency) to an active unit that allows it, and whose
typed address is its **verified primary** allauth address (a user verifies an address under
"My account → E-mail"; the address a manager types on the user form is not verified). Every
request is audited as `auth.password_reset_email`: `ok` with the account's public id when a link
goes out, `denied` with a reason code otherwise; the typed address is never recorded. The page
answers the same whatever the outcome, and the mail leaves through a background task, so neither
the page nor its timing tells whether an address is known.

The link carries its own token (`EmailResetTokenGenerator`: another salt than the managers'
set-password links, and valid for SINERGI_PASSWORD_RESET_EMAIL_MINUTES). Setting the password
through it is audited (`user.password_set`, `via: email_reset`) and ends every session of the
account; two-step verification is untouched and still asked at the next login.
"""

import hashlib
import hmac
import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core import counters

from .choices import OrganisationKind, Role
from .models import Organisation, User
from .security import user_sessions_end_all

logger = logging.getLogger("sinergi.accounts")

ACTION = "auth.password_reset_email"

#: (count, seconds): requests from one client address, and for one typed address (keyed digest).
DEFAULT_LIMITS = {"client": (5, 15 * 60), "address": (3, 60 * 60)}

# Reason codes of a denied request (the audit's `details.reason`; docs/security.md).
NOT_OFFERED = "not_offered"
RATE_LIMITED = "rate_limited"
INVALID_ADDRESS = "invalid_address"
UNKNOWN_ADDRESS = "unknown_address"
ACCOUNT_INACTIVE = "account_inactive"
ADMIN_ACCOUNT = "admin_account"
NO_PASSWORD = "no_password"  # noqa: S105 - a reason code, not a secret
UNIT_NOT_ALLOWED = "unit_not_allowed"
ADDRESS_UNVERIFIED = "address_unverified"
ADDRESS_NOT_PRIMARY = "address_not_primary"


class EmailResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token under its own salt and a short validity.

    Like Django's, it is built on the password hash, the last login and the address, so it stops
    working once the password is set, the user logs in or the address changes. The salt keeps the
    e-mailed links and the managers' set-password links apart: neither opens the other's page.
    """

    key_salt = "sinergi.accounts.email_reset.EmailResetTokenGenerator"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        try:
            issued = base36_to_int(token.split("-", 1)[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - issued <= validity_minutes() * 60


token_generator = EmailResetTokenGenerator()


def validity_minutes():
    return max(1, int(getattr(settings, "SINERGI_PASSWORD_RESET_EMAIL_MINUTES", 60)))


def _limit(scope):
    limits = {**DEFAULT_LIMITS, **getattr(settings, "SINERGI_PASSWORD_RESET_EMAIL_LIMITS", {})}
    return limits[scope]


def _counter_key(scope, ident):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"password-reset-email:{scope}:{ident}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"accounts:reset:{scope}:{digest}"


def _within_limit(scope, ident):
    count, window = _limit(scope)
    try:
        return counters.take(_counter_key(scope, ident), window) <= count
    except Exception as exc:  # noqa: BLE001 - the counters are unreachable: refuse, do not mail
        logger.error("e-mail reset: the counters are unreachable (%s)", exc.__class__.__name__)
        return False


# --- who may -----------------------------------------------------------------------------------


def reset_unit(user):
    """The service unit whose switch decides for `user`: their own, or their partner agency's unit."""
    organisation = user.organisation
    if organisation is not None and organisation.kind != OrganisationKind.SERVICE_UNIT:
        organisation = organisation.parent
    return organisation


def email_reset_offered():
    """Whether at least one active service unit allows the e-mail reset (else the routes are 404)."""
    return Organisation.objects.filter(
        kind=OrganisationKind.SERVICE_UNIT, is_active=True, email_password_reset=True
    ).exists()


def _unit_allows(user):
    unit = reset_unit(user)
    return bool(unit and unit.is_active and unit.email_password_reset)


def _refusal(user, address):
    """Why no link goes to `user` for the typed `address` (None: it may go)."""
    if not user.is_active:
        return ACCOUNT_INACTIVE
    if user.role == Role.ADMIN_SISTEM or user.is_superuser:
        return ADMIN_ACCOUNT
    if not user.has_usable_password():
        return NO_PASSWORD  # a first password comes with the manager's link, never by e-mail
    if not _unit_allows(user):
        return UNIT_NOT_ALLOWED
    if address is None or not address.verified:
        return ADDRESS_UNVERIFIED
    if not address.primary:
        return ADDRESS_NOT_PRIMARY
    return None


def _candidates(email):
    """(user, allauth address or None) for every account the typed address points at."""
    found = {}
    for address in EmailAddress.objects.filter(email__iexact=email).select_related(
        "user__organisation__parent"
    ):
        found.setdefault(address.user_id, (address.user, address))
    for user in User.objects.filter(email__iexact=email).select_related("organisation__parent"):
        found.setdefault(user.pk, (user, None))  # typed on the user form: not verified
    return sorted(found.values(), key=lambda pair: pair[0].pk)


# --- the request -------------------------------------------------------------------------------


def _deny(reason, user=None):
    audit_record(
        actor=None,
        action=ACTION,
        outcome=Outcome.DENIED,
        object_type="user" if user else "",
        object_id=user.public_id if user else "",
        details={"reason": reason},
    )


def password_reset_not_offered(*, path):
    """Record a request to a reset route while no unit offers the reset (the view answers 404)."""
    audit_record(
        actor=None, action=ACTION, outcome=Outcome.DENIED, details={"reason": NOT_OFFERED, "path": path[:200]}
    )


def password_reset_email_request(*, email, client, base_url):
    """Handle one reset request for the typed `email` from `client` (an address, for the limit).

    Returns False when a limit refused the request (the page says to try later, for any address),
    True otherwise — whether or not a link was sent, which the caller must not show.
    """
    email = (email or "").strip()
    if not _within_limit("client", client or "unknown") or not _within_limit("address", email.lower()):
        _deny(RATE_LIMITED)
        return False
    candidates = _candidates(email) if email else []
    if not candidates:
        _deny(UNKNOWN_ADDRESS)
        return True
    with transaction.atomic():
        for user, address in candidates:
            reason = _refusal(user, address)
            if reason:
                _deny(reason, user)
                continue
            audit_record(
                actor=None,
                action=ACTION,
                object_type="user",
                object_id=user.public_id,
                details={"sent": True},
            )
            transaction.on_commit(
                lambda pk=user.pk, address_id=address.pk: password_reset_mail_send.enqueue(
                    user_id=pk, address_id=address_id, base_url=base_url
                )
            )
    return True


def password_reset_invalid_request():
    """Record a request whose address was not a valid e-mail address."""
    _deny(INVALID_ADDRESS)


def reset_link_path(user):
    uidb64 = urlsafe_base64_encode(force_bytes(user.public_id))
    return reverse(
        "password_reset_email_set", kwargs={"uidb64": uidb64, "token": token_generator.make_token(user)}
    )


@task()
def password_reset_mail_send(*, user_id, address_id, base_url):
    """Build the link and send it (in the worker: the token is never stored in the task table).

    The account is checked again: a switch turned off or an address changed in between sends
    nothing.
    """
    address = EmailAddress.objects.filter(pk=address_id, user_id=user_id).select_related("user").first()
    if address is None or _refusal(address.user, address):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(site)s] Reset your password") % {"site": settings.SINERGI_SITE_NAME}
        body = _(
            "Someone asked to reset the password of your %(site)s account.\n\n"
            "Open this link to choose a new password (valid for %(minutes)s minutes, once):\n"
            "%(link)s\n\n"
            "If it was not you, ignore this message: your password stays as it is. Two-step "
            "verification is still asked at the next login."
        ) % {
            "site": settings.SINERGI_SITE_NAME,
            "minutes": validity_minutes(),
            "link": f"{base_url.rstrip('/')}{reset_link_path(address.user)}",
        }
    send_mail(subject, body, None, [address.email])
    return True


# --- the e-mailed link -------------------------------------------------------------------------


def user_for_reset_link(uidb64, token):
    """The account an e-mailed link is for, while it may still use it; else None."""
    try:
        public_id = force_str(urlsafe_base64_decode(uidb64))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(public_id=public_id).select_related("organisation__parent").first()
    if user is None or not token_generator.check_token(user, token):
        return None
    address = EmailAddress.objects.filter(user=user, primary=True).first()
    if _refusal(user, address):
        return None
    return user


def password_reset_email_set(*, uidb64, token, password):
    """Set the password through an e-mailed link and end every session of the account."""
    invalid = ValidationError({NON_FIELD_ERRORS: [_("This link is invalid, expired or already used.")]})
    user = user_for_reset_link(uidb64, token)
    if user is None:
        raise invalid
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not token_generator.check_token(user, token):
            raise invalid
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"new_password1": exc.messages}) from None
        user.set_password(password)
        user.save(update_fields=["password"])
        ended = user_sessions_end_all(user)
        audit_record(
            actor=user,
            action="user.password_set",
            object_type="user",
            object_id=user.public_id,
            details={"via": "email_reset", "sessions_ended": ended},
        )
    return user


def reset_link_refused(*, public_id):
    audit_record(
        actor=None,
        action="user.password_set",
        outcome=Outcome.DENIED,
        object_type="user",
        object_id=public_id,
        details={"reason": "invalid_link", "via": "email_reset"},
    )
