"""Recruitment over JSON (S7, S8, S20): the same services and scoping as the pages.

Every endpoint: allowed, other region (404), wrong role (403), a business rule saying no (400 with its
code), and no session at all (401).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zhulao.accounts import services as account_services
from zhulao.accounts.roles import Role
from zhulao.people.tests import factories as people
from zhulao.posts.choices import ApplicationStatus, FacilityKind
from zhulao.posts.models import Application, Placement, RecruitmentBatch
from zhulao.posts.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

API = "/api/v1"
S = ApplicationStatus
COUNTY_A = "350602000000"


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(f"{API}{path}", params)


def post(client: Client, path: str, payload: dict[str, Any], *, day: date = f.APPLY_ON) -> Any:
    with f.on(day):
        return client.post(f"{API}{path}", payload, content_type="application/json")


def refresh(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj


@pytest.fixture
def hr_b(make_user):
    return make_user(Role.HR, "county_b", username="hr_county_b")


@pytest.fixture
def station_post(station):
    (post,) = f.open_posts(station)
    return post


@pytest.fixture
def submitted(crew, batch, station_post, applicant):
    return f.submit(crew, batch, station_post, applicant)


@pytest.fixture
def closed(regions, crew, batch, submitted):
    """The application qualified, in county A's notice, and the notice closed on 2025-09-22."""
    f.advance(submitted, crew, to=S.QUALIFIED)
    notice = f.open_notice(crew, batch, regions["county_a"])
    f.close_notice(crew, notice)
    return refresh(submitted)


# ------------------------------------------------------------------------------------------ anonymous


def test_s7_every_recruitment_endpoint_answers_401_without_a_session(batch, submitted):
    # given
    client = Client()
    a, b = submitted.public_id, batch.public_id
    # when / then
    assert get(client, "/applications").status_code == 401
    assert get(client, f"/applications/{a}").status_code == 401
    for path in (
        f"/applications/{a}/steps/recommend",
        f"/applications/{a}/close/reject",
        f"/batches/{b}/applications",
        "/batches",
        f"/applications/{a}/hire",
    ):
        response = post(client, path, {})
        assert response.status_code == 401, path
        assert response.json()["code"] == "unauthenticated"
    assert refresh(submitted).status == S.SUBMITTED


# ---------------------------------------------------------------------------------------- application list


def test_s7_application_list_returns_the_county_applications_masked(submitted, applicant, civil_affairs_a, client_for):
    # when
    response = get(client_for(civil_affairs_a), "/applications")
    # then
    assert response.status_code == 200
    (row,) = response.json()
    assert row["public_id"] == str(submitted.public_id)
    assert row["batch_id"] == str(submitted.batch.public_id)
    assert (row["status"], row["applicant_name"]) == (S.SUBMITTED, applicant.name)
    assert row["applicant_id_masked"] == applicant.id_number_masked
    assert applicant.id_number not in response.content.decode()


