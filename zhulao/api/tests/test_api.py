"""The JSON API: the same services and scoping as the pages, errors as {"code", "message"}."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from zhulao.accounts.models import RoleAssignment
from zhulao.accounts.roles import Role
from zhulao.api.urls import urls as api_urls
from zhulao.core.models import AuditEvent

API = "/api/v1"


def _api_paths() -> list[str]:
    """Every API URL, with each path parameter filled in."""
    paths: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name != "api-root":
                paths.append(re.sub(r"<[^>]+>", "1", f"{API}/{prefix}{pattern.pattern}"))

    walk(api_urls[0], "")
    return paths


@pytest.mark.parametrize("path", _api_paths())
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_api_url_serves_an_anonymous_request(db, path, method):
    response = getattr(Client(), method)(path)
    assert response.status_code in {302, 401, 405}, response.content
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_request_is_401_with_a_code(db):
    # when
    response = Client().get(f"{API}/me")
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_me_lists_the_active_assignments(civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get(f"{API}/me")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == civil_affairs_a.username
    assert [(a["role"], a["region_code"]) for a in body["assignments"]] == [(Role.CIVIL_AFFAIRS, "350602000000")]


# --- regions ----------------------------------------------------------------------------------------


def test_region_in_own_county_is_returned(civil_affairs_a, regions, client_for):
    response = client_for(civil_affairs_a).get(f"{API}/regions/{regions['village_a'].code}")
    assert response.status_code == 200
    assert response.json()["parent_code"] == regions["township_a"].code


def test_region_of_another_county_is_404(civil_affairs_a, regions, client_for):
    response = client_for(civil_affairs_a).get(f"{API}/regions/{regions['village_b'].code}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_regions_are_refused_to_a_helper(helper_a, regions, client_for):
    response = client_for(helper_a).get(f"{API}/regions/{regions['village_a'].code}")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_region_children_are_scoped(civil_affairs_a, regions, client_for):
    response = client_for(civil_affairs_a).get(f"{API}/regions/{regions['city'].code}/children")
    assert response.status_code == 404  # the city itself is outside a county user's scope
    response = client_for(civil_affairs_a).get(f"{API}/regions/{regions['township_a'].code}/children")
    assert sorted(r["code"] for r in response.json()) == [
        regions["village_a"].code,
        regions["village_a2"].code,
    ]


# --- policy -----------------------------------------------------------------------------------------


def test_policy_value_resolves_for_a_region_and_day(policy, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get(
        f"{API}/policy/min_wage.tier", {"region": "350602100200", "on": "2022-05-01"}
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["value"] == 2
    assert body["region_prefix"] == "350602"
    assert body["effective_from"] == "2022-04-01"


def test_missing_policy_value_is_a_400_with_its_code(policy, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(
        f"{API}/policy/min_wage.tier", {"region": "350602100200", "on": "2019-05-01"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "policy_missing"


def test_policy_values_are_refused_to_a_helper(policy, helper_a, client_for):
    response = client_for(helper_a).get(f"{API}/policy/min_wage.tier")
    assert response.status_code == 403


def test_system_admin_adds_a_policy_value(system_admin, client_for):
    payload = {
        "key": "eligibility.working_age_min",
        "value": 18,
        "effective_from": "2024-01-01",
        "source": "test notice",
        "confidence": "CONFIRMED",
        "region_prefix": "3506",
    }
    response = client_for(system_admin).post(f"{API}/policy", payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["value"] == 18


# --- roles --------------------------------------------------------------------------------------------


def _grant(client: Client, **payload: str):
    return client.post(f"{API}/roles", payload, content_type="application/json")


def test_security_admin_grants_a_role(security_admin, make_user, client_for):
    # given
    clerk = make_user(username="clerk")
    # when
    response = _grant(client_for(security_admin), username="clerk", role=Role.CIVIL_AFFAIRS, region_code="350602000000")
    # then
    assert response.status_code == 201
    assert response.json()["region_code"] == "350602000000"
    assignment = RoleAssignment.objects.get(user=clerk)
    assert assignment.granted_by == security_admin
    assert AuditEvent.objects.filter(action="role.grant", object_id=str(assignment.pk)).exists()


def test_granting_a_role_is_refused_to_civil_affairs(civil_affairs_a, make_user, client_for):
    clerk = make_user(username="clerk")
    response = _grant(
        client_for(civil_affairs_a), username="clerk", role=Role.CIVIL_AFFAIRS, region_code="350602000000"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not RoleAssignment.objects.filter(user=clerk).exists()


def test_granting_outside_own_scope_is_403_with_its_code(security_admin_a, make_user, client_for):
    make_user(username="clerk")
    response = _grant(
        client_for(security_admin_a), username="clerk", role=Role.CIVIL_AFFAIRS, region_code="350603000000"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"


def test_business_rule_refusal_is_a_400_with_its_code(security_admin, make_user, client_for):
    # given: a village employer cannot sit at a county
    clerk = make_user(username="clerk")
    # when
    response = _grant(
        client_for(security_admin), username="clerk", role=Role.VILLAGE_EMPLOYER, region_code="350602000000"
    )
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "wrong_level"
    assert body["field"] == "region"
    assert body["message"]
    assert not RoleAssignment.objects.filter(user=clerk).exists()


def test_unknown_region_code_is_a_400(security_admin, make_user, client_for):
    make_user(username="clerk")
    response = _grant(client_for(security_admin), username="clerk", role=Role.CIVIL_AFFAIRS, region_code="350699999999")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_region"


def test_malformed_input_is_a_422_with_its_code(security_admin, client_for):
    response = client_for(security_admin).post(f"{API}/roles", {"username": "clerk"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_security_admin_revokes_a_role(security_admin, civil_affairs_a, client_for):
    assignment = RoleAssignment.objects.get(user=civil_affairs_a)
    response = client_for(security_admin).post(
        f"{API}/roles/{assignment.pk}/revoke", {"reason": "transferred"}, content_type="application/json"
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.revoked_by == security_admin


def test_revoking_a_role_in_another_county_is_404(security_admin_a, civil_affairs_b, client_for):
    assignment = RoleAssignment.objects.get(user=civil_affairs_b)
    response = client_for(security_admin_a).post(
        f"{API}/roles/{assignment.pk}/revoke", {"reason": "no"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


# --- audit log -------------------------------------------------------------------------------------------


def test_audit_admin_reads_the_audit_log(audit_admin, client_for):
    response = client_for(audit_admin).get(f"{API}/audit/events", {"action": "role.grant"})
    assert response.status_code == 200
    events = response.json()
    assert events
    assert {e["action"] for e in events} == {"role.grant"}


@pytest.mark.parametrize("actor", ["system_admin", "security_admin", "civil_affairs_a"])
def test_audit_log_is_refused_to_everyone_but_the_audit_admin(actor, request, client_for):
    response = client_for(request.getfixturevalue(actor)).get(f"{API}/audit/events")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


# --- CSRF and the schema -----------------------------------------------------------------------------------


def test_writes_need_the_csrf_token(security_admin, make_user):
    # given: a browser-like client that enforces CSRF
    make_user(username="clerk")
    client = Client(enforce_csrf_checks=True)
    client.force_login(security_admin)
    # when
    response = _grant(client, username="clerk", role=Role.CIVIL_AFFAIRS, region_code="350602000000")
    # then
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user__username="clerk").exists()


def test_openapi_schema_is_served_to_a_signed_in_user(civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/me" in response.json()["paths"]


@pytest.mark.parametrize("page", ["openapi.json", "docs"])
def test_openapi_schema_and_docs_are_not_public(db, page):
    response = Client().get(f"{API}/{page}")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
