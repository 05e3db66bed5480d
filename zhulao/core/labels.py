"""Codes in words: every permission ``Action`` and every audit-event action has one translated label here.

The workbench's "done" list, the audit log and anything else that shows an action code call
:func:`action_label`. ``core/tests/test_labels.py`` fails when an ``Action`` or an action written by a
``record_event`` call has no label, so a new action cannot reach a page as a raw code.

Role names live in ``accounts.roles`` (a later app); ``accounts`` fills :data:`ROLE_LABELS` at start-up
(§4.1 of ``docs/architecture.md``), so core can put roles in words without importing it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhulao.core.actions import Action

# What a role may do (the permission map's vocabulary), as a verb phrase.
PERMISSION_LABELS: dict[str, Promise] = {
    Action.WORKBENCH_VIEW: _("View the workbench"),
    Action.REGION_VIEW: _("View regions"),
    Action.ORGANIZATION_VIEW: _("View organisations"),
    Action.USER_VIEW: _("View accounts"),
    Action.USER_MANAGE: _("Manage accounts"),
    Action.ROLE_VIEW: _("View role assignments"),
    Action.ROLE_GRANT: _("Grant and revoke roles"),
    Action.SESSION_KILL: _("End sessions"),
    Action.AUDIT_VIEW: _("Read the audit log"),
    Action.AUDIT_VERIFY: _("Verify the audit chain"),
    Action.POLICY_VIEW: _("View policy parameters"),
    Action.POLICY_EDIT: _("Add policy values"),
    Action.PERSON_VIEW: _("View people"),
    Action.PERSON_EDIT: _("Edit people"),
    Action.PERSON_UNMASK: _("Show full personal data"),
    Action.PERSON_MERGE: _("Merge duplicate people"),
    Action.PERSON_IMPORT: _("Import people"),
    Action.PERSON_EXPORT: _("Export people"),
    Action.EVIDENCE_VERIFY: _("Verify evidence"),
    Action.ELIGIBILITY_VIEW: _("View eligibility"),
    Action.FACILITY_VIEW: _("View facilities and posts"),
    Action.FACILITY_EDIT: _("Edit facilities and posts"),
    Action.BATCH_PUBLISH: _("Publish recruitment batches"),
    Action.APPLICATION_VIEW: _("View applications"),
    Action.APPLICATION_SUBMIT: _("Enter applications"),
    Action.APPLICATION_RECOMMEND: _("Recommend applications"),
    Action.APPLICATION_REVIEW: _("Review applications"),
    Action.APPLICATION_QUALIFY: _("Check qualifications"),
    Action.CONFLICT_RESOLVE: _("Resolve conflict flags"),
    Action.NOTICE_MANAGE: _("Manage public notices"),
    Action.HIRE: _("Hire and sign contracts"),
    Action.CONTRACT_REGISTER: _("Register contracts"),
    Action.ARCHIVE_VIEW: _("View elder archives"),
    Action.ARCHIVE_EDIT: _("Edit elder archives"),
    Action.ASSESSMENT_RECORD: _("Record capability assessments"),
    Action.PAIRING_MANAGE: _("Pair helpers with elders"),
    Action.VISIT_RECORD: _("Record visits"),
    Action.NEED_HANDLE: _("Handle needs"),
    Action.FACILITY_OPERATE: _("Run a facility (activities, opening hours)"),
    Action.FUNDING_VIEW: _("View the funding picture (placements and posts, as counts)"),
}

# What happened, as written to the audit trail (``record_event(action=…)``).
EVENT_LABELS: dict[str, Promise] = {
    # sign-in and accounts
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.lockout": _("Account locked after failed sign-ins"),
    "user.create": _("Created an account"),
    "user.disable": _("Disabled an account"),
    "user.enable": _("Enabled an account"),
    "user.password_change": _("Changed the password"),
    "user.end_sessions": _("Ended an account's sessions"),
    "role.grant": _("Granted a role"),
    "role.revoke": _("Revoked a role"),
    # audit, reference data, policy
    "audit.verify": _("Verified the audit chain"),
    "audit.redact": _("Masked secrets in old audit entries (new chain epoch)"),
    "regions.load": _("Loaded the regions"),
    "organizations.load": _("Loaded the organisations"),
    "policy.add": _("Added a policy value"),
    "policy.propose": _("Proposed a policy value"),
    "policy.approve": _("Approved a proposed policy value"),
    "policy.reject": _("Rejected a proposed policy value"),
    "policy.withdraw": _("Withdrew a proposed policy value"),
    "import.start": _("Started an import"),
    "import.finish": _("Finished an import"),
    "import.refuse": _("Refused an import"),
    # people registry
    "person.create": _("Added a person"),
    "person.update": _("Updated a person"),
    "person.merge": _("Merged two people"),
    "person.unmask": _("Showed full personal data"),
    "person.export": _("Exported people"),
    "person.link_user": _("Linked a person to an account"),
    "person.external_placement": _("Recorded an earlier placement"),
    "household.create": _("Added a household"),
    "household.member": _("Added a household member"),
    "household.member_remove": _("Removed a household member"),
    "evidence.add": _("Added evidence"),
    "evidence.withdraw": _("Withdrew evidence"),
    # facilities, posts and recruitment
    "facility.create": _("Added a facility"),
    "facility.status": _("Changed a facility's status"),
    "posts.sync": _("Updated the posts of a facility"),
    "batch.publish": _("Published a recruitment batch"),
    "batch.close": _("Closed a recruitment batch"),
    "application.submit": _("Entered an application"),
    "application.submit_public": _("Application received from the public form"),
    "application.withdraw": _("Withdrew an application"),
    "application.recommend": _("Recommended an application"),
    "application.review": _("Reviewed an application"),
    "application.qualify": _("Passed the qualification check"),
    "application.reject": _("Rejected an application"),
    "application.override": _("Overrode an eligibility result"),
    "application.conflict_flag": _("Flagged a conflict of interest"),
    "application.conflict_resolve": _("Resolved a conflict of interest"),
    "application.hire": _("Hired a candidate"),
    "application.standing": _("Changed a candidate's standing (proposed or reserve)"),
    "notice.open": _("Opened a public notice"),
    "notice.close": _("Closed a public notice"),
    "objection.raise": _("Recorded an objection"),
    "objection.resolve": _("Resolved an objection"),
    "contract.register": _("Registered a contract"),
    "placement.end": _("Ended a placement"),
    "placement.account_issue": _("Issued a helper account"),
    "placement.account_close": _("Closed a helper account"),
    # elder care
    "archive.create": _("Added an elder archive"),
    "archive.update": _("Updated an elder archive"),
    "archive.contact_add": _("Added an emergency contact"),
    "assessment.record": _("Recorded a capability assessment"),
    "pairing.assign": _("Paired a helper with an elder"),
    "pairing.end": _("Ended a pairing"),
    "visit.start": _("Started a visit"),
    "visit.submit": _("Submitted a visit"),
    "need.handle": _("Handled a need"),
    "emergency.report": _("Reported an emergency"),
    "emergency.acknowledge": _("Acknowledged an emergency"),
    "emergency.escalate": _("Escalated an emergency"),
    "emergency.refer": _("Referred an emergency (120/110)"),
    "emergency.close": _("Closed an emergency"),
    "confirmation.issue": _("Issued a family confirmation link"),
    "confirmation.submit": _("Family confirmed a visit"),
    "confirmation.lookup_failed": _("Wrong family confirmation link"),
    "confirmation.sample": _("Drew the confirmation calls"),
    "confirmation.call_correct": _("Corrected a confirmation call"),
    "coverage.export": _("Exported the not-visited list"),
    "activity.record": _("Recorded an activity"),
    "facility.day_log": _("Logged a day's opening hours"),
    "facility.day_logs": _("Logged opening hours"),
}

# Filled by ``accounts`` at start-up with ``Role.choices``.
ROLE_LABELS: dict[str, Promise | str] = {}


def action_label(code: str) -> str:
    """The words for an action code (an event or a permission); the code itself if it has none."""
    label = EVENT_LABELS.get(code) or PERMISSION_LABELS.get(code)
    return str(label) if label is not None else code


def roles_label(codes: str) -> str:
    """``"civil_affairs,hr"`` (as stored on an audit event) in words, joined by the list separator."""
    names = [str(ROLE_LABELS.get(code, code)) for code in codes.split(",") if code]
    return gettext(", ").join(names)


def object_type_label(object_type: str) -> str:
    """``"people.person"`` → the model's verbose name (人员); the code itself when no model has it."""
    if "." not in object_type:
        return object_type
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


# Object types whose stored label names no person: shown as stored. Every other type (people, elders,
# applications, visits, emergencies…) is shown by its short id on the list; the detail view has the rest.
PLAIN_OBJECT_TYPES = frozenset(
    {
        "accounts.user",
        "accounts.roleassignment",
        "core.auditevent",
        "core.importjob",
        "policy.policyparameter",
        "posts.facility",
        "posts.post",
        "posts.publicnotice",
        "posts.recruitmentbatch",
        "regions.region",
        "regions.organization",
        "eldercare.activity",
        "eldercare.facilitydaylog",
    }
)


def safe_object_label(event: Any) -> str:
    """The object of an audit event in words, without personal data: 人员 #1a2b3c4d, 设施 上南社区居家养老服务站."""
    kind = object_type_label(event.object_type)
    if event.object_type in PLAIN_OBJECT_TYPES or not event.object_type:
        return f"{kind} {event.object_repr}".strip()
    short = f"#{event.object_id[:8]}" if event.object_id else ""
    return f"{kind} {short}".strip()
