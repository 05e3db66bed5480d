from zhulao.eldercare.models.archives import CapabilityAssessment, ElderArchive, EmergencyContact, HouseholdArchive
from zhulao.eldercare.models.visits import NeedReport, Pairing, ServiceRecord, Visit

__all__ = [
    "CapabilityAssessment",
    "ElderArchive",
    "EmergencyContact",
    "HouseholdArchive",
    "NeedReport",
    "Pairing",
    "ServiceRecord",
    "Visit",
]
