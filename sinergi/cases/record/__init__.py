"""Writing the case record: registration, persons, incident, classification, consent.

Every function here is a service in the ARCHITECTURE.md sense: keyword-only, checks who may do
it, validates, writes and audits in one transaction. Audit events name fields, never values.
"""

from ._common import INCIDENT_FIELDS, PERSON_FIELDS, StaleEdit
from .classification import case_flags, gbvims_of, gbvims_type_label, victim_classify
from .consent import consent_record
from .persons import (
    person_add,
    person_adult_review,
    person_date_problems,
    person_link,
    person_match_candidates,
    person_update,
)
from .registration import (
    case_register,
    case_update_incident,
    registered_person_problems,
    registration_number_next,
    registration_problems,
)

__all__ = [
    "PERSON_FIELDS",
    "INCIDENT_FIELDS",
    "StaleEdit",
    "registration_number_next",
    "registration_problems",
    "registered_person_problems",
    "case_register",
    "case_update_incident",
    "case_flags",
    "person_date_problems",
    "person_add",
    "person_update",
    "person_adult_review",
    "person_link",
    "person_match_candidates",
    "consent_record",
    "gbvims_of",
    "gbvims_type_label",
    "victim_classify",
]
