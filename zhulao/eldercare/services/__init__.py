"""Every write of elder care: archives, assessments, pairings, visits and needs."""

from zhulao.eldercare.services.archives import (
    archive_create,
    archive_update,
    assessment_record,
    contact_add,
)
from zhulao.eldercare.services.visits import need_handle, pairing_assign, pairing_end, visit_start, visit_submit

__all__ = [
    "archive_create",
    "archive_update",
    "assessment_record",
    "contact_add",
    "need_handle",
    "pairing_assign",
    "pairing_end",
    "visit_start",
    "visit_submit",
]
