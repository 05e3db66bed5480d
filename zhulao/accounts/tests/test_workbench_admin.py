"""The three administrators' workbenches carry the to-dos their jobs imply: the audit chain's last
verification (audit), next year's holiday calendar and locked accounts (system), role assignments ending
and locked accounts (security)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from zhulao.accounts import services
from zhulao.accounts.models import User
from zhulao.core.audit import record_event
from zhulao.core.selectors import workbench_todos
from zhulao.posts.tests.factories import on

WORKBENCH = reverse("core:workbench")


def _groups(user, day):
    with on(day):
        return {g.kind: g for g in workbench_todos(user=user)}


# ------------------------------------------------------------------------------------------ audit


def test_audit_admin_is_asked_to_verify_a_chain_never_verified(audit_admin):
    group = _groups(audit_admin, timezone.localdate())["audit_verify"]
    assert group.items[0]["urgent"]


def test_audit_admin_todo_goes_after_verifying_and_comes_back_when_stale(audit_admin, client_for, settings):
    # given the administrator verifies the chain today
    client_for(audit_admin).post(reverse("core:audit_verify"))
    today = timezone.localdate()
    # then nothing is asked within the threshold
    assert "audit_verify" not in _groups(audit_admin, today + timedelta(days=settings.AUDIT_VERIFY_MAX_AGE_DAYS))
    # when more days pass than the setting allows
    with translation.override("en"):
        group = _groups(audit_admin, today + timedelta(days=settings.AUDIT_VERIFY_MAX_AGE_DAYS + 1))["audit_verify"]
    # then the verification is due again, with its age
    assert f"{settings.AUDIT_VERIFY_MAX_AGE_DAYS + 1} days ago" in str(group.items[0]["label"])


def test_audit_admin_is_told_when_the_last_verification_found_a_break(audit_admin):
    record_event(actor=audit_admin, action="audit.verify", outcome="failure", reason="missing event #7")
    group = _groups(audit_admin, timezone.localdate())["audit_verify"]
    assert "missing event #7" in str(group.items[0]["label"])
    assert group.items[0]["urgent"]


def test_other_roles_get_no_audit_todo(security_admin, civil_affairs_a):
    assert "audit_verify" not in _groups(security_admin, timezone.localdate())
    assert "audit_verify" not in _groups(civil_affairs_a, timezone.localdate())


# ------------------------------------------------------------------------------------------ system


def test_system_admin_is_warned_of_next_years_calendar_from_1_november(policy, system_admin, client_for):
    # given the seeded calendars end with 2026
    # when / then: in October nothing; from 1 November, calendar.2027 with what to enter
    assert "policy_calendar" not in _groups(system_admin, date(2026, 10, 31))
    with translation.override("en"):
        group = _groups(system_admin, date(2026, 11, 1))["policy_calendar"]
    assert group.count == 1
    assert "calendar.2027" in str(group.items[0]["label"])
    assert "holidays" in str(group.items[0]["label"])
    assert group.items[0]["url"] == reverse("policy:history", args=["calendar.2027"])
    # and in 2027 itself the missing calendar is urgent
    assert _groups(system_admin, date(2027, 2, 1))["policy_calendar"].items[0]["urgent"]
    # the page shows it
    with on(date(2026, 11, 1)):
        assert "calendar.2027" in client_for(system_admin).get(WORKBENCH).content.decode()


def test_system_admin_sees_locked_accounts_and_security_admin_too(system_admin, security_admin, civil_affairs_a):
    today = timezone.localdate()
    assert "locked_accounts" not in _groups(system_admin, today)
    # given an account locked after failed sign-ins
    User.objects.filter(pk=civil_affairs_a.pk).update(locked_until=timezone.now() + timedelta(minutes=30))
    # then both account administrators see it; the audit administrator does not
    for admin in (system_admin, security_admin):
        group = _groups(admin, today)["locked_accounts"]
        assert group.count == 1
        assert civil_affairs_a.username in group.items[0]["url"]


def test_a_lock_outside_the_admins_scope_is_not_shown(security_admin_a, make_user):
    other = make_user("civil_affairs", "county_b")
    User.objects.filter(pk=other.pk).update(locked_until=timezone.now() + timedelta(minutes=30))
    assert "locked_accounts" not in _groups(security_admin_a, timezone.localdate())


# ------------------------------------------------------------------------------------------ security


def test_security_admin_sees_role_assignments_ending_soon(security_admin, make_user, regions, settings):
    # given a role ending within the warning window and one ending later
    today = timezone.localdate()
    soon, later = make_user(), make_user()
    services.role_grant(
        actor=None, user=soon, role="hr", region=regions["county_a"], valid_until=today + timedelta(days=3)
    )
    services.role_grant(
        actor=None,
        user=later,
        role="hr",
        region=regions["county_a"],
        valid_until=today + timedelta(days=settings.ROLE_ENDING_WARN_DAYS + 5),
    )
    # when / then
    group = _groups(security_admin, today)["roles_ending"]
    assert group.count == 1
    assert str(soon) in group.items[0]["label"]


@pytest.mark.parametrize(("who", "ceiling"), [("audit_admin", 9), ("system_admin", 14), ("security_admin", 13)])
def test_admin_workbench_query_count_is_bounded(
    who, ceiling, policy, request, client_for, django_assert_max_num_queries, make_user
):
    # given seven locked accounts: one or two queries per kind of to-do, however many rows
    for n in range(7):
        locked = make_user("hr", "county_a")
        User.objects.filter(pk=locked.pk).update(locked_until=timezone.now() + timedelta(minutes=30 + n))
    client = client_for(request.getfixturevalue(who))
    client.get(WORKBENCH)
    with django_assert_max_num_queries(ceiling):
        assert client.get(WORKBENCH).status_code == 200
