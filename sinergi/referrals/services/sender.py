"""The sender's moves: send (with consent or a lawful basis) and revoke."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.audit.services import audit_record
from sinergi.cases.choices import CaseStatus
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_cancel, deadline_start

from ..choices import OPEN_STATUSES
from ..notify import notify, partner_users
from ..policies import require_sender
from ..selectors import referral_consent
from ._common import MIN_REASON_LENGTH, S, _audit, _lock, _partner_link, _refuse, _values

# --- sender's moves ---------------------------------------------------------------------------


@transaction.atomic
def referral_send(*, actor, referral):
    """Send a draft: only with the victim's consent to this referral (or a recorded lawful basis).

    Starts the partner's response clock (1 working day; 2 hours for a high-risk case; the unit
    may change both), owned by the sender: overdue, it reminds the sender and the unit's kepala.
    """
    referral = _lock(referral)
    require_sender(actor, referral)
    if referral.status != S.DRAFT:
        _refuse("__all__", _("This referral was already sent."))
    if referral.case.status == CaseStatus.CLOSED:
        _refuse("__all__", _("A closed case cannot be referred."))
    if not referral.to_agency.is_active:
        _refuse("to_agency", _("This agency is no longer active; choose another one."))
    if referral_consent(referral) is None:
        _refuse(
            "consent",
            _(
                "The survivor's consent to this referral (naming the agency and what is shared), or a "
                "recorded lawful basis, is missing. Record it before sending."
            ),
        )
    unmarked = referral.documents.filter(share_mark__isnull=True).count()
    if unmarked:
        _refuse("documents", _("A chosen document is no longer marked as shareable; change the referral."))
    now = timezone.now()
    referral.status, referral.sent_at = S.SENT, now
    referral.save(update_fields=["status", "sent_at", "updated_at"])
    deadline = deadline_start(
        kind=ClockKind.REFERRAL_RESPONSE,
        unit=referral.from_unit or referral.case.unit,
        case=referral.case,
        subject=referral,
        started_at=now,
        responsible=actor,
        actor=actor,
    )
    _audit(
        actor,
        referral,
        "referral.send",
        status=S.SENT,
        services=referral.services,
        shared=referral.shared_sections,
        due=deadline.due_at.isoformat(),
    )
    notify(
        partner_users(referral.to_agency_id),
        kind="referral_sent",
        message=gettext_lazy("New referral for case %(code)s from %(unit)s: please accept or decline."),
        values={
            "code": referral.case.pseudonym,
            "unit": referral.case.unit.short_name or referral.case.unit.name,
        },
        link=_partner_link(referral),
        # The agency's official address too: a focal point may be away, or have no account yet.
        extra_emails=[referral.to_agency.email] if referral.to_agency.email else [],
    )
    return referral


@transaction.atomic
def referral_revoke(*, actor, referral, reason=""):
    """The sender withdraws the referral; the partner's access ends at once."""
    referral = _lock(referral)
    require_sender(actor, referral)
    if referral.status not in (S.DRAFT, *OPEN_STATUSES):
        _refuse("__all__", _("This referral is already closed."))
    reason = (reason or "").strip()
    was_sent = referral.status != S.DRAFT
    if was_sent and len(reason) < MIN_REASON_LENGTH:
        _refuse("reason", _("Say why the referral is revoked."))
    old = referral.status
    referral.status, referral.closed_at, referral.revoke_reason = S.REVOKED, timezone.now(), reason
    referral.save(update_fields=["status", "closed_at", "revoke_reason", "updated_at"])
    deadline_cancel(
        kind=ClockKind.REFERRAL_RESPONSE, case=referral.case, subject=referral, actor=actor, reason="revoked"
    )
    audit_record(
        actor=actor,
        action="referral.revoke",
        object_type="referral",
        object_id=referral.public_id,
        case=referral.case,
        changes={"status": [old, S.REVOKED]},
        details={"agency": referral.to_agency.public_id},
    )
    if was_sent:
        notify(
            partner_users(referral.to_agency_id),
            kind="referral_revoked",
            message=gettext_lazy("The referral for case %(code)s was withdrawn by the sender."),
            values=_values(referral),
            link=reverse("referrals:inbox"),
        )
    return referral
