"""The names of the actions that services and views check.

Only the vocabulary lives here (so every app, core included, can name an action without importing
``accounts``); which role carries which action, at which region level, is ``accounts.roles``.
"""

from __future__ import annotations


class Action:
    """Names of the actions checked by services and views. Grouped by the app that owns them."""

    WORKBENCH_VIEW = "workbench.view"
    REGION_VIEW = "region.view"
    ORGANIZATION_VIEW = "organization.view"
    # accounts
    USER_VIEW = "user.view"
    USER_MANAGE = "user.manage"
    ROLE_VIEW = "role.view"
    ROLE_GRANT = "role.grant"
    SESSION_KILL = "session.kill"
    # audit
    AUDIT_VIEW = "audit.view"
    AUDIT_VERIFY = "audit.verify"
    # policy parameters
    POLICY_VIEW = "policy.view"
    POLICY_EDIT = "policy.edit"
    # people registry (S4–S6)
    PERSON_VIEW = "person.view"
    PERSON_EDIT = "person.edit"
    PERSON_UNMASK = "person.unmask"
    PERSON_MERGE = "person.merge"
    PERSON_IMPORT = "person.import"
    PERSON_EXPORT = "person.export"
    EVIDENCE_VERIFY = "evidence.verify"
    ELIGIBILITY_VIEW = "eligibility.view"
    # facilities, posts and recruitment (S1, S2, S7, S8, S20)
    FACILITY_VIEW = "facility.view"
    FACILITY_EDIT = "facility.edit"
    BATCH_PUBLISH = "batch.publish"
    APPLICATION_VIEW = "application.view"
    APPLICATION_SUBMIT = "application.submit"  # enter on the applicant's request; withdraw
    APPLICATION_RECOMMEND = "application.recommend"  # 推荐 (village employer)
    APPLICATION_REVIEW = "application.review"  # 审核 (Civil Affairs)
    APPLICATION_QUALIFY = "application.qualify"  # 资格审查 (employment service center)
    CONFLICT_RESOLVE = "conflict.resolve"
    NOTICE_MANAGE = "notice.manage"  # 公示: open, close, resolve objections (HR)
    HIRE = "application.hire"  # 聘用 and contract (HR)
    CONTRACT_REGISTER = "contract.register"  # 就业登记 / 用工备案 (HR)
    # elder care (S13–S17)
    ARCHIVE_VIEW = "archive.view"
    ARCHIVE_EDIT = "archive.edit"
    ASSESSMENT_RECORD = "assessment.record"
    PAIRING_MANAGE = "pairing.manage"
    VISIT_RECORD = "visit.record"  # the helper, for the elders paired with them only
    NEED_HANDLE = "need.handle"
    # funding (Finance: sets subsidy standards and disburses; reads placements and posts as counts)
    FUNDING_VIEW = "funding.view"
    # activities (S18) and facility opening logs (S3): the facility's operator records them
    FACILITY_OPERATE = "facility.operate"


__all__ = ["Action"]
