"""Users and roles pages: allowed, other region → 404, wrong role → 403, bad input writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core.models import AuditEvent

USERS = reverse("accounts:user_list")
ROLES = reverse("accounts:role_list")
GRANT = reverse("accounts:role_grant")


def _revoke_url(assignment: RoleAssignment) -> str:
    return reverse("accounts:role_revoke", args=[assignment.pk])


# --- user list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["system_admin", "security_admin"])
def test_user_list_is_open_to_system_and_security_admins(actor, request, client_for, civil_affairs_a):
    response = client_for(request.getfixturevalue(actor)).get(USERS)
    assert response.status_code == 200
    assert civil_affairs_a.username in response.content.decode()


@pytest.mark.parametrize("actor", ["helper_a", "civil_affairs_a", "audit_admin"])
def test_user_list_is_refused_to_other_roles(actor, request, client_for):
    assert client_for(request.getfixturevalue(actor)).get(USERS).status_code == 403


def test_user_list_needs_few_queries(system_admin, make_user, client_for, django_assert_max_num_queries):
    for n in range(10):
        make_user(Role.CIVIL_AFFAIRS, "county_a", username=f"clerk{n}")
    client = client_for(system_admin)
    with django_assert_max_num_queries(15):
        assert client.get(USERS).status_code == 200


def test_county_system_admin_sees_only_users_of_own_county(make_user, client_for, civil_affairs_a, civil_affairs_b):
    # given
    county_admin = make_user(Role.SYSTEM_ADMIN, "county_a", username="sysadmin_a")
    # when
    html = client_for(county_admin).get(USERS).content.decode()
    # then
    assert civil_affairs_a.username in html
    assert civil_affairs_b.username not in html


# --- disabling an account ---------------------------------------------------------------------------


def test_system_admin_disables_an_account(system_admin, civil_affairs_a, client_for):
    # when
    url = reverse("accounts:user_set_active", args=[civil_affairs_a.public_id])
    response = client_for(system_admin).post(url, {"active": "0", "reason": "left the bureau"})
    # then
    assert response.status_code == 302
    civil_affairs_a.refresh_from_db()
    assert not civil_affairs_a.is_active


def test_disabling_an_account_in_another_county_is_404(make_user, civil_affairs_b, client_for):
    county_admin = make_user(Role.SYSTEM_ADMIN, "county_a", username="sysadmin_a")
    url = reverse("accounts:user_set_active", args=[civil_affairs_b.public_id])
    response = client_for(county_admin).post(url, {"active": "0", "reason": "no"})
    assert response.status_code == 404
    civil_affairs_b.refresh_from_db()
    assert civil_affairs_b.is_active


def test_disabling_an_account_is_refused_to_the_security_admin(security_admin, civil_affairs_a, client_for):
    url = reverse("accounts:user_set_active", args=[civil_affairs_a.public_id])
    response = client_for(security_admin).post(url, {"active": "0", "reason": "no"})
    assert response.status_code == 403
    civil_affairs_a.refresh_from_db()
    assert civil_affairs_a.is_active


def test_disabling_without_a_reason_changes_nothing(system_admin, civil_affairs_a, client_for):
    url = reverse("accounts:user_set_active", args=[civil_affairs_a.public_id])
    client_for(system_admin).post(url, {"active": "0", "reason": ""})
    civil_affairs_a.refresh_from_db()
    assert civil_affairs_a.is_active


# --- role list and grant ----------------------------------------------------------------------------


def test_role_list_is_open_to_the_security_admin(security_admin, civil_affairs_a, client_for):
    response = client_for(security_admin).get(ROLES)
    assert response.status_code == 200
    assert civil_affairs_a.username in response.content.decode()


@pytest.mark.parametrize("actor", ["helper_a", "civil_affairs_a", "audit_admin", "system_admin"])
def test_role_list_is_refused_to_other_roles(actor, request, client_for):
    assert client_for(request.getfixturevalue(actor)).get(ROLES).status_code == 403


def test_role_list_needs_few_queries(security_admin, make_user, client_for, django_assert_max_num_queries):
    for n in range(10):
        make_user(Role.CIVIL_AFFAIRS, "county_a", username=f"clerk{n}")
    client = client_for(security_admin)
    with django_assert_max_num_queries(15):
        assert client.get(ROLES).status_code == 200


def test_security_admin_grants_a_role_through_the_form(security_admin, make_user, client_for):
    # given
    clerk = make_user(username="clerk")
    # when
    response = client_for(security_admin).post(
        GRANT, {"username": "CLERK", "role": Role.CIVIL_AFFAIRS, "region": "350602000000"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == ROLES
    assignment = RoleAssignment.objects.get(user=clerk)
    assert (assignment.role, assignment.region_id, assignment.granted_by) == (
        Role.CIVIL_AFFAIRS,
        "350602000000",
        security_admin,
    )


@pytest.mark.parametrize("actor", ["helper_a", "civil_affairs_a", "audit_admin", "system_admin"])
def test_granting_a_role_is_refused_to_other_roles(actor, request, make_user, client_for):
    clerk = make_user(username="clerk")
    response = client_for(request.getfixturevalue(actor)).post(
        GRANT, {"username": "clerk", "role": Role.CIVIL_AFFAIRS, "region": "350602000000"}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=clerk).exists()


def test_granting_in_another_county_is_refused(security_admin_a, make_user, client_for):
    clerk = make_user(username="clerk")
    response = client_for(security_admin_a).post(
        GRANT, {"username": "clerk", "role": Role.CIVIL_AFFAIRS, "region": "350603000000"}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=clerk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"username": "nobody_here", "region": "350602000000"}, "username", id="unknown-user"),
        pytest.param({"username": "clerk", "region": "123"}, "region", id="short-region-code"),
        pytest.param({"username": "clerk", "region": "350699999999"}, "region", id="unknown-region-code"),
    ],
)
def test_grant_form_with_bad_input_shows_field_errors_and_writes_nothing(
    data, field, security_admin, make_user, client_for
):
    # given
    make_user(username="clerk")
    assignments_before = RoleAssignment.objects.count()
    events_before = AuditEvent.objects.filter(action="role.grant").count()
    # when
    response = client_for(security_admin).post(GRANT, {**data, "role": Role.CIVIL_AFFAIRS})
    # then
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert escape(response.context["form"].errors[field][0]) in response.content.decode()
    assert RoleAssignment.objects.count() == assignments_before
    assert AuditEvent.objects.filter(action="role.grant").count() == events_before


def test_grant_refused_by_a_business_rule_shows_the_reason_on_its_field(security_admin, make_user, client_for):
    # given: a village employer cannot sit at a county
    clerk = make_user(username="clerk")
    # when
    response = client_for(security_admin).post(
        GRANT, {"username": "clerk", "role": Role.VILLAGE_EMPLOYER, "region": "350602000000"}
    )
    # then
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not RoleAssignment.objects.filter(user=clerk).exists()


# --- revoke -------------------------------------------------------------------------------------


def test_security_admin_revokes_a_role_in_own_county(security_admin_a, civil_affairs_a, client_for):
    # given
    assignment = RoleAssignment.objects.get(user=civil_affairs_a)
    # when
    response = client_for(security_admin_a).post(_revoke_url(assignment), {"reason": "transferred"})
    # then
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_by == security_admin_a
    assert assignment.revoke_reason == "transferred"


def test_revoking_a_role_in_another_county_is_404(security_admin_a, civil_affairs_b, client_for):
    assignment = RoleAssignment.objects.get(user=civil_affairs_b)
    response = client_for(security_admin_a).post(_revoke_url(assignment), {"reason": "no"})
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


@pytest.mark.parametrize("actor", ["helper_a", "civil_affairs_a", "audit_admin", "system_admin"])
def test_revoking_a_role_is_refused_to_other_roles(actor, request, village_a, client_for):
    assignment = RoleAssignment.objects.get(user=village_a)
    response = client_for(request.getfixturevalue(actor)).post(_revoke_url(assignment), {"reason": "no"})
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_revoking_without_a_reason_changes_nothing(security_admin, civil_affairs_a, client_for):
    assignment = RoleAssignment.objects.get(user=civil_affairs_a)
    response = client_for(security_admin).post(_revoke_url(assignment), {"reason": ""})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_revoked_user_loses_access_on_the_next_request(security_admin, civil_affairs_a, client_for):
    # given: civil_affairs_a is signed in and can browse regions
    clerk_client = client_for(civil_affairs_a)
    assert clerk_client.get(reverse("regions:browse")).status_code == 200
    assignment = RoleAssignment.objects.get(user=civil_affairs_a)
    # when
    client_for(security_admin).post(_revoke_url(assignment), {"reason": "transferred"})
    # then
    assert clerk_client.get(reverse("regions:browse")).status_code == 403
    assert User.objects.get(pk=civil_affairs_a.pk).is_active
