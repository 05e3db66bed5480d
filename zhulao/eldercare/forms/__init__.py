"""Forms of elder care, one module per subject. Field errors come from the form or from the service's
DomainError (see ``views/_common.py``)."""

from zhulao.eldercare.forms.archives import (
    FLAG_CHOICES,
    ArchiveFilterForm,
    ArchiveForm,
    AssessmentForm,
    ContactForm,
    HelperChoiceField,
    NeedHandleForm,
    PairingEndForm,
    PairingForm,
)
from zhulao.eldercare.forms.calls import CallRecordForm
from zhulao.eldercare.forms.operations import (
    ACTIVITY_PARTNERS,
    ActivityForm,
    OpeningLogForm,
    OperationPeriodForm,
    elder_options,
)
from zhulao.eldercare.forms.visits import DEFAULT_MINUTES, SIX_HELPS, VisitForm, VisitStartForm

__all__ = [
    "ACTIVITY_PARTNERS",
    "DEFAULT_MINUTES",
    "FLAG_CHOICES",
    "SIX_HELPS",
    "ActivityForm",
    "ArchiveFilterForm",
    "ArchiveForm",
    "AssessmentForm",
    "CallRecordForm",
    "ContactForm",
    "HelperChoiceField",
    "NeedHandleForm",
    "OpeningLogForm",
    "OperationPeriodForm",
    "PairingEndForm",
    "PairingForm",
    "VisitForm",
    "VisitStartForm",
    "elder_options",
]
