"""Accounts services: granting and revoking roles (三员分立, scope), creating and disabling accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhulao.accounts import services
from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.core.testing.fixtures import PASSWORD

# --- role_grant -------------------------------------------------------------------------------


def test_security_admin_grants_a_role_inside_own_scope_and_it_is_audited(security_admin, make_user, regions):
    # given
    clerk = make_user(username="clerk")
    # when
    assignment = services.role_grant(
        actor=security_admin, user=clerk, role=Role.CIVIL_AFFAIRS, region=regions["county_a"]
    )
    # then
    assert assignment.granted_by == security_admin
    assert clerk.can(Action.REGION_VIEW, regions["village_a"].code)
    assert not clerk.can(Action.REGION_VIEW, regions["village_b"].code)
    event = AuditEvent.objects.get(action="role.grant", object_id=str(assignment.pk))
    assert event.actor == security_admin
    assert event.region_code == regions["county_a"].code
    assert event.changes["role"] == [None, Role.CIVIL_AFFAIRS]
    assert event.changes["user"] == [None, "clerk"]


def test_nobody_can_grant_a_role_to_themselves(security_admin, regions):
    with pytest.raises(Forbidden) as exc:
        services.role_grant(
            actor=security_admin, user=security_admin, role=Role.SECURITY_ADMIN, region=regions["county_a"]
        )
    assert exc.value.code == "self_grant"


def test_county_security_admin_cannot_grant_in_another_county(security_admin_a, make_user, regions):
    # given: security_admin_a holds 芗城区 (350602); 龙文区 (350603) is not theirs
    clerk = make_user()
    # when / then
    with pytest.raises(Forbidden) as exc:
        services.role_grant(actor=security_admin_a, user=clerk, role=Role.CIVIL_AFFAIRS, region=regions["county_b"])
    assert exc.value.code == "out_of_scope"
    assert not RoleAssignment.objects.filter(user=clerk).exists()


def test_county_security_admin_cannot_widen_a_grant_to_the_city(security_admin_a, make_user, regions):
    clerk = make_user()
    with pytest.raises(Forbidden) as exc:
        services.role_grant(actor=security_admin_a, user=clerk, role=Role.CIVIL_AFFAIRS, region=regions["city"])
    assert exc.value.code == "out_of_scope"


def test_a_role_is_held_only_at_its_region_level(security_admin, make_user, regions):
    # given: a village employer sits at a village, not a county
    clerk = make_user()
    # when / then
    with pytest.raises(DomainError) as exc:
        services.role_grant(actor=security_admin, user=clerk, role=Role.VILLAGE_EMPLOYER, region=regions["county_a"])
    assert exc.value.code == "wrong_level"


def test_business_role_holder_cannot_become_an_administrator(security_admin, civil_affairs_a, regions):
    with pytest.raises(DomainError) as exc:
        services.role_grant(
            actor=security_admin, user=civil_affairs_a, role=Role.SYSTEM_ADMIN, region=regions["county_a"]
        )
    assert exc.value.code == "separation_of_admins"


def test_administrator_cannot_take_a_business_role(security_admin, audit_admin, regions):
    with pytest.raises(DomainError) as exc:
        services.role_grant(actor=security_admin, user=audit_admin, role=Role.CIVIL_AFFAIRS, region=regions["county_a"])
    assert exc.value.code == "separation_of_admins"


def test_administrator_cannot_hold_a_second_administrator_role(security_admin, audit_admin, regions):
    with pytest.raises(DomainError) as exc:
        services.role_grant(actor=security_admin, user=audit_admin, role=Role.SYSTEM_ADMIN, region=regions["county_a"])
    assert exc.value.code == "separation_of_admins"


@pytest.mark.parametrize("granter", ["civil_affairs_a", "system_admin", "audit_admin"])
def test_only_a_security_admin_grants_roles(granter, request, make_user, regions):
    # given
    actor = request.getfixturevalue(granter)
    clerk = make_user()
    # when / then
    with pytest.raises(Forbidden) as exc:
        services.role_grant(actor=actor, user=clerk, role=Role.CIVIL_AFFAIRS, region=regions["county_a"])
    assert exc.value.code == "forbidden"
    assert not RoleAssignment.objects.filter(user=clerk).exists()


def test_the_same_active_role_cannot_be_granted_twice(security_admin, make_user, regions):
    # given
    clerk = make_user(Role.CIVIL_AFFAIRS, "county_a")
    # when / then
    with pytest.raises(DomainError) as exc:
        services.role_grant(actor=security_admin, user=clerk, role=Role.CIVIL_AFFAIRS, region=regions["county_a"])
    assert exc.value.code == "duplicate"
    assert RoleAssignment.objects.filter(user=clerk).count() == 1


def test_valid_until_must_not_be_before_valid_from(security_admin, make_user, regions):
    clerk = make_user()
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.role_grant(
            actor=security_admin,
            user=clerk,
            role=Role.CIVIL_AFFAIRS,
            region=regions["county_a"],
            valid_from=today,
            valid_until=today - timedelta(days=1),
        )
    assert exc.value.code == "bad_dates"


# --- role_revoke and validity dates -------------------------------------------------------------


def test_revoked_role_stops_counting_on_the_next_request(security_admin, make_user, regions):
    # given
    clerk = make_user(Role.CIVIL_AFFAIRS, "county_a")
    assignment = RoleAssignment.objects.get(user=clerk)
    assert clerk.can(Action.REGION_VIEW, regions["village_a"].code)
    # when
    services.role_revoke(actor=security_admin, assignment=assignment, reason="transferred to another post")
    clerk.forget_permissions()  # the next request loads the user afresh
    # then
    assert clerk.scope_prefixes(Action.REGION_VIEW) == []
    assignment.refresh_from_db()
    assert assignment.revoked_by == security_admin
    assert assignment.revoke_reason == "transferred to another post"
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(assignment.pk)).exists()


def test_revoking_a_role_requires_a_reason(security_admin, make_user):
    # given
    clerk = make_user(Role.CIVIL_AFFAIRS, "county_a")
    assignment = RoleAssignment.objects.get(user=clerk)
    # when / then
    with pytest.raises(DomainError) as exc:
        services.role_revoke(actor=security_admin, assignment=assignment, reason="   ")
    assert exc.value.code == "reason_required"
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_county_security_admin_cannot_revoke_in_another_county(security_admin_a, civil_affairs_b):
    assignment = RoleAssignment.objects.get(user=civil_affairs_b)
    with pytest.raises(Forbidden) as exc:
        services.role_revoke(actor=security_admin_a, assignment=assignment, reason="no")
    assert exc.value.code == "out_of_scope"


def test_expired_assignment_gives_no_scope(make_user, regions):
    # given: an assignment that ended yesterday
    clerk = make_user()
    today = timezone.localdate()
    services.role_grant(
        actor=None,
        user=clerk,
        role=Role.CIVIL_AFFAIRS,
        region=regions["county_a"],
        valid_from=today - timedelta(days=30),
        valid_until=today - timedelta(days=1),
    )
    clerk.forget_permissions()
    # then
    assert clerk.scope_prefixes(Action.REGION_VIEW) == []
    assert clerk.scope_prefixes(Action.REGION_VIEW, on=today - timedelta(days=1)) == ["350602"]


def test_assignment_starting_in_the_future_gives_no_scope_yet(make_user, regions):
    # given: an assignment from next week
    clerk = make_user()
    today = timezone.localdate()
    services.role_grant(
        actor=None,
        user=clerk,
        role=Role.CIVIL_AFFAIRS,
        region=regions["county_a"],
        valid_from=today + timedelta(days=7),
    )
    clerk.forget_permissions()
    # then
    assert clerk.scope_prefixes(Action.REGION_VIEW) == []
    assert clerk.scope_prefixes(Action.REGION_VIEW, on=today + timedelta(days=7)) == ["350602"]


# --- user_create --------------------------------------------------------------------------------


def test_usernames_are_unique_ignoring_case(system_admin):
    # given
    services.user_create(actor=system_admin, username="Zhang", full_name="张三", password=PASSWORD)
    # when / then
    with pytest.raises(DomainError) as exc:
        services.user_create(actor=system_admin, username="zhang", full_name="张三", password=PASSWORD)
    assert exc.value.code == "username_taken"
    assert User.objects.filter(username__iexact="zhang").count() == 1


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("Ab3#efghk", id="nine-characters"),
        pytest.param("abcdefgh7294", id="two-character-classes"),
        pytest.param("Password123", id="common-password"),
    ],
)
def test_weak_password_is_refused(system_admin, password):
    with pytest.raises(DomainError) as exc:
        services.user_create(actor=system_admin, username="newcomer", full_name="新人", password=password)
    assert exc.value.code == "weak_password"
    assert not User.objects.filter(username="newcomer").exists()


def test_password_is_stored_hashed_never_in_plain_text(system_admin):
    # when
    user, initial = services.user_create(actor=system_admin, username="li", full_name="李四", password=PASSWORD)
    # then
    user.refresh_from_db()
    assert initial == PASSWORD
    assert PASSWORD not in user.password
    assert identify_hasher(user.password) is not None
    assert user.check_password(PASSWORD)


def test_random_initial_password_is_strong_and_hashed(system_admin):
    user, initial = services.user_create(actor=system_admin, username="wang", full_name="王五")
    user.refresh_from_db()
    assert len(initial) >= 10
    assert initial not in user.password
    assert user.check_password(initial)


def test_only_the_system_admin_creates_accounts(security_admin):
    with pytest.raises(Forbidden):
        services.user_create(actor=security_admin, username="zhao", full_name="赵六", password=PASSWORD)


# --- user_set_active ----------------------------------------------------------------------------


def test_disabling_an_account_is_audited_and_ends_its_sessions(system_admin, civil_affairs_a):
    # given: civil_affairs_a is signed in
    client = Client()
    assert client.login(username=civil_affairs_a.username, password=PASSWORD)
    assert client.get(reverse("core:workbench")).status_code == 200
    # when
    services.user_set_active(actor=system_admin, user=civil_affairs_a, active=False, reason="left the bureau")
    # then: the very next request is sent to the login page
    response = client.get(reverse("core:workbench"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    event = AuditEvent.objects.get(action="user.disable", object_id=str(civil_affairs_a.public_id))
    assert event.actor == system_admin
    assert event.reason == "left the bureau"
    civil_affairs_a.refresh_from_db()
    assert not civil_affairs_a.is_active


def test_system_admin_cannot_disable_own_account(system_admin):
    with pytest.raises(DomainError) as exc:
        services.user_set_active(actor=system_admin, user=system_admin, active=False, reason="testing")
    assert exc.value.code == "self_disable"
    system_admin.refresh_from_db()
    assert system_admin.is_active


def test_disabling_an_account_requires_a_reason(system_admin, civil_affairs_a):
    with pytest.raises(DomainError) as exc:
        services.user_set_active(actor=system_admin, user=civil_affairs_a, active=False, reason=" ")
    assert exc.value.code == "reason_required"
    civil_affairs_a.refresh_from_db()
    assert civil_affairs_a.is_active
    assert not AuditEvent.objects.filter(action="user.disable").exists()


def test_re_enabling_an_account_clears_its_lockout(system_admin, civil_affairs_a):
    # given: a disabled, locked account
    services.user_set_active(actor=system_admin, user=civil_affairs_a, active=False, reason="on leave")
    User.objects.filter(pk=civil_affairs_a.pk).update(
        failed_login_count=3, locked_until=timezone.now() + timedelta(minutes=10)
    )
    # when
    services.user_set_active(actor=system_admin, user=civil_affairs_a, active=True, reason="back")
    # then
    civil_affairs_a.refresh_from_db()
    assert civil_affairs_a.is_active
    assert civil_affairs_a.failed_login_count == 0
    assert civil_affairs_a.locked_until is None


# --- the database ---------------------------------------------------------------------------------


def test_database_refuses_a_superuser(civil_affairs_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=civil_affairs_a.pk).update(is_superuser=True)


def test_database_refuses_a_self_granted_assignment(civil_affairs_a, regions):
    assignment = RoleAssignment.objects.get(user=civil_affairs_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.filter(pk=assignment.pk).update(granted_by=civil_affairs_a)


def test_random_initial_passwords_always_pass_the_validators():
    """user_create's random password (and the helpers' one-time ones) never trip the password rules."""
    from django.contrib.auth.password_validation import validate_password

    from zhulao.accounts.services import one_time_password

    for _ in range(300):
        validate_password(one_time_password())
