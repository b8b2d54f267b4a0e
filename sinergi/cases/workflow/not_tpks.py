"""A reasoned "not TPKS" decision (DOMAIN.md §5): an officer proposes it for one victim, with the
reason, and a head of unit approves or rejects it. Only an approved decision counts, and only for
the indicators it answered; withdrawing an approved one makes the incident TPKS again.

Every step is audited (the reason is encrypted and never written to the audit trail).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record

from .. import rules
from ..choices import PersonRole
from ..clocks import case_and_clocks_lock, clocks_on_not_tpks
from ..models import CasePerson, NotTpksDecision
from ._common import (
    MIN_REASON_LENGTH,
    _case_ref,
    _notify,
    _reason,
    _refuse,
    _require_edit,
    _require_unit_head,
    _unit_heads,
)

Status = NotTpksDecision.Status


def _audit(actor, action, decision, case, **details):
    audit_record(
        actor=actor,
        action=action,
        object_type="person",
        object_id=decision.victim.public_id,
        case=case,
        details={"decision": decision.pk, **details},
    )


@refusals_audited
def not_tpks_propose(*, actor, case, victim, reason):
    """Propose that `victim`'s incident is not TPKS although an indicator says it is.

    The decision answers the indicators found now; one proposal waits at a time per victim.
    """
    action = "not_tpks.propose"
    _require_edit(actor, case, action)
    if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        raise ValidationError(_("Choose a victim of this case."))
    reason = _reason(reason)
    if len(reason) < MIN_REASON_LENGTH:
        _refuse(
            actor,
            case,
            action,
            "reason_missing",
            _("Say why this incident is not a sexual violence crime (at least %(n)d characters).")
            % {"n": MIN_REASON_LENGTH},
            field="reason",
        )
    with transaction.atomic():
        victim = CasePerson.objects.select_for_update().get(pk=victim.pk)
        grounds = [g.code for g in rules.incident_tpks_grounds(victim)]
        if not grounds:
            _refuse(actor, case, action, "no_grounds", _("Nothing in this incident indicates TPKS."))
        if victim.not_tpks_decisions.filter(status=Status.PROPOSED).exists():
            _refuse(
                actor,
                case,
                action,
                "already_proposed",
                _("A proposal for this victim already waits for the head of unit."),
            )
        decision = NotTpksDecision.objects.create(
            victim=victim, reason=reason, grounds=grounds, proposed_by=actor
        )
        _audit(actor, action, decision, case, grounds=grounds)
        for head in _unit_heads(case).exclude(pk=actor.pk):
            _notify(
                head,
                "approval_requested",
                _("A 'not TPKS' decision on case %(case)s waits for your approval.")
                % {"case": _case_ref(case)},
                case,
            )
    return decision


@refusals_audited
def not_tpks_decide(*, actor, decision, approve, note=""):
    """The head of unit approves or rejects a proposal (a rejection says why). Nobody decides
    their own proposal. Approval stops the police-report clock when no TPKS victim is left."""
    decision = NotTpksDecision.objects.select_related("victim__case").get(pk=decision.pk)
    case = decision.victim.case
    action = "not_tpks.approve" if approve else "not_tpks.reject"
    _require_unit_head(actor, case, action)
    note = _reason(note)
    if decision.status != Status.PROPOSED:
        _refuse(actor, case, action, "already_decided", _("This proposal was already decided."))
    if decision.proposed_by_id == actor.pk:
        _refuse(
            actor,
            case,
            action,
            "own_request",
            _("Nobody approves their own proposal: another head of unit must decide."),
        )
    if not approve and not note:
        _refuse(actor, case, action, "comment_missing", _("Say why the proposal is rejected."), field="note")
    with transaction.atomic():
        decision = NotTpksDecision.objects.select_for_update().get(pk=decision.pk)
        case_and_clocks_lock(case)  # the decision cancels or starts clocks after its audit event
        if decision.status != Status.PROPOSED:
            raise ValidationError(_("This proposal was already decided."), code="already_decided")
        decision.status = Status.APPROVED if approve else Status.REJECTED
        decision.decided_by = actor
        decision.decided_at = timezone.now()
        decision.decision_note = note
        decision.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            # An earlier approved decision is replaced by this one (it answers today's indicators).
            decision.victim.not_tpks_decisions.filter(status=Status.APPROVED).exclude(pk=decision.pk).update(
                status=Status.WITHDRAWN
            )
        _audit(actor, action, decision, case, grounds=decision.grounds)
        clocks_on_not_tpks(case=case, actor=actor)
        if decision.proposed_by_id != actor.pk:
            message = (
                _("Your 'not TPKS' proposal on case %(case)s was approved.")
                if approve
                else _("Your 'not TPKS' proposal on case %(case)s was rejected.")
            )
            _notify(decision.proposed_by, "approval_decided", message % {"case": _case_ref(case)}, case)
    return decision


@refusals_audited
def not_tpks_withdraw(*, actor, decision):
    """Withdraw a waiting proposal (any officer who may edit the case) or an approved decision (a
    head of unit): the incident is TPKS again, and the police-report clock runs again if needed."""
    decision = NotTpksDecision.objects.select_related("victim__case").get(pk=decision.pk)
    case = decision.victim.case
    action = "not_tpks.withdraw"
    if decision.status == Status.APPROVED:
        _require_unit_head(actor, case, action)
    else:
        _require_edit(actor, case, action)
    if decision.status not in (Status.PROPOSED, Status.APPROVED):
        _refuse(actor, case, action, "already_decided", _("This proposal was already decided."))
    with transaction.atomic():
        decision = NotTpksDecision.objects.select_for_update().get(pk=decision.pk)
        was = decision.status
        decision.status = Status.WITHDRAWN
        decision.save(update_fields=["status"])
        _audit(actor, action, decision, case, was=was)
        if was == Status.APPROVED:
            clocks_on_not_tpks(case=case, actor=actor)
    return decision
