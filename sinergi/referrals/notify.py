"""Telling people about hand-offs: in-app notification now, e-mail once the change is committed.

Messages name the case code (pseudonym), the agency or unit and the state, never a survivor's
name, contact or story (UU TPKS Ps 69): what is sent is built only from `values` given here.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.notifications.services import notification_send

logger = logging.getLogger(__name__)


def active_users(organisation_id, roles):
    return list(User.objects.filter(organisation_id=organisation_id, role__in=roles, is_active=True))


def partner_users(agency_id):
    return active_users(agency_id, [Role.MITRA])


def unit_heads(unit_id):
    return active_users(unit_id, [Role.KEPALA_UPTD])


def _unique(people):
    seen = {}
    for person in people:
        if person is not None and person.is_active:
            seen.setdefault(person.pk, person)
    return list(seen.values())


def _absolute(link):
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None) or [""]
    return f"{origins[0].rstrip('/')}{link}"


def notify(people, *, kind, message, values, link="", extra_emails=()):
    """Store the notification for each person (in the caller's transaction) and e-mail those
    with an address after the commit, so a refused change sends nothing.

    `message` is a lazy msgid with %(name)s placeholders, filled from `values` (codes only) in the
    installation's language.
    """
    people = _unique(people)
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % {k: str(v) for k, v in values.items()}
    for person in people:
        notification_send(recipient=person, kind=kind, message=text, link=link)
    addresses = list(dict.fromkeys([p.email for p in people if p.email] + [e for e in extra_emails if e]))
    if addresses:
        subject = f"[{settings.SINERGI_SITE_NAME}] {text[:120]}"
        body = f"{text}\n\n{_absolute(link)}" if link else text

        def _send():
            for address in addresses:
                try:
                    send_mail(subject, body, None, [address])
                except Exception:  # noqa: BLE001 - the in-app notification is already stored
                    logger.exception("hand-off e-mail (%s) failed", kind)

        transaction.on_commit(_send)
    return people
