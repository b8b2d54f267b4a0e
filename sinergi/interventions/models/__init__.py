"""Models of services delivered (one app label, several modules so each stays readable).

`services` holds the register, shelter, mediation, accompaniment, legal process and restitution;
`rights` the rights explained to victims and the monitoring of their rights at each legal stage.
"""

from .rights import CourtMonitoring, RightsExplanation
from .services import (
    SHELTER_STAY_DAYS,
    Accompaniment,
    LegalProcessStage,
    Mediation,
    MediationFollowUp,
    MediationSession,
    Restitution,
    RestitutionStep,
    ServiceDelivery,
    Shelter,
    ShelterBed,
    ShelterRoom,
    ShelterStay,
    ShelterStayExtension,
)

__all__ = [
    "SHELTER_STAY_DAYS",
    "Accompaniment",
    "CourtMonitoring",
    "LegalProcessStage",
    "Mediation",
    "MediationFollowUp",
    "MediationSession",
    "Restitution",
    "RestitutionStep",
    "RightsExplanation",
    "ServiceDelivery",
    "Shelter",
    "ShelterBed",
    "ShelterRoom",
    "ShelterStay",
    "ShelterStayExtension",
]
