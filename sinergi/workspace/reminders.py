"""Reminders of clocks that are due soon or overdue: in-app and e-mail, each at most once.

A reminder names the clock and the case's registration number (or its case code), never a
person: no victim name, NIK, phone or place goes into a notification or an e-mail (TPKS Ps 69,
ARCHITECTURE.md). Once per threshold: a DeadlineReminder row (unique per clock, threshold and
due time) is written before anything is sent, so two workers racing send once; an extension
moves the due time and so re-arms both thresholds.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Value
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.cases.models import CaseAssignment
from sinergi.deadlines.choices import ClockKind, ReminderThreshold
from sinergi.deadlines.models import DeadlineReminder
from sinergi.deadlines.selectors import open_deadlines
from sinergi.notifications.services import notification_send

from .mywork import subject_link

logger = logging.getLogger(__name__)


def _case_label(deadline):
    if deadline.case_id is not None:
        return deadline.case.registration_number or deadline.case.pseudonym
    return deadline.subject_id


def _due_text(deadline):
    return timezone.localtime(deadline.due_at).strftime("%d-%m-%Y %H:%M")


def reminder_text(deadline, threshold):
    """(subject line, message) of a reminder; only codes and times, never a name."""
    values = {
        "clock": ClockKind(deadline.kind).label,
        "code": _case_label(deadline),
        "due": _due_text(deadline),
    }
    if threshold == ReminderThreshold.OVERDUE:
        subject = _("Deadline overdue: %(clock)s, case %(code)s") % values
        message = _("%(clock)s for case %(code)s was due at %(due)s and is now overdue.") % values
    else:
        subject = _("Deadline soon: %(clock)s, case %(code)s") % values
        message = _("%(clock)s for case %(code)s is due at %(due)s.") % values
    return subject, message


def _link(deadline):
    return subject_link(deadline) or reverse("home")


def _heads_by_unit(unit_ids, roles):
    heads = defaultdict(list)
    for user in User.objects.filter(organisation_id__in=unit_ids, role__in=roles, is_active=True):
        heads[user.organisation_id].append(user)
    return heads


def recipients_for(deadline, threshold, heads, intake):
    """Who is told: the responsible person, else the case team (else the unit's intake officers
    for a clock without a case); when overdue, also the unit's head."""
    people = []
    if deadline.responsible is not None and deadline.responsible.is_active:
        people.append(deadline.responsible)
    elif deadline.case_id is not None:
        people.extend(a.user for a in deadline.case.active_team if a.user.is_active)
    else:
        people.extend(intake.get(deadline.unit_id, []))
    if threshold == ReminderThreshold.OVERDUE or not people:
        people.extend(heads.get(deadline.unit_id, []))
    unique = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return list(unique.values())


def pending_reminders(now):
    """Running clocks inside their warning window or past due with a reminder not yet sent."""
    sent_for_current_due = DeadlineReminder.objects.filter(
        deadline=OuterRef("pk"), due_at=OuterRef("due_at"), threshold=OuterRef("_threshold")
    )
    team = Prefetch(
        "case__assignments",
        queryset=CaseAssignment.objects.filter(active=True).select_related("user"),
        to_attr="active_team",
    )
    base = open_deadlines().select_related("case", "responsible").prefetch_related(team)
    overdue = (
        base.filter(due_at__lt=now)
        .annotate(_threshold=Value(ReminderThreshold.OVERDUE.value))
        .filter(~Exists(sent_for_current_due))
    )
    soon = (
        base.filter(warn_at__lte=now, due_at__gte=now)
        .annotate(_threshold=Value(ReminderThreshold.DUE_SOON.value))
        .filter(~Exists(sent_for_current_due))
    )
    return [(d, ReminderThreshold.OVERDUE) for d in overdue] + [(d, ReminderThreshold.DUE_SOON) for d in soon]


def send_due_reminders(now=None):
    """Send every reminder that is due now; returns the number of reminders (not messages) sent."""
    now = now or timezone.now()
    pending = pending_reminders(now)
    if not pending:
        return 0
    unit_ids = {d.unit_id for d, _t in pending}
    heads = _heads_by_unit(unit_ids, [Role.KEPALA_UPTD])
    intake = _heads_by_unit(unit_ids, [Role.PETUGAS_PENGADUAN])
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for deadline, threshold in pending:
            if _send_one(deadline, threshold, heads, intake):
                sent += 1
    return sent


def _send_one(deadline, threshold, heads, intake):
    people = recipients_for(deadline, threshold, heads, intake)
    subject, message = reminder_text(deadline, threshold)
    link = _link(deadline)
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                deadline=deadline, threshold=threshold, due_at=deadline.due_at, recipients=len(people)
            )
            for person in people:
                notification_send(recipient=person, kind=f"deadline_{threshold}", message=message, link=link)
    except IntegrityError:
        return False  # another worker sent this one
    addresses = [p.email for p in people if p.email]
    if addresses:
        body = "\n\n".join([message, _("Open Sinergi to see the case: %(link)s") % {"link": _absolute(link)}])
        for address in addresses:
            try:
                send_mail(f"[{settings.SINERGI_SITE_NAME}] {subject}", body, None, [address])
            except Exception:  # noqa: BLE001 - the in-app reminder is already stored
                logger.exception("deadline reminder e-mail failed for deadline %s", deadline.public_id)
    return True


def _absolute(link):
    # The installation's public address is its first trusted origin (SINERGI_CSRF_TRUSTED_ORIGINS).
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None) or [""]
    return f"{origins[0].rstrip('/')}{link}"
