"""The case record. Split by part: the case itself, the persons in it, consent, documents."""

from .case import BreakGlassAccess, Case, CaseAssignment, RegistrationCounter, new_pseudonym
from .consent import Consent
from .documents import Document
from .persons import CasePerson, NotTpksDecision, PerpetratorRelation, PersonNameToken
from .protection import ProtectionBreach, ProtectionMeasure, SafetyPlan, SafetyPlanAction
from .workflow import (
    ApprovalRequest,
    Assessment,
    CaseNote,
    CaseStepChange,
    InterventionPlan,
    LeadChange,
    MonevReview,
    PlanAction,
)

__all__ = [
    "ApprovalRequest",
    "Assessment",
    "CaseNote",
    "CaseStepChange",
    "InterventionPlan",
    "LeadChange",
    "MonevReview",
    "PlanAction",
    "BreakGlassAccess",
    "Case",
    "CaseAssignment",
    "CasePerson",
    "Consent",
    "Document",
    "NotTpksDecision",
    "PerpetratorRelation",
    "PersonNameToken",
    "ProtectionBreach",
    "ProtectionMeasure",
    "SafetyPlan",
    "SafetyPlanAction",
    "RegistrationCounter",
    "new_pseudonym",
]
