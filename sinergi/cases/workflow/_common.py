"""What the workflow services share: the allowed moves, refusals that audit themselves, the
clocks and the notifications they start.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core.errors import Refusal
from sinergi.deadlines.services import deadline_start, deadline_stop
from sinergi.notifications.services import notification_send

from ..choices import (
    CaseStatus,
    CaseStep,
)
from ..policies import can_view_case
from ..workflow_selectors import (
    current_lead,
)

#: Where a case may go from each step by an ordinary move. Closure (→ terminasi) only through an
#: approved closure request; out of terminasi only through a reopening by the kepala.
TRANSITIONS = {
    CaseStep.PENERIMAAN: (CaseStep.IDENTIFIKASI,),
    CaseStep.IDENTIFIKASI: (CaseStep.ASESMEN,),
    CaseStep.ASESMEN: (CaseStep.RENCANA,),
    CaseStep.RENCANA: (CaseStep.INTERVENSI, CaseStep.ASESMEN),
    CaseStep.INTERVENSI: (CaseStep.MONEV, CaseStep.RENCANA),
    CaseStep.MONEV: (CaseStep.INTERVENSI, CaseStep.RENCANA),
    CaseStep.TERMINASI: (),
}
REOPEN_STEPS = (
    CaseStep.IDENTIFIKASI,
    CaseStep.ASESMEN,
    CaseStep.RENCANA,
    CaseStep.INTERVENSI,
    CaseStep.MONEV,
)
MIN_REASON_LENGTH = 10


def closed_message():
    return _("This case is closed and read-only. The head of unit can reopen it, with a reason.")


# --- refusals ------------------------------------------------------------------------------------


def _refuse(actor, case, action, code, message, *, field=None, details=None):
    """Refuse the action: a Refusal for the user, recorded as denied by the service's
    @refusals_audited once its transaction has rolled back (`actor` is the service's own)."""
    audit = {"action": action, "object_type": "case", "object_id": case.public_id, "case": case}
    raise Refusal(message, field=field, code=code, audit=audit, details=details)


def _deny(actor, case, action, permission):
    audit_record(
        actor=actor,
        action=action,
        outcome=Outcome.DENIED,
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={"reason": "permission", "permission": permission},
    )
    raise PermissionDenied


def _require_edit(actor, case, action):
    if not has_permission(actor, "case.edit") or not can_view_case(actor, case):
        _deny(actor, case, action, "case.edit")
    if case.status == CaseStatus.CLOSED:
        _refuse(actor, case, action, "case_closed", closed_message())


def _require_unit_head(actor, case, action, permission="case.approve"):
    if not has_permission(actor, permission) or actor.organisation_id != case.unit_id:
        _deny(actor, case, action, permission)


def _reason(reason):
    return (reason or "").strip()


# --- deadlines (sinergi.deadlines) -----------------------------------------------------------------


def _start_review_clock(case, started_at, actor):
    deadline_stop(kind="review", case=case, stopped_at=started_at, actor=actor)
    lead = current_lead(case)
    deadline_start(
        kind="review",
        unit=case.unit,
        started_at=started_at,
        case=case,
        responsible=lead.user if lead else None,
        actor=actor,
    )


# --- notifications (codes only, never a victim's name: TPKS Ps 69) --------------------------------


def _case_ref(case):
    return case.registration_number or case.pseudonym


def _notify(user, kind, message, case):
    notification_send(recipient=user, kind=kind, message=message, link=f"/kasus/{case.public_id}/")


def _unit_heads(case):
    return User.objects.filter(organisation_id=case.unit_id, role=Role.KEPALA_UPTD, is_active=True)
