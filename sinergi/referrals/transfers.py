"""Transfers of a case between service units (pelimpahan), e.g. a city UPTD hands a case that
crosses city borders to the province UPTD (UU TPKS Ps 74).

The sending unit's kepala asks, with a reason; the receiving unit's kepala accepts or rejects.
On acceptance the case moves: its unit changes, the old team's assignments end (the receiving
kepala assigns a new team), and it gets a registration number of the receiving unit (numbers
are unique per unit; the old one stays on the transfer). Both units keep the transfer row and
its audit events.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import OrganisationKind
from sinergi.accounts.models import Organisation
from sinergi.audit.services import audit_record
from sinergi.cases.choices import CaseStatus
from sinergi.cases.models import Case, CaseAssignment
from sinergi.cases.record import registration_number_next
from sinergi.core.db import atomic_with_retry
from sinergi.deadlines.models import Deadline

from .choices import TransferStatus
from .models import CaseTransfer
from .notify import notify, unit_heads

T = TransferStatus
MIN_REASON_LENGTH = 20


def _unit_name(unit):
    return unit.short_name or unit.name


def _values(transfer):
    return {
        "code": transfer.case.pseudonym,
        "from": _unit_name(transfer.from_unit),
        "to": _unit_name(transfer.to_unit),
    }


def _link(transfer):
    return reverse("referrals:transfer_detail", args=[transfer.public_id])


def _audit(actor, transfer, action, case=None, **details):
    audit_record(
        actor=actor,
        action=action,
        object_type="transfer",
        object_id=transfer.public_id,
        case=case or transfer.case,
        details={"from_unit": transfer.from_unit.public_id, "to_unit": transfer.to_unit.public_id, **details},
    )


def transfer_targets(unit):
    """Service units a case may be transferred to: every other active unit."""

    return Organisation.objects.filter(kind=OrganisationKind.SERVICE_UNIT, is_active=True).exclude(pk=unit.pk)


@transaction.atomic
def transfer_request(*, actor, case, to_unit, reason):
    if not has_permission(actor, "case.transfer") or case.unit_id != actor.organisation_id:
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors = {}
    reason = (reason or "").strip()
    if case.status == CaseStatus.CLOSED:
        errors["__all__"] = _("A closed case cannot be transferred.")
    if to_unit is None or to_unit.kind != OrganisationKind.SERVICE_UNIT or not to_unit.is_active:
        errors["to_unit"] = _("Choose an active service unit.")
    elif to_unit.pk == case.unit_id:
        errors["to_unit"] = _("The case already belongs to this unit.")
    if len(reason) < MIN_REASON_LENGTH:
        errors["reason"] = _("Write the reason in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}
    if CaseTransfer.objects.filter(case=case, status=T.REQUESTED).exists():
        errors["__all__"] = _("A transfer of this case is already waiting for an answer.")
    if errors:
        raise ValidationError(errors)
    transfer = CaseTransfer.objects.create(
        case=case,
        from_unit=case.unit,
        to_unit=to_unit,
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
        old_registration_number=case.registration_number,
    )
    _audit(actor, transfer, "transfer.request")
    notify(
        unit_heads(to_unit.pk),
        kind="transfer_requested",
        message=gettext_lazy("%(from)s asks to transfer case %(code)s to your unit."),
        values=_values(transfer),
        link=_link(transfer),
    )
    return transfer


def _lock_open(transfer, actor, side):
    transfer = (
        CaseTransfer.objects.select_for_update(of=("self",))
        .select_related("case", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )
    unit_id = transfer.to_unit_id if side == "to" else transfer.from_unit_id
    if not has_permission(actor, "case.transfer") or actor.organisation_id != unit_id:
        raise PermissionDenied
    if transfer.status != T.REQUESTED:
        raise ValidationError({"__all__": _("This transfer was already decided.")})
    return transfer


@atomic_with_retry
def transfer_accept(*, actor, transfer, note=""):
    """The receiving kepala takes the case: unit, number and access move in one transaction.

    Locks in the one order (docs/development.md): the transfer, the case, the receiving unit's
    registration counter, the case's rows, and the audit chain last. Taking the counter after
    the audit chain deadlocked with a registration in the receiving unit, which takes the
    counter first.
    """

    transfer = _lock_open(transfer, actor, "to")
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    if case.unit_id != transfer.from_unit_id:
        raise ValidationError({"__all__": _("The case has moved since the transfer was asked for.")})
    now = timezone.now()
    number = case.registration_number
    if number:
        number = registration_number_next(transfer.to_unit, timezone.localdate(now).year)
    ended = list(CaseAssignment.objects.filter(case=case, active=True).select_related("user"))
    CaseAssignment.objects.filter(pk__in=[a.pk for a in ended]).update(active=False)
    # Running clocks now belong to the receiving unit (its board, its kepala's reminders).
    Deadline.objects.filter(case=case, status="open").update(unit=transfer.to_unit)
    # Every lock is held now; the audit chain comes last. Tied to the sending unit's trail first,
    # then (after the move) to the receiving unit's.
    _audit(actor, transfer, "transfer.accept", case=case)
    case.unit = transfer.to_unit
    case.registration_number = number
    case.version += 1
    case.save(update_fields=["unit", "registration_number", "version", "updated_at"])
    transfer.status, transfer.decided_by, transfer.decided_at = T.ACCEPTED, actor, now
    transfer.decision_note = (note or "").strip()
    transfer.new_registration_number = case.registration_number
    transfer.save()
    _audit(actor, transfer, "transfer.receive", case=case, ended_assignments=len(ended))
    heads = [transfer.requested_by, *unit_heads(transfer.from_unit_id)]
    message = gettext_lazy("%(to)s accepted the transfer of case %(code)s; it now belongs to that unit.")
    notify(heads, kind="transfer_accepted", message=message, values=_values(transfer), link=_link(transfer))
    # The old team cannot open the transfer page (nor the case any more): a message without a link.
    team = [a.user for a in ended if a.user_id not in {h.pk for h in heads}]
    notify(team, kind="transfer_accepted", message=message, values=_values(transfer))
    return transfer


@transaction.atomic
def transfer_reject(*, actor, transfer, note):
    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError({"note": _("Say why the transfer is rejected.")})
    transfer = _lock_open(transfer, actor, "to")
    transfer.status, transfer.decided_by, transfer.decided_at = T.REJECTED, actor, timezone.now()
    transfer.decision_note = note
    transfer.save()
    _audit(actor, transfer, "transfer.reject")
    notify(
        [transfer.requested_by, *unit_heads(transfer.from_unit_id)],
        kind="transfer_rejected",
        message=gettext_lazy("%(to)s rejected the transfer of case %(code)s; it stays with your unit."),
        values=_values(transfer),
        link=_link(transfer),
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, actor, transfer):
    transfer = _lock_open(transfer, actor, "from")
    transfer.status, transfer.decided_by, transfer.decided_at = T.CANCELLED, actor, timezone.now()
    transfer.save()
    _audit(actor, transfer, "transfer.cancel")
    notify(
        unit_heads(transfer.to_unit_id),
        kind="transfer_cancelled",
        message=gettext_lazy("%(from)s withdrew the transfer of case %(code)s."),
        values=_values(transfer),
        link=reverse("referrals:transfer_list"),
    )
    return transfer


def transfers_visible_to(user):
    """Transfers out of and into the user's unit, for a kepala (case.transfer)."""

    if not has_permission(user, "case.transfer") or user.organisation_id is None:
        return CaseTransfer.objects.none()
    unit = user.organisation_id
    return CaseTransfer.objects.filter(Q(from_unit_id=unit) | Q(to_unit_id=unit))
