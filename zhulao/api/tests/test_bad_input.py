"""Bad input to the API is a 4xx naming the field, in the one error shape ``{"code", "message", "field"}``;
never a 500 (SECURITY "Bad inputs"; the cases schemathesis found). And a role without the right to a list
gets 403 with its code, as on the page, not 200 with an empty list."""

from __future__ import annotations

import json
from datetime import date

import pytest

from zhulao.eldercare.services import notifications
from zhulao.people.choices import Relation
from zhulao.people.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

API = "/api/v1"


def _post(client, url: str, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def parent_of_a_young_child(regions):
    """A woman born 1980 whose child, in her household, was born on 1 June 2024."""
    household = f.make_household(regions["village_a"])
    parent = f.put_in_household(
        household, f.make_person(regions["village_a"], id_number=f.id_number(date(1980, 1, 1), seq=11))
    )
    f.put_in_household(
        household,
        f.make_person(regions["village_a"], id_number=f.id_number(date(2024, 6, 1), seq=12)),
        relation=Relation.CHILD,
    )
    return parent


# ------------------------------------------------------------------------------------------ eligibility


def test_s5_eligibility_on_a_day_before_a_household_member_was_born_is_answered(
    parent_of_a_young_child, civil_affairs_a, client_for
):
    # when: a day before the child's birth (it used to be a ValueError, 500)
    response = client_for(civil_affairs_a).get(
        f"{API}/persons/{parent_of_a_young_child.public_id}/eligibility", {"on": "2024-03-30"}
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["on"] == "2024-03-30"


def test_s5_eligibility_before_the_persons_own_birth_is_a_400_naming_on(
    parent_of_a_young_child, civil_affairs_a, client_for
):
    response = client_for(civil_affairs_a).get(
        f"{API}/persons/{parent_of_a_young_child.public_id}/eligibility", {"on": "1979-12-31"}
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("before_birth", "on")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2025-02-30", "1899-12-31"])
def test_s5_eligibility_on_a_day_out_of_range_is_a_422_naming_on(
    day, parent_of_a_young_child, civil_affairs_a, client_for
):
    response = client_for(civil_affairs_a).get(
        f"{API}/persons/{parent_of_a_young_child.public_id}/eligibility", {"on": day}
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_input", "on")
    assert body["message"].startswith("on: ")


# ------------------------------------------------------------------------------------------ notifications


@pytest.mark.parametrize("huge", [2**63, 2**64 + 5, -(2**63) - 1])
def test_marking_a_notification_with_an_id_past_the_database_range_is_a_422(huge, civil_affairs_a, client_for):
    # given
    note = notifications.notify(user=civil_affairs_a, kind="need", title="x")
    # when
    response = _post(client_for(civil_affairs_a), f"{API}/care/notifications/read", {"ids": [note.pk, huge]})
    # then: nothing is marked, and the bad item is named
    assert response.status_code == 422
    assert response.json()["field"] == "ids.1"
    note.refresh_from_db()
    assert note.read_at is None


def test_revoking_an_assignment_id_past_the_database_range_is_a_422(security_admin, client_for):
    response = _post(client_for(security_admin), f"{API}/roles/{2**64}/revoke", {"reason": "x"})
    assert response.status_code == 422
    assert response.json()["field"] == "assignment_id"


# ------------------------------------------------------------------------------------------ persons


def _person(**overrides):
    return {
        "name": "王美玲",
        "id_number": f.id_number(date(1979, 9, 9), seq=468),
        "region_code": "350602100200",
        **overrides,
    }


@pytest.mark.parametrize("length", [61, 5000])
def test_s4_a_person_name_longer_than_the_column_is_a_422_naming_name(length, civil_affairs_a, client_for):
    response = _post(client_for(civil_affairs_a), f"{API}/persons", _person(name="林" * length))
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_input", "name")
    assert [e["field"] for e in body["errors"]] == ["name"]


def test_s4_a_person_name_of_60_characters_is_saved(civil_affairs_a, client_for):
    response = _post(client_for(civil_affairs_a), f"{API}/persons", _person(name="林" * 60))
    assert response.status_code == 201, response.content


# ------------------------------------------------------------------------------------------ request bodies


def test_a_body_over_the_upload_limit_is_a_413(civil_affairs_a, client_for, settings):
    # given: a 3 MB body (the limit is Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default)
    body = json.dumps(_person(notes="x" * 3_000_000))
    # when
    response = client_for(civil_affairs_a).post(f"{API}/persons", body, content_type="application/json")
    # then
    assert response.status_code == 413
    assert response.json() == {
        "code": "request_too_big",
        "message": "The request body is too large.",
        "field": "body",
    }


def test_a_body_that_is_not_json_is_a_400_naming_the_body(civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).post(f"{API}/persons", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid_json", "body")


def test_a_missing_field_is_a_422_naming_it(civil_affairs_a, client_for):
    response = _post(client_for(civil_affairs_a), f"{API}/persons", {"name": "王美玲"})
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "id_number"
    assert {e["field"] for e in body["errors"]} == {"id_number", "region_code"}


@pytest.mark.parametrize(
    ("method", "path", "data", "field"),
    [
        ("post", "/persons", _person(name="王\x00美玲"), "body"),
        ("get", "/persons", {"q": "王\x00"}, "q"),
        ("get", "/regions/3506\x00", None, "path"),
    ],
)
def test_a_nul_character_is_a_422_naming_where_it_was(method, path, data, field, civil_affairs_a, client_for):
    # given: PostgreSQL cannot store NUL in text; it must never reach the database as a 500
    client = client_for(civil_affairs_a)
    # when
    response = _post(client, f"{API}{path}", data) if method == "post" else client.get(f"{API}{path}", data)
    # then
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", field)


# ------------------------------------------------------------------------------------------ wrong role: 403

# Every list endpoint, with the roles that hold no right to it (finance and a helper, whose pages are 403).
WRONG_ROLE_LISTS = [
    ("/persons", ["finance_a", "helper_a"]),  # people
    ("/applications", ["finance_a", "helper_a"]),  # recruitment
    ("/audit/events", ["finance_a", "helper_a"]),  # core
    ("/regions/350602000000/children", ["helper_a"]),  # core (finance may read regions)
    ("/care/needs", ["finance_a", "helper_a"]),  # elder care
    ("/care/calls", ["finance_a", "helper_a"]),
    ("/care/coverage", ["finance_a", "helper_a"]),
    ("/care/indicators", ["finance_a", "helper_a"]),
    ("/care/today", ["finance_a", "civil_affairs_a"]),
    ("/care/emergencies", ["finance_a"]),  # emergencies (a helper sees their elders')
    ("/care/operation", ["finance_a", "helper_a"]),  # facility operation
]


@pytest.mark.parametrize(("path", "actor"), [(path, actor) for path, actors in WRONG_ROLE_LISTS for actor in actors])
def test_a_list_for_a_role_without_the_right_is_403_with_its_code(path, actor, request, client_for):
    response = client_for(request.getfixturevalue(actor)).get(f"{API}{path}")
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "forbidden"
    assert response.json()["message"]
