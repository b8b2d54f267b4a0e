"""The case record. Split by part: the case itself, the persons in it, consent, documents."""

from .case import BreakGlassAccess, Case, CaseAssignment, RegistrationCounter, new_pseudonym
from .consent import Consent
from .documents import Document
from .persons import CasePerson, PersonNameToken

__all__ = [
    "BreakGlassAccess",
    "Case",
    "CaseAssignment",
    "CasePerson",
    "Consent",
    "Document",
    "PersonNameToken",
    "RegistrationCounter",
    "new_pseudonym",
]
