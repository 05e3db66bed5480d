"""Pages of elder care, one module per subject: the helper's phone pages, archives, coverage and needs,
emergencies and notifications."""

from zhulao.eldercare.views.archives import (
    archive_create,
    archive_detail,
    archive_edit,
    archive_list,
    assessment_create,
    contact_add,
    pairing_assign,
    pairing_end,
)
from zhulao.eldercare.views.confirmations import call_list, call_record
from zhulao.eldercare.views.coverage import coverage, coverage_export, need_handle, need_list
from zhulao.eldercare.views.emergencies import (
    emergency_act,
    emergency_detail,
    emergency_list,
    emergency_report,
    notification_list,
    notification_read,
)
from zhulao.eldercare.views.helper import my_day, visit_detail, visit_share, visit_start
from zhulao.eldercare.views.indicators import indicators
from zhulao.eldercare.views.operations import (
    activity_create,
    activity_photo,
    facility_calendar,
    opening_log,
    operation,
)

__all__ = [
    "activity_create",
    "activity_photo",
    "facility_calendar",
    "opening_log",
    "operation",
    "archive_create",
    "archive_detail",
    "archive_edit",
    "archive_list",
    "assessment_create",
    "contact_add",
    "call_list",
    "call_record",
    "coverage",
    "coverage_export",
    "emergency_act",
    "emergency_detail",
    "emergency_list",
    "emergency_report",
    "notification_list",
    "notification_read",
    "indicators",
    "my_day",
    "need_handle",
    "need_list",
    "pairing_assign",
    "pairing_end",
    "visit_detail",
    "visit_share",
    "visit_start",
]
