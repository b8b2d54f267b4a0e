"""Writes of the portal: submitting and tracking a public report, and the intake officer's decisions.

Public side: `report_submit`, `report_lookup` (code + PIN, throttled), `report_add_information`.
Staff side (`intake.queue`, own unit only): `report_acknowledge`, `report_verify` (→ a registered
case, channel daring or sapa129), `report_merge` (into an existing case), `report_reject`,
`report_message`, `sapa_report_enter`, `evidence_open`; and `portal_settings_save` for the kepala.
Every write is audited in its transaction; audit details carry codes and counts, never text.
"""

from ._common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    FIRST_RESPONSE,
    MESSAGE_MAX,
    NARRATIVE_MAX,
    PHONE_METHODS,
    PIN_LENGTH,
    REJECT_REASON_MIN,
    SHORT_TEXT_MAX,
    EvidenceUnreadable,
    TrackRefused,
    audit_public,
    format_code,
    new_pin,
    new_tracking_code,
    normalise_code,
    seal_evidence,
)
from .public import report_add_information, report_lookup, report_submit
from .settings import logo_file_problem, portal_settings_save
from .staff import (
    evidence_open,
    prefill_for_case,
    report_acknowledge,
    report_merge,
    report_message,
    report_reject,
    report_take,
    report_verify,
    sapa_report_enter,
)

__all__ = [
    "seal_evidence",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "PIN_LENGTH",
    "NARRATIVE_MAX",
    "SHORT_TEXT_MAX",
    "MESSAGE_MAX",
    "REJECT_REASON_MIN",
    "FIRST_RESPONSE",
    "PHONE_METHODS",
    "TrackRefused",
    "EvidenceUnreadable",
    "audit_public",
    "new_tracking_code",
    "new_pin",
    "normalise_code",
    "format_code",
    "report_submit",
    "report_lookup",
    "report_add_information",
    "report_acknowledge",
    "report_take",
    "prefill_for_case",
    "report_verify",
    "report_merge",
    "report_reject",
    "report_message",
    "sapa_report_enter",
    "evidence_open",
    "portal_settings_save",
    "logo_file_problem",
]
