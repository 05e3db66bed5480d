"""Pages of elder care, one module per subject: the helper's phone pages, archives, coverage and needs."""

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
from zhulao.eldercare.views.coverage import coverage, need_handle, need_list
from zhulao.eldercare.views.helper import my_day, visit_detail, visit_share, visit_start

__all__ = [
    "archive_create",
    "archive_detail",
    "archive_edit",
    "archive_list",
    "assessment_create",
    "contact_add",
    "coverage",
    "my_day",
    "need_handle",
    "need_list",
    "pairing_assign",
    "pairing_end",
    "visit_detail",
    "visit_share",
    "visit_start",
]