def test_s7_application_list_filters_by_status(submitted, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    assert len(get(client, "/applications", status=S.SUBMITTED).json()) == 1
    assert get(client, "/applications", status=S.RECOMMENDED).json() == []


def test_s7_application_list_of_another_county_is_empty(submitted, civil_affairs_b, client_for):
    response = get(client_for(civil_affairs_b), "/applications")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s7_application_list_is_forbidden_without_application_view(submitted, client_for, request, actor):
    response = get(client_for(request.getfixturevalue(actor)), "/applications")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_s7_application_list_query_count_does_not_grow_with_the_rows(
    crew, batch, station, center, submitted, civil_affairs_a, client_for, django_assert_max_num_queries
):
    # given: one application, then thirty
    client = client_for(civil_affairs_a)
    get(client, "/applications")
    # when / then: session, user, roles, the rows (person, post, facility, batch joined), the session save
    with django_assert_max_num_queries(7):
        assert len(get(client, "/applications").json()) == 1
    posts = f.open_posts(station) + f.open_posts(center)
    for index in range(29):
        person = people.make_person(
            crew.clerk.active_assignments()[0].region,
            name=f"申请人{index:02d}",
            id_number=people.id_number(date(1978 + index % 8, 1 + index % 12, 1 + index % 28)),
        )
        f.submit(crew, batch, posts[index % len(posts)], person)
    with django_assert_max_num_queries(7):
        assert len(get(client, "/applications").json()) == 30


# -------------------------------------------------------------------------------------- one application


def test_s7_application_detail_is_returned_in_scope(submitted, civil_affairs_a, client_for):
    response = get(client_for(civil_affairs_a), f"/applications/{submitted.public_id}")
    assert response.status_code == 200
    assert response.json()["status"] == S.SUBMITTED


def test_s7_application_detail_of_another_county_is_404(submitted, civil_affairs_b, client_for):
    response = get(client_for(civil_affairs_b), f"/applications/{submitted.public_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_s7_application_detail_is_forbidden_to_a_helper(submitted, helper_a, client_for):
    response = get(client_for(helper_a), f"/applications/{submitted.public_id}")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


# ------------------------------------------------------------------------------------------------ steps


def step(client: Client, application: Application, name: str, **payload: str) -> Any:
    return post(client, f"/applications/{application.public_id}/steps/{name}", payload)


def test_s7_the_village_recommends_through_the_api(submitted, village_a, client_for):
    # when
    response = step(client_for(village_a), submitted, "recommend", note="群众评议通过")
    # then
    assert response.status_code == 200
    assert response.json()["status"] == S.RECOMMENDED
    assert refresh(submitted).status == S.RECOMMENDED
    assert submitted.steps.get(to_status=S.RECOMMENDED).actor == village_a


def test_s7_a_step_of_another_county_is_404(submitted, village_b, client_for):
    response = step(client_for(village_b), submitted, "recommend")
    assert response.status_code == 404
    assert refresh(submitted).status == S.SUBMITTED


@pytest.mark.parametrize(
    ("actor", "name"), [("civil_affairs_a", "recommend"), ("hr_a", "qualify"), ("helper_a", "review")]
)
def test_s7_a_step_needs_the_role_that_takes_it(submitted, client_for, request, actor, name):
    response = step(client_for(request.getfixturevalue(actor)), submitted, name)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert refresh(submitted).status == S.SUBMITTED


def test_s7_an_unknown_step_is_a_400(submitted, village_a, client_for):
    response = step(client_for(village_a), submitted, "approve")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_step"


def test_s7_a_step_out_of_order_is_a_400_with_its_code(submitted, civil_affairs_a, client_for):
    response = step(client_for(civil_affairs_a), submitted, "review")
    assert response.status_code == 400
    assert response.json()["code"] == "wrong_status"
    assert refresh(submitted).status == S.SUBMITTED


def test_s20_a_second_decision_by_the_same_person_is_a_403_with_its_code(
    regions, crew, submitted, civil_affairs_a, client_for
):
    # given: the reviewer also holds the employment-center role
    f.advance(submitted, crew, to=S.REVIEWED)
    account_services.role_grant(
        actor=None, user=civil_affairs_a, role=Role.EMPLOYMENT_CENTER, region=regions["county_a"]
    )
    # when
    response = step(client_for(civil_affairs_a), submitted, "qualify")
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "same_person"
    assert refresh(submitted).status == S.REVIEWED


def test_s7_qualifying_an_ineligible_applicant_needs_an_override_reason(
    regions, crew, batch, station_post, employment_center_a, client_for
):
    # given: a resident in no target group
    person = people.make_person(regions["village_a"], name="郑无证", id_number=people.id_number(date(1979, 9, 9)))
    application = f.advance(f.submit(crew, batch, station_post, person), crew, to=S.REVIEWED)
    client = client_for(employment_center_a)
    # when / then
    refused = step(client, application, "qualify")
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["field"]) == ("not_eligible", "override_reason")
    assert refresh(application).status == S.REVIEWED
    done = step(client, application, "qualify", override_reason="经入户核实，证明补交中")
    assert done.status_code == 200
    assert done.json()["status"] == S.QUALIFIED
    assert refresh(application).override_reason == "经入户核实，证明补交中"


# ------------------------------------------------------------------------------------- reject, withdraw


def close(client: Client, application: Application, how: str, payload: dict[str, Any]) -> Any:
    return post(client, f"/applications/{application.public_id}/close/{how}", payload)


def test_s7_the_village_rejects_through_the_api_with_a_reason(submitted, village_a, client_for):
    response = close(client_for(village_a), submitted, "reject", {"reason": "不符合推荐条件"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == (S.REJECTED, "不符合推荐条件")
    assert refresh(submitted).status == S.REJECTED


def test_s7_the_clerk_withdraws_through_the_api(crew, submitted, client_for):
    response = close(client_for(crew.clerk), submitted, "withdraw", {"reason": "本人放弃"})
    assert response.status_code == 200
    assert refresh(submitted).status == S.WITHDRAWN


def test_s7_closing_without_a_reason_is_a_400(crew, submitted, client_for):
    response = close(client_for(crew.clerk), submitted, "withdraw", {"reason": " "})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("reason_required", "reason")
    assert close(client_for(crew.clerk), submitted, "withdraw", {}).status_code == 422
    assert refresh(submitted).status == S.SUBMITTED


def test_s7_an_unknown_way_to_close_is_a_400(crew, submitted, client_for):
    response = close(client_for(crew.clerk), submitted, "delete", {"reason": "误录"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_step"
    assert refresh(submitted).status == S.SUBMITTED


def test_s7_closing_an_application_of_another_county_is_404(submitted, village_b, client_for):
    assert close(client_for(village_b), submitted, "reject", {"reason": "不符合"}).status_code == 404
    assert refresh(submitted).status == S.SUBMITTED


@pytest.mark.parametrize(
    ("actor", "how"), [("civil_affairs_a", "reject"), ("hr_a", "withdraw"), ("helper_a", "reject")]
)
def test_s7_closing_an_application_needs_the_responsible_role(submitted, client_for, request, actor, how):
    response = close(client_for(request.getfixturevalue(actor)), submitted, how, {"reason": "不符合"})
    assert response.status_code == 403
    assert refresh(submitted).status == S.SUBMITTED


# ------------------------------------------------------------------------------------------- submission


def submit(client: Client, batch: RecruitmentBatch, post_id: Any, person_id: Any, **kwargs: Any) -> Any:
    payload = {"post_id": str(post_id), "person_id": str(person_id), "note": "本人申请"}
    return post(client, f"/batches/{batch.public_id}/applications", payload, **kwargs)


def test_s7_the_clerk_enters_an_application_through_the_api(crew, batch, station_post, applicant, client_for):
    # when
    response = submit(client_for(crew.clerk), batch, station_post.public_id, applicant.public_id)
    # then
    assert response.status_code == 201
    application = Application.objects.get()
    assert response.json()["public_id"] == str(application.public_id)
    assert (application.person, application.post, application.status) == (applicant, station_post, S.SUBMITTED)


def test_s7_a_post_outside_the_batch_is_a_400(regions, crew, batch, applicant, civil_affairs_a, client_for):
    # given: a happiness home opened after the batch was published
    home = f.make_facility(civil_affairs_a, regions["village_a"], kind=FacilityKind.HAPPINESS_HOME, name="东山幸福院")
    # when
    response = submit(client_for(crew.clerk), batch, f.open_posts(home)[0].public_id, applicant.public_id)
    # then
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("post_not_in_batch", "post_id")
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("day", "code"), [(f.APPLY_ON, "duplicate_application"), (date(2025, 10, 8), "batch_not_open")]
)
def test_s7_a_refused_submission_is_a_400_with_its_code(crew, batch, station_post, submitted, client_for, day, code):
    response = submit(client_for(crew.clerk), batch, station_post.public_id, submitted.person.public_id, day=day)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Application.objects.count() == 1


def test_s7_a_village_of_another_county_cannot_submit_to_the_batch(
    batch, station_post, applicant, village_b, client_for
):
    response = submit(client_for(village_b), batch, station_post.public_id, applicant.public_id)
    assert response.status_code == 404
    assert not Application.objects.exists()


@pytest.mark.parametrize("actor", ["civil_affairs_a", "helper_a"])
def test_s7_submitting_needs_application_submit(batch, station_post, applicant, client_for, request, actor):
    response = submit(client_for(request.getfixturevalue(actor)), batch, station_post.public_id, applicant.public_id)
    assert response.status_code == 403
    assert not Application.objects.exists()


# ---------------------------------------------------------------------------------------------- batches


def publish(client: Client, post_ids: list[Any], **overrides: Any) -> Any:
    payload = {
        "title": "2025年第二批助老员招聘",
        "region_code": COUNTY_A,
        "post_ids": [str(p) for p in post_ids],
        "allowed_hukou_types": ["city"],
        "applications_open": "2025-10-08",
        "applications_close": "2025-10-31",
    }
    payload.update(overrides)
    return post(client, "/batches", payload)


def test_s7_civil_affairs_publishes_a_batch_through_the_api(station_post, civil_affairs_a, client_for):
    # when
    response = publish(client_for(civil_affairs_a), [station_post.public_id])
    # then
    assert response.status_code == 201
    batch = RecruitmentBatch.objects.get()
    assert response.json() == {"public_id": str(batch.public_id), "title": batch.title, "status": "open"}
    assert list(batch.posts.all()) == [station_post]


def test_s7_a_batch_closing_before_it_opens_is_a_400(station_post, civil_affairs_a, client_for):
    response = publish(client_for(civil_affairs_a), [station_post.public_id], applications_close="2025-10-01")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("bad_dates", "applications_close")
    assert not RecruitmentBatch.objects.exists()


def test_s7_posts_of_another_county_are_unknown_to_the_api(station_post, civil_affairs_b, client_for):
    response = publish(client_for(civil_affairs_b), [station_post.public_id], region_code="350603000000")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_post"
    assert not RecruitmentBatch.objects.exists()


def test_s7_a_batch_for_another_county_is_a_403(station_post, civil_affairs_b, client_for):
    response = publish(client_for(civil_affairs_b), [])
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert not RecruitmentBatch.objects.exists()


@pytest.mark.parametrize("actor", ["hr_a", "village_a", "helper_a"])
def test_s7_publishing_a_batch_needs_batch_publish(station_post, client_for, request, actor):
    response = publish(client_for(request.getfixturevalue(actor)), [station_post.public_id])
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not RecruitmentBatch.objects.exists()


# ------------------------------------------------------------------------------------------------- hire


def hire(client: Client, application: Application, *, day: date = f.AFTER_NOTICE) -> Any:
    return post(client, f"/applications/{application.public_id}/hire", {"starts_on": f.START.isoformat()}, day=day)


def test_s8_hr_hires_through_the_api(closed, station_post, hr_a, client_for):
    # when
    response = hire(client_for(hr_a), closed)
    # then
    assert response.status_code == 201
    placement = Placement.objects.get()
    body = response.json()
    assert (body["public_id"], body["sequence"], body["started_on"]) == (str(placement.public_id), 1, "2026-01-05")
    assert body["employer"] == station_post.employer.name
    assert Decimal(body["monthly_wage"]) == placement.contract.monthly_wage
    assert refresh(closed).status == S.HIRED


def test_s7_hire_before_the_notice_is_closed_is_a_400(regions, crew, batch, submitted, hr_a, client_for):
    # given: the notice still runs
    f.advance(submitted, crew, to=S.QUALIFIED)
    f.open_notice(crew, batch, regions["county_a"])
    # when
    response = hire(client_for(hr_a), submitted, day=f.NOTICE_CLOSES)
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "notice_open"
    assert refresh(submitted).status == S.IN_NOTICE
    assert not Placement.objects.exists()


def test_s8_hiring_in_another_county_is_404(closed, hr_b, client_for):
    assert hire(client_for(hr_b), closed).status_code == 404
    assert not Placement.objects.exists()


@pytest.mark.parametrize("actor", ["civil_affairs_a", "employment_center_a", "helper_a"])
def test_s8_hiring_needs_the_hire_action(closed, client_for, request, actor):
    response = hire(client_for(request.getfixturevalue(actor)), closed)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Placement.objects.exists()
