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


__all__ = ["Action"]
