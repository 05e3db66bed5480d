from zhulao.eldercare.models.activities import Activity, FacilityDayLog
from zhulao.eldercare.models.archives import CapabilityAssessment, ElderArchive, EmergencyContact, HouseholdArchive
from zhulao.eldercare.models.emergencies import (
    ConfirmationCall,
    Emergency,
    EmergencyStep,
    FamilyConfirmation,
    Notification,
    OutboxMessage,
)
from zhulao.eldercare.models.visits import NeedReport, Pairing, ServiceRecord, Visit

__all__ = [
    "ConfirmationCall",
    "Activity",
    "FacilityDayLog",
    "CapabilityAssessment",
    "ElderArchive",
    "Emergency",
    "EmergencyContact",
    "EmergencyStep",
    "FamilyConfirmation",
    "HouseholdArchive",
    "NeedReport",
    "Notification",
    "OutboxMessage",
    "Pairing",
    "ServiceRecord",
    "Visit",
]
