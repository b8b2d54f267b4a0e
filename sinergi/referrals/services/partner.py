"""The partner agency's moves: accept, decline, record a service, complete."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.choices import ServiceCategory
from sinergi.audit.services import audit_record
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_stop, deadlines_lock

from ..choices import ReferralOutcome
from ..models import ReferralServiceRecord
from ..notify import notify
from ..policies import require_partner
from ._common import MIN_REASON_LENGTH, S, _lock, _refuse, _senders, _staff_link, _values

# --- partner's moves --------------------------------------------------------------------------


def _partner_move(actor, referral, *, allowed, to, action, refusal, changes_extra=None, **fields):
    referral = _lock(referral)
    deadlines_lock(subject=referral)  # its response clock stops after the audit event
    require_partner(actor, referral)
    if referral.status not in allowed:
        _refuse("__all__", refusal(referral.status))
    old = referral.status
    referral.status = to
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", *fields, "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        object_type="referral",
        object_id=referral.public_id,
        case=referral.case,
        changes={"status": [old, to], **(changes_extra or {})},
        details={"agency": referral.to_agency.public_id},
    )
    return referral


def _answer_refusal(status):
    if status in (S.ACCEPTED, S.IN_SERVICE, S.COMPLETED):
        return _("This referral was already accepted.")
    if status == S.DECLINED:
        return _("This referral was already declined.")
    return _("This referral is no longer waiting for an answer.")


@transaction.atomic
def referral_accept(*, actor, referral):
    now = timezone.now()
    referral = _partner_move(
        actor,
        referral,
        allowed=(S.SENT,),
        to=S.ACCEPTED,
        action="referral.accept",
        refusal=_answer_refusal,
        accepted_at=now,
        responded_by=actor,
    )
    deadline_stop(
        kind=ClockKind.REFERRAL_RESPONSE, case=referral.case, subject=referral, stopped_at=now, actor=actor
    )
    notify(
        _senders(referral),
        kind="referral_accepted",
        message=gettext_lazy("%(agency)s accepted the referral for case %(code)s."),
        values=_values(referral),
        link=_staff_link(referral),
    )
    return referral


@transaction.atomic
def referral_decline(*, actor, referral, reason):
    require_partner(actor, referral)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        _refuse("reason", _("Say why the referral is declined."))
    now = timezone.now()
    referral = _partner_move(
        actor,
        referral,
        allowed=(S.SENT,),
        to=S.DECLINED,
        action="referral.decline",
        refusal=_answer_refusal,
        closed_at=now,
        responded_by=actor,
        decline_reason=reason,
    )
    deadline_stop(
        kind=ClockKind.REFERRAL_RESPONSE, case=referral.case, subject=referral, stopped_at=now, actor=actor
    )
    notify(
        _senders(referral),
        kind="referral_declined",
        message=gettext_lazy(
            "%(agency)s declined the referral for case %(code)s; see the reason in Sinergi."
        ),
        values=_values(referral),
        link=_staff_link(referral),
    )
    return referral


def _not_accepted_yet(status):
    if status == S.SENT:
        return _("Accept the referral first.")
    return _("This referral is closed.")


@transaction.atomic
def referral_service_record(*, actor, referral, service, delivered_on, note=""):
    """The partner records a service delivered; the first one moves the referral into service."""
    locked = _lock(referral)
    require_partner(actor, locked)
    if locked.status not in (S.ACCEPTED, S.IN_SERVICE):
        _refuse("__all__", _not_accepted_yet(locked.status))
    errors = {}
    if service not in ServiceCategory.values:
        errors["service"] = _("Choose a service.")
    if delivered_on is None:
        errors["delivered_on"] = _("Enter the date.")
    elif delivered_on > timezone.localdate():
        errors["delivered_on"] = _("The date cannot be in the future.")
    elif locked.sent_at and delivered_on < timezone.localdate(locked.sent_at):
        errors["delivered_on"] = _("The date cannot be before the referral was sent.")
    if errors:
        raise ValidationError(errors)
    record = ReferralServiceRecord.objects.create(
        referral=locked,
        service=service,
        delivered_on=delivered_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    old = locked.status
    if old == S.ACCEPTED:
        locked.status = S.IN_SERVICE
        locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="referral.service",
        object_type="referral",
        object_id=locked.public_id,
        case=locked.case,
        changes={"status": [old, locked.status]} if old != locked.status else None,
        details={"agency": locked.to_agency.public_id, "service": service, "record": record.public_id},
    )
    if old == S.ACCEPTED:
        notify(
            _senders(locked),
            kind="referral_in_service",
            message=gettext_lazy("%(agency)s started services for case %(code)s."),
            values=_values(locked),
            link=_staff_link(locked),
        )
    return record


@transaction.atomic
def referral_complete(*, actor, referral, outcome, outcome_note=""):
    require_partner(actor, referral)
    if outcome not in ReferralOutcome.values:
        _refuse("outcome", _("Choose the outcome."))
    referral = _partner_move(
        actor,
        referral,
        allowed=(S.ACCEPTED, S.IN_SERVICE),
        to=S.COMPLETED,
        action="referral.complete",
        refusal=_not_accepted_yet,
        changes_extra={"outcome": [None, outcome]},
        closed_at=timezone.now(),
        outcome=outcome,
        outcome_note=(outcome_note or "").strip(),
    )
    notify(
        _senders(referral),
        kind="referral_completed",
        message=gettext_lazy("%(agency)s completed the referral for case %(code)s."),
        values=_values(referral),
        link=_staff_link(referral),
    )
    return referral
