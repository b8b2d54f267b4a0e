"""Writing services delivered: the register, shelter, mediation, accompaniment, legal process,
restitution (DOMAIN.md §2, §6, §7).

Every function is a service in the ARCHITECTURE.md sense: keyword-only, checks who may do it,
validates, writes and audits in one transaction. A *refusal* of a rule (mediation in a TPKS case,
a full shelter, a discharge before the admission, an extension without a reason ...) raises
ValidationError with the message for the user and leaves a `denied` audit event, written after
the transaction rolled back so that the trace survives it.

Deadline clocks (sinergi.deadlines) move with the events that define them: a shelter stay starts
its clock at admission and stops it at discharge; a police report stops the TPKS 3×24 h clock; a
delivered outreach stops the outreach clock.
"""

from ._common import ACTING_STATUSES, INTAKE_SERVICES, Refusal, completed_assessment, refusable
from .accompaniment import accompaniment_record, same_sex
from .legal import legal_stage_record, restitution_advance, restitution_file
from .mediation import (
    mediation_conclude,
    mediation_decision,
    mediation_follow_up,
    mediation_session_add,
    mediation_start,
)
from .register import service_record
from .rights import court_concern_resolve, court_monitoring_record, rights_explanation_record
from .shelter import (
    shelter_admit,
    shelter_bed_add,
    shelter_bed_set_active,
    shelter_create,
    shelter_discharge,
    shelter_extend,
    shelter_update,
)

__all__ = [
    "INTAKE_SERVICES",
    "ACTING_STATUSES",
    "Refusal",
    "refusable",
    "completed_assessment",
    "service_record",
    "shelter_create",
    "shelter_update",
    "shelter_bed_add",
    "shelter_bed_set_active",
    "shelter_admit",
    "shelter_discharge",
    "shelter_extend",
    "mediation_decision",
    "mediation_start",
    "mediation_session_add",
    "mediation_conclude",
    "mediation_follow_up",
    "same_sex",
    "accompaniment_record",
    "legal_stage_record",
    "restitution_file",
    "restitution_advance",
    "rights_explanation_record",
    "court_monitoring_record",
    "court_concern_resolve",
]
