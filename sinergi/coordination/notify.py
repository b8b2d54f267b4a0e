"""In-app notifications and e-mails for meetings and action items.

Messages carry the kind of meeting, dates, agency names, the action item's short reference and at
most a pseudonymous case code: never a survivor's name, never the free text of an item or of the
minutes (TPKS Ps 69). E-mails go out only once the transaction that caused them has committed.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from sinergi.accounts.choices import OrganisationKind, Role
from sinergi.accounts.models import User
from sinergi.notifications.services import notification_send

logger = logging.getLogger(__name__)


def agency_contacts(organisation):
    """Who receives an agency's notices: its focal points (partner) or its head (service unit)."""
    role = Role.MITRA if organisation.kind == OrganisationKind.PARTNER else Role.KEPALA_UPTD
    return User.objects.filter(organisation=organisation, role=role, is_active=True)


def unit_heads(unit_id):
    return User.objects.filter(organisation_id=unit_id, role=Role.KEPALA_UPTD, is_active=True)


def recipients(*, organisations=(), users=()):
    """Active users, each once, in a stable order."""
    found = {}
    for organisation in organisations:
        if organisation is not None:
            for user in agency_contacts(organisation):
                found.setdefault(user.pk, user)
    for user in users:
        if user is not None and user.is_active:
            found.setdefault(user.pk, user)
    return [found[pk] for pk in sorted(found)]


def _absolute(link):
    # E-mails need a full address: the installation's first trusted origin (as sinergi.referrals).
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None) or [""]
    return f"{origins[0].rstrip('/')}{link}"


def notify(users, *, kind, message, link):
    """One in-app notification per user (in the caller's transaction) and an e-mail after commit.

    `message` is a function building the text: it runs in the installation's language, whatever
    the language of the request (or task) that caused it, as every recipient reads the same text.
    """
    with translation.override(settings.LANGUAGE_CODE):
        message = message()
    addresses = []
    for user in users:
        notification_send(recipient=user, kind=kind, message=message, link=link)
        if user.email:
            addresses.append(user.email)
    if addresses:
        subject = f"[{settings.SINERGI_SITE_NAME}] {message}"[:150]
        body = f"{message}\n\n{_absolute(link)}\n" if link else f"{message}\n"

        def _send():
            for address in addresses:
                try:
                    send_mail(subject, body, None, [address])
                except Exception:  # noqa: BLE001 - the in-app notification is already stored
                    logger.exception("coordination e-mail (%s) failed", kind)

        transaction.on_commit(_send)
    return len(users)
