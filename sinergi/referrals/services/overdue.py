"""Referrals the agency has not answered in time: escalation, once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sinergi.audit.services import audit_record
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.models import Deadline

from ..models import Referral
from ..notify import notify, partner_users
from ._common import S, _partner_link, _values

# --- overdue answers --------------------------------------------------------------------------


def referrals_notify_overdue(now=None):
    """Tell the partner once when a referral waits past its response deadline.

    The sender and the sender's kepala are reminded by the deadlines engine (the clock belongs to
    the sending unit and to the sender); this adds the agency that has to answer. Returns the
    number of referrals notified.
    """

    now = now or timezone.now()
    overdue_ids = Deadline.objects.filter(
        kind=ClockKind.REFERRAL_RESPONSE, status="open", due_at__lt=now, subject_type="referrals.referral"
    ).values_list("subject_id", flat=True)
    count = 0
    for referral in Referral.objects.filter(
        public_id__in=list(overdue_ids), status=S.SENT, escalated_at__isnull=True
    ).select_related("case", "to_agency"):
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            audit_record(
                actor=None,
                action="referral.overdue",
                object_type="referral",
                object_id=referral.public_id,
                case=referral.case,
                details={"agency": referral.to_agency.public_id},
            )
            notify(
                partner_users(referral.to_agency_id),
                kind="referral_overdue",
                message=gettext_lazy(
                    "The referral for case %(code)s is waiting past its deadline: please answer."
                ),
                values=_values(referral),
                link=_partner_link(referral),
            )
            count += 1
    return count
