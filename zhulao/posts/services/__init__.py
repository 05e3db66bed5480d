"""Every state change of facilities, posts and recruitment (one service per transition)."""

from zhulao.posts.services.accounts import placement_account_issue
from zhulao.posts.services.facilities import facility_create, facility_set_status, posts_sync
from zhulao.posts.services.hire import application_hire, contract_register, placement_end
from zhulao.posts.services.notices import notice_close, notice_open, objection_raise, objection_resolve
from zhulao.posts.services.public_applications import public_application_receive, public_application_refused
from zhulao.posts.services.recruitment import (
    application_qualify,
    application_recommend,
    application_reject,
    application_review,
    application_submit,
    application_withdraw,
    batch_close,
    batch_publish,
    conflict_resolve,
)

__all__ = [
    "application_hire",
    "application_qualify",
    "application_recommend",
    "application_reject",
    "application_review",
    "application_submit",
    "application_withdraw",
    "batch_close",
    "batch_publish",
    "conflict_resolve",
    "contract_register",
    "facility_create",
    "facility_set_status",
    "notice_close",
    "notice_open",
    "objection_raise",
    "objection_resolve",
    "placement_account_issue",
    "placement_end",
    "posts_sync",
    "public_application_receive",
    "public_application_refused",
]
