"""Roles and the actions each carries: the permission map (docs/permissions.md is its prose).

A role is held at a region through a ``RoleAssignment``. A check asks for an *action*; the scope
of that check is the regions of the assignments whose role carries that action, and nothing else.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhulao.core.actions import Action
from zhulao.regions.choices import OrganizationKind, RegionLevel


class Role(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("Civil Affairs")
    HR = "hr", _("HR & Social Security")
    FINANCE = "finance", _("Finance")
    EMPLOYMENT_CENTER = "employment_center", _("Employment service center")
    TOWNSHIP_EMPLOYER = "township_employer", _("Township / street employer")
    VILLAGE_EMPLOYER = "village_employer", _("Village / community employer")
    HELPER = "helper", _("Elder-care helper")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)


_STAFF_COMMON = frozenset({Action.WORKBENCH_VIEW, Action.REGION_VIEW, Action.ORGANIZATION_VIEW, Action.POLICY_VIEW})

_PEOPLE_READ = frozenset({Action.PERSON_VIEW, Action.ELIGIBILITY_VIEW})
_RECRUITMENT_READ = frozenset({Action.FACILITY_VIEW, Action.APPLICATION_VIEW})
_ELDERCARE_STAFF = frozenset({Action.ARCHIVE_VIEW, Action.ARCHIVE_EDIT})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CIVIL_AFFAIRS: _STAFF_COMMON
    | _PEOPLE_READ
    | {
        Action.PERSON_EDIT,
        Action.PERSON_UNMASK,
        Action.PERSON_MERGE,
        Action.PERSON_IMPORT,
        Action.PERSON_EXPORT,
        Action.EVIDENCE_VERIFY,
    }
    | _RECRUITMENT_READ
    | {Action.FACILITY_EDIT, Action.BATCH_PUBLISH, Action.APPLICATION_REVIEW, Action.CONFLICT_RESOLVE}
    | _ELDERCARE_STAFF
    | {Action.ASSESSMENT_RECORD, Action.NEED_HANDLE, Action.FACILITY_OPERATE},
    Role.HR: _STAFF_COMMON
    | _PEOPLE_READ
    | _RECRUITMENT_READ
    | {Action.PERSON_UNMASK, Action.PERSON_EXPORT, Action.NOTICE_MANAGE, Action.HIRE, Action.CONTRACT_REGISTER},
    Role.FINANCE: _STAFF_COMMON | {Action.FUNDING_VIEW},
    Role.EMPLOYMENT_CENTER: _STAFF_COMMON
    | _PEOPLE_READ
    | {
        Action.PERSON_EDIT,
        Action.PERSON_UNMASK,
        Action.PERSON_MERGE,
        Action.PERSON_IMPORT,
        Action.PERSON_EXPORT,
        Action.EVIDENCE_VERIFY,
    }
    | _RECRUITMENT_READ
    | {Action.APPLICATION_QUALIFY, Action.CONFLICT_RESOLVE},
    Role.TOWNSHIP_EMPLOYER: _STAFF_COMMON
    | _PEOPLE_READ
    | _RECRUITMENT_READ
    | {Action.PERSON_EDIT, Action.PERSON_IMPORT, Action.PERSON_EXPORT, Action.EVIDENCE_VERIFY, Action.FACILITY_EDIT}
    | _ELDERCARE_STAFF
    | {Action.ASSESSMENT_RECORD, Action.PAIRING_MANAGE, Action.NEED_HANDLE, Action.FACILITY_OPERATE},
    Role.VILLAGE_EMPLOYER: _STAFF_COMMON
    | _PEOPLE_READ
    | _RECRUITMENT_READ
    | {
        Action.PERSON_EDIT,
        Action.PERSON_IMPORT,
        Action.APPLICATION_SUBMIT,
        Action.APPLICATION_RECOMMEND,
    }
    | _ELDERCARE_STAFF
    | {Action.PAIRING_MANAGE, Action.FACILITY_OPERATE},
    Role.HELPER: frozenset({Action.WORKBENCH_VIEW, Action.VISIT_RECORD}),
    # 三员分立: each administrator sees only its own screens (SECURITY item 12).
    Role.SYSTEM_ADMIN: frozenset(
        {
            Action.WORKBENCH_VIEW,
            Action.REGION_VIEW,
            Action.ORGANIZATION_VIEW,
            Action.USER_VIEW,
            Action.USER_MANAGE,
            Action.POLICY_VIEW,
            Action.POLICY_EDIT,
        }
    ),
    Role.SECURITY_ADMIN: frozenset(
        {
            Action.WORKBENCH_VIEW,
            Action.REGION_VIEW,
            Action.ORGANIZATION_VIEW,
            Action.USER_VIEW,
            Action.ROLE_VIEW,
            Action.ROLE_GRANT,
            Action.SESSION_KILL,
        }
    ),
    Role.AUDIT_ADMIN: frozenset({Action.WORKBENCH_VIEW, Action.AUDIT_VIEW, Action.AUDIT_VERIFY}),
}

_BUREAU_LEVELS = frozenset({RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY})

# The region levels at which each role may be held.
ROLE_LEVELS: dict[str, frozenset[int]] = {
    Role.CIVIL_AFFAIRS: _BUREAU_LEVELS,
    Role.HR: _BUREAU_LEVELS,
    Role.FINANCE: _BUREAU_LEVELS,
    Role.EMPLOYMENT_CENTER: frozenset({RegionLevel.CITY, RegionLevel.COUNTY}),
    Role.TOWNSHIP_EMPLOYER: frozenset({RegionLevel.TOWNSHIP}),
    Role.VILLAGE_EMPLOYER: frozenset({RegionLevel.VILLAGE}),
    Role.HELPER: frozenset({RegionLevel.VILLAGE}),
    Role.SYSTEM_ADMIN: _BUREAU_LEVELS,
    Role.SECURITY_ADMIN: _BUREAU_LEVELS,
    Role.AUDIT_ADMIN: _BUREAU_LEVELS,
}

# The organisation kinds an assignment of each role may name (None: no organisation needed).
ROLE_ORGANIZATION_KINDS: dict[str, frozenset[str]] = {
    Role.CIVIL_AFFAIRS: frozenset({OrganizationKind.CIVIL_AFFAIRS}),
    Role.HR: frozenset({OrganizationKind.HR}),
    Role.FINANCE: frozenset({OrganizationKind.FINANCE}),
    Role.EMPLOYMENT_CENTER: frozenset({OrganizationKind.EMPLOYMENT_CENTER}),
    Role.TOWNSHIP_EMPLOYER: frozenset({OrganizationKind.TOWNSHIP_GOVERNMENT, OrganizationKind.STREET_OFFICE}),
    Role.VILLAGE_EMPLOYER: frozenset({OrganizationKind.VILLAGE_COMMITTEE, OrganizationKind.COMMUNITY_COMMITTEE}),
    Role.HELPER: frozenset({OrganizationKind.VILLAGE_COMMITTEE, OrganizationKind.COMMUNITY_COMMITTEE}),
    Role.SYSTEM_ADMIN: frozenset(),
    Role.SECURITY_ADMIN: frozenset(),
    Role.AUDIT_ADMIN: frozenset(),
}


def actions_of(role: str) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())


def roles_with(action: str) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]
