"""Case management workflow (DOMAIN.md §6): steps, team, assessment, plan, approvals, closure,
reopening, monitoring reviews and notes.

Every write is a service: keyword-only, checks who may do it and what the case's state allows,
writes and audits in one transaction. A refusal (a step the case cannot reach, one's own plan, a
closed case, ...) is a Refusal (sinergi.core.errors) with a message for the user, recorded as
"denied" by @refusals_audited after the service's transaction has rolled back, so the record of
the refusal survives it.

Reads live in sinergi.cases.workflow_selectors.
"""

from ._common import MIN_REASON_LENGTH, REOPEN_STEPS, TRANSITIONS, closed_message
from .assessment import assessment_save
from .closure import approval_decide, case_reopen, closure_request
from .contact import case_first_contact, first_contact_problems
from .monev import monev_record, note_add
from .not_tpks import not_tpks_decide, not_tpks_propose, not_tpks_withdraw
from .plan import plan_save, plan_submit
from .steps import case_advance_by_work, case_move, move_problem
from .team import case_add_member, case_remove_member, case_set_lead

__all__ = [
    "TRANSITIONS",
    "REOPEN_STEPS",
    "MIN_REASON_LENGTH",
    "closed_message",
    "move_problem",
    "case_move",
    "case_advance_by_work",
    "case_first_contact",
    "first_contact_problems",
    "case_set_lead",
    "case_add_member",
    "case_remove_member",
    "assessment_save",
    "plan_save",
    "plan_submit",
    "closure_request",
    "approval_decide",
    "case_reopen",
    "monev_record",
    "note_add",
    "not_tpks_propose",
    "not_tpks_decide",
    "not_tpks_withdraw",
]
