"""Staff pages of facilities, batches, applications, notices and placements (S1, S2, S7, S8, S20).

Every page is tried three ways: allowed, other region (404) and wrong role (403). A POST that is
allowed redirects and changes the state through its service; a refused one changes nothing. The
public pages are covered in ``test_public.py``.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from zhulao.accounts import services as account_services
from zhulao.accounts.roles import Role
from zhulao.core.exceptions import Forbidden
from zhulao.core.models import AuditEvent
from zhulao.people.tests import factories as people
from zhulao.posts import services
from zhulao.posts.choices import (
    ApplicationStatus,
    FacilityKind,
    FacilityStatus,
    NoticeStatus,
    ObjectionStatus,
    PlacementEndReason,
)
from zhulao.posts.models import (
    Application,
    ConflictFlag,
    Facility,
    Placement,
    Post,
    PublicNotice,
    RecruitmentBatch,
)
from zhulao.posts.services.recruitment import ensure_separation
from zhulao.posts.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

S = ApplicationStatus
VILLAGE_A, TOWNSHIP_A, COUNTY_A = "350602100200", "350602100000", "350602000000"
WORKBENCH = reverse("core:workbench")


def url(name: str, *args: Any) -> str:
    return reverse(f"posts:{name}", args=args)


def flashes(response: Any) -> list[str]:
    """The messages a redirect left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def refresh(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj


# ------------------------------------------------------------------------------------------- actors


@pytest.fixture
def hr_b(make_user):
    return make_user(Role.HR, "county_b", username="hr_county_b")


@pytest.fixture
def employment_center_b(make_user):
    return make_user(Role.EMPLOYMENT_CENTER, "county_b", username="employment_center_county_b")


# ----------------------------------------------------------------------------- the application's path


@pytest.fixture
def station_post(station):
    (post,) = f.open_posts(station)
    return post


@pytest.fixture
def submitted(crew, batch, station_post, applicant):
    """Entered by the village clerk on 2025-09-10 for the station's post."""
    return f.submit(crew, batch, station_post, applicant)


@pytest.fixture
def recommended(crew, submitted):
    return f.advance(submitted, crew, to=S.RECOMMENDED)


@pytest.fixture
def reviewed(crew, submitted):
    return f.advance(submitted, crew, to=S.REVIEWED)


@pytest.fixture
def candidate(crew, submitted):
    return f.advance(submitted, crew, to=S.QUALIFIED)


@pytest.fixture
def notice(regions, crew, batch, candidate):
    """County A's notice of the candidate, open from Monday 2025-09-15 to Friday 2025-09-19."""
    return f.open_notice(crew, batch, regions["county_a"])


@pytest.fixture
def closed(crew, notice, candidate):
    """The notice closed on 2025-09-22: the candidate (in notice) may be hired."""
    f.close_notice(crew, notice)
    return refresh(candidate)


@pytest.fixture
def placement(crew, closed):
    """The candidate hired from 2026-01-05: a placement and a contract with the village committee."""
    return f.hire(crew, closed)


@pytest.fixture
def objection(notice, candidate):
    with f.on(f.NOTICE_CLOSES):
        return services.objection_raise(
            notice=notice, application=refresh(candidate), text="该人员家中有经营性收入，请核查。", ip="1.2.3.4"
        )


# ========================================================================================= facilities


def test_s1_facility_list_shows_the_facilities_of_the_county(station, center, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get(url("facility_list"))
    # then
    assert response.status_code == 200
    assert {row.name for row in response.context["page"]} == {station.name, center.name}
    assert response.context["can_edit"] is True


def test_s1_facility_list_of_another_county_leaves_them_out(station, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).get(url("facility_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s1_facility_list_is_forbidden_without_facility_view(station, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("facility_list")).status_code == 403


def test_s1_facility_list_query_count_does_not_grow_with_the_rows(
    regions, civil_affairs_a, station, client_for, django_assert_max_num_queries
):
    # given: one facility, then thirty
    client = client_for(civil_affairs_a)
    client.get(url("facility_list"))  # a first request, as a signed-in user's next one
    # when / then: session, user, roles, count, cascader regions, the rows, the page frame (its regions, the
    # unread notifications), the session save — not one per row
    with django_assert_max_num_queries(12):
        response = client.get(url("facility_list"))
    assert len(response.context["page"]) == 1
    for index in range(29):
        village = regions["village_a" if index % 2 else "village_a2"]
        f.make_facility(civil_affairs_a, village, kind=FacilityKind.HAPPINESS_HOME, name=f"幸福院{index:02d}")
    with django_assert_max_num_queries(12):
        response = client.get(url("facility_list"))
    assert len(response.context["page"]) == 30


def test_s1_civil_affairs_registers_a_facility_and_its_posts_open(regions, policy, civil_affairs_a, client_for):
    # when
    with f.on(f.APPLY_ON):
        response = client_for(civil_affairs_a).post(
            url("facility_create"),
            {"kind": FacilityKind.SERVICE_CENTER, "name": "浦南镇照料中心", "region": TOWNSHIP_A, "address": ""},
        )
    # then
    facility = Facility.objects.get(name="浦南镇照料中心")
    assert response.status_code == 302
    assert response["Location"] == facility.get_absolute_url()
    assert facility.region_id == TOWNSHIP_A
    assert facility.posts.filter(closed_on__isnull=True).count() == 2
    assert AuditEvent.objects.filter(action="facility.create", object_id=str(facility.public_id)).exists()


def test_s1_a_service_center_with_a_village_code_is_refused_on_the_form(regions, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).post(
        url("facility_create"), {"kind": FacilityKind.SERVICE_CENTER, "name": "东山村照料中心", "region": VILLAGE_A}
    )
    # then: the form comes back with the error on the region, nothing is written
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not Facility.objects.exists()


def test_s1_registering_a_facility_in_another_county_is_refused(regions, civil_affairs_b, client_for):
    # when: Civil Affairs of county B names a village of county A (no object to hide: the service says no)
    response = client_for(civil_affairs_b).post(
        url("facility_create"), {"kind": FacilityKind.HAPPINESS_HOME, "name": "东山村幸福院", "region": VILLAGE_A}
    )
    # then
    assert response.status_code == 403
    assert not Facility.objects.exists()


@pytest.mark.parametrize("actor", ["village_a", "hr_a", "helper_a"])
def test_s1_registering_a_facility_needs_facility_edit(regions, client_for, request, actor):
    response = client_for(request.getfixturevalue(actor)).post(
        url("facility_create"), {"kind": FacilityKind.HAPPINESS_HOME, "name": "东山村幸福院", "region": VILLAGE_A}
    )
    assert response.status_code == 403
    assert not Facility.objects.exists()


def test_s2_facility_detail_lists_its_posts(station, station_post, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(url("facility_detail", station.public_id))
    assert response.status_code == 200
    assert response.context["posts"] == [station_post]


def test_s2_facility_detail_of_another_county_is_404(station, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).get(url("facility_detail", station.public_id)).status_code == 404


def test_s2_facility_detail_is_forbidden_to_a_helper(station, helper_a, client_for):
    assert client_for(helper_a).get(url("facility_detail", station.public_id)).status_code == 403


def test_s2_suspending_a_facility_closes_its_vacant_posts(station, station_post, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).post(
        url("facility_status", station.public_id),
        {"status": FacilityStatus.SUSPENDED, "effective_on": "2025-10-08", "reason": "装修停业"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == station.get_absolute_url()
    assert refresh(station).status == FacilityStatus.SUSPENDED
    assert refresh(station_post).closed_on == date(2025, 10, 8)
    assert station.status_history.filter(status=FacilityStatus.SUSPENDED, reason="装修停业").exists()


def test_s2_a_facility_status_without_a_reason_changes_nothing(station, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).post(
        url("facility_status", station.public_id), {"status": FacilityStatus.SUSPENDED, "effective_on": "2025-10-08"}
    )
    assert response.status_code == 302
    assert flashes(response)
    assert refresh(station).status == FacilityStatus.OPERATING


def test_s2_facility_status_of_another_county_is_404(station, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).post(
        url("facility_status", station.public_id),
        {"status": FacilityStatus.CLOSED, "effective_on": "2025-10-08", "reason": "撤并"},
    )
    assert response.status_code == 404
    assert refresh(station).status == FacilityStatus.OPERATING


@pytest.mark.parametrize("actor", ["village_a", "hr_a", "helper_a"])
def test_s2_facility_status_needs_facility_edit(station, client_for, request, actor):
    response = client_for(request.getfixturevalue(actor)).post(
        url("facility_status", station.public_id),
        {"status": FacilityStatus.CLOSED, "effective_on": "2025-10-08", "reason": "撤并"},
    )
    assert response.status_code == 403
    assert refresh(station).status == FacilityStatus.OPERATING


# ============================================================================================ batches


def test_s7_batch_list_shows_the_county_batches_and_the_open_ones_to_the_village(
    batch, civil_affairs_a, village_a, client_for
):
    # when
    with f.on(f.APPLY_ON):
        civil = client_for(civil_affairs_a).get(url("batch_list"))
        village = client_for(village_a).get(url("batch_list"))
    # then
    assert civil.status_code == 200
    assert list(civil.context["batches"]) == [batch]
    assert civil.context["can_publish"] is True
    assert village.status_code == 200
    assert list(village.context["open_batches"]) == [batch]
    assert village.context["can_publish"] is False


def test_s7_batch_list_of_another_county_leaves_the_batch_out(batch, civil_affairs_b, client_for):
    with f.on(f.APPLY_ON):
        response = client_for(civil_affairs_b).get(url("batch_list"))
    assert response.status_code == 200
    assert list(response.context["batches"]) == []
    assert list(response.context["open_batches"]) == []


def test_s7_batch_list_is_forbidden_to_a_helper(batch, helper_a, client_for):
    assert client_for(helper_a).get(url("batch_list")).status_code == 403


def test_s7_batch_list_query_count_does_not_grow_with_the_rows(
    regions, crew, batch, station, center, client_for, django_assert_max_num_queries
):
    # given: one batch, then thirty
    client = client_for(crew.reviewer)
    client.get(url("batch_list"))
    # session, user, roles, the batches with their counts, the open ones, the page frame (regions,
    # unread notifications), the session save
    with f.on(f.APPLY_ON), django_assert_max_num_queries(11):
        response = client.get(url("batch_list"))
    assert len(response.context["batches"]) == 1
    posts = f.open_posts(station) + f.open_posts(center)
    for index in range(29):
        f.publish_batch(crew.reviewer, regions["county_a"], posts, title=f"第{index + 2}批")
    # when / then
    with f.on(f.APPLY_ON), django_assert_max_num_queries(11):
        response = client.get(url("batch_list"))
    assert len(response.context["batches"]) == 30


def _batch_form(chosen: list[Post], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "2025年第二批助老员招聘",
        "region": COUNTY_A,
        "posts": [p.pk for p in chosen],
        "allowed_hukou_types": ["city", "province"],
        "applications_open": "2025-10-08",
        "applications_close": "2025-10-31",
        "description": "",
    }
    data.update(overrides)
    return data


def test_s7_batch_form_offers_the_vacant_posts_of_the_county(station_post, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(url("batch_create"))
    assert response.status_code == 200
    assert list(response.context["form"].fields["posts"].queryset) == [station_post]


def test_s7_civil_affairs_publishes_a_batch(station_post, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).post(url("batch_create"), _batch_form([station_post]))
    # then
    batch = RecruitmentBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert list(batch.posts.all()) == [station_post]
    assert (batch.applications_open, batch.applications_close) == (date(2025, 10, 8), date(2025, 10, 31))
    assert batch.published_by == civil_affairs_a


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"posts": []}, "posts"),
        ({"applications_open": "2025-10-31", "applications_close": "2025-10-08"}, "applications_close"),
        ({"allowed_hukou_types": []}, "allowed_hukou_types"),
        ({"title": ""}, "title"),
    ],
    ids=["no-posts", "close-before-open", "no-hukou-type", "no-title"],
)
def test_s7_a_bad_batch_is_shown_again_with_the_field_error(
    station_post, civil_affairs_a, client_for, overrides, field
):
    # when
    response = client_for(civil_affairs_a).post(url("batch_create"), _batch_form([station_post], **overrides))
    # then
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not RecruitmentBatch.objects.exists()


def test_s7_posts_of_another_county_cannot_be_put_in_a_batch(station_post, civil_affairs_b, client_for):
    # when: Civil Affairs of county B posts county A's post
    response = client_for(civil_affairs_b).post(url("batch_create"), _batch_form([station_post]))
    # then: not a choice it has
    assert response.status_code == 200
    assert response.context["form"].errors["posts"]
    assert not RecruitmentBatch.objects.exists()


@pytest.mark.parametrize("actor", ["hr_a", "village_a", "employment_center_a", "helper_a"])
def test_s7_publishing_a_batch_needs_batch_publish(station_post, client_for, request, actor):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(url("batch_create")).status_code == 403
    assert client.post(url("batch_create"), _batch_form([station_post])).status_code == 403
    assert not RecruitmentBatch.objects.exists()


def test_s7_batch_detail_offers_the_village_the_application_form(batch, station_post, village_a, client_for):
    # when
    with f.on(f.APPLY_ON):
        response = client_for(village_a).get(url("batch_detail", batch.public_id))
    # then: the village sees its county's batch and may enter applications for its posts
    assert response.status_code == 200
    assert response.context["can_submit"] is True
    assert station_post in response.context["form"].fields["post"].queryset


def test_s7_batch_detail_is_shown_to_civil_affairs_without_the_form(batch, civil_affairs_a, client_for):
    with f.on(f.APPLY_ON):
        response = client_for(civil_affairs_a).get(url("batch_detail", batch.public_id))
    assert response.status_code == 200
    assert response.context["can_submit"] is False


@pytest.mark.parametrize("actor", ["civil_affairs_b", "village_b"])
def test_s7_batch_detail_of_another_county_is_404(batch, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("batch_detail", batch.public_id)).status_code == 404


def test_s7_batch_detail_is_forbidden_to_a_helper(batch, helper_a, client_for):
    assert client_for(helper_a).get(url("batch_detail", batch.public_id)).status_code == 403


# ======================================================================================= applications


def test_s7_the_village_clerk_enters_an_application(crew, batch, station_post, applicant, client_for):
    # when
    with f.on(f.APPLY_ON):
        response = client_for(crew.clerk).post(
            url("application_create", batch.public_id),
            {"id_number": applicant.id_number, "post": station_post.pk, "note": "本人申请"},
        )
    # then
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert (application.person, application.post, application.status) == (applicant, station_post, S.SUBMITTED)
    step = application.steps.get()
    assert (step.to_status, step.actor, step.note) == (S.SUBMITTED, crew.clerk, "本人申请")


@pytest.mark.parametrize(
    "number",
    [people.id_number(date(1975, 2, 2)), people.with_wrong_check_digit(people.id_number(date(1975, 2, 2)))[0]],
    ids=["nobody-registered", "wrong-check-digit"],
)
def test_s7_an_unknown_id_number_is_a_field_error(crew, batch, station_post, applicant, client_for, number):
    # when
    with f.on(f.APPLY_ON):
        response = client_for(crew.clerk).post(
            url("application_create", batch.public_id), {"id_number": number, "post": station_post.pk}
        )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Application.objects.exists()


def test_s7_an_application_outside_the_window_is_refused_on_the_form(crew, batch, station_post, applicant, client_for):
    with f.on(date(2025, 10, 8)):
        response = client_for(crew.clerk).post(
            url("application_create", batch.public_id), {"id_number": applicant.id_number, "post": station_post.pk}
        )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Application.objects.exists()


def test_s7_a_village_of_another_county_cannot_enter_an_application(
    batch, station_post, applicant, village_b, client_for
):
    with f.on(f.APPLY_ON):
        response = client_for(village_b).post(
            url("application_create", batch.public_id), {"id_number": applicant.id_number, "post": station_post.pk}
        )
    assert response.status_code == 404
    assert not Application.objects.exists()


@pytest.mark.parametrize("actor", ["civil_affairs_a", "hr_a", "helper_a"])
def test_s7_entering_an_application_needs_application_submit(
    batch, station_post, applicant, client_for, request, actor
):
    with f.on(f.APPLY_ON):
        response = client_for(request.getfixturevalue(actor)).post(
            url("application_create", batch.public_id), {"id_number": applicant.id_number, "post": station_post.pk}
        )
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_s7_application_list_shows_the_county_applications_and_filters_by_status(
    submitted, civil_affairs_a, client_for
):
    client = client_for(civil_affairs_a)
    # when
    everything = client.get(url("application_list"))
    recommended = client.get(url("application_list"), {"status": S.RECOMMENDED})
    # then
    assert everything.status_code == 200
    assert list(everything.context["page"]) == [submitted]
    assert list(recommended.context["page"]) == []


def test_s7_application_list_serves_the_rows_fragment_to_htmx(submitted, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(url("application_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "posts/_application_rows.html"


def test_s7_application_list_of_another_county_leaves_them_out(submitted, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).get(url("application_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s7_application_list_is_forbidden_without_application_view(submitted, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("application_list")).status_code == 403


def many_applications(crew: f.Crew, batch: RecruitmentBatch, posts: list[Post], count: int) -> list[Application]:
    """``count`` applications of residents of the clerk's village, spread over ``posts``."""
    village = crew.clerk.active_assignments()[0].region
    applications = []
    for index in range(count):
        person = people.make_person(
            village,
            name=f"申请人{index:02d}",
            id_number=people.id_number(date(1972 + index % 20, 1 + index % 12, 1 + index % 28)),
        )
        applications.append(f.submit(crew, batch, posts[index % len(posts)], person))
    return applications


def test_s7_application_list_query_count_does_not_grow_with_the_rows(
    crew, batch, station, center, submitted, civil_affairs_a, client_for, django_assert_max_num_queries
):
    # given: one application, then thirty
    client = client_for(civil_affairs_a)
    client.get(url("application_list"))
    # session, user, roles, the count, the page of rows (person, post, facility, batch joined), the page
    # frame (regions, unread notifications), the session save — not one per row
    with django_assert_max_num_queries(11):
        response = client.get(url("application_list"))
    assert len(response.context["page"]) == 1
    many_applications(crew, batch, f.open_posts(station) + f.open_posts(center), 29)
    # when / then
    with django_assert_max_num_queries(11):
        response = client.get(url("application_list"))
    assert len(response.context["page"]) == 30


def test_s7_application_detail_offers_the_village_the_recommendation(submitted, village_a, client_for):
    with f.on(f.APPLY_ON):
        response = client_for(village_a).get(url("application_detail", submitted.public_id))
    assert response.status_code == 200
    assert response.context["step"] == "recommend"
    assert response.context["decision"].eligible


def test_s7_application_detail_of_another_county_is_404(submitted, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).get(url("application_detail", submitted.public_id)).status_code == 404


def test_s7_application_detail_is_forbidden_to_a_helper(submitted, helper_a, client_for):
    assert client_for(helper_a).get(url("application_detail", submitted.public_id)).status_code == 403


# ----------------------------------------------------------------------------------- the decision steps


def _step(client: Any, application: Application, step: str, **data: str) -> Any:
    with f.on(f.APPLY_ON):
        return client.post(url("application_step", application.public_id, step), data)


def test_s7_village_staff_recommend_a_submitted_application(submitted, village_a, client_for):
    # when
    response = _step(client_for(village_a), submitted, "recommend", note="群众评议通过")
    # then
    assert response.status_code == 302
    assert response["Location"] == submitted.get_absolute_url()
    assert refresh(submitted).status == S.RECOMMENDED
    step = submitted.steps.get(to_status=S.RECOMMENDED)
    assert (step.from_status, step.actor, step.note) == (S.SUBMITTED, village_a, "群众评议通过")
    assert AuditEvent.objects.filter(action="application.recommend", object_id=str(submitted.public_id)).exists()


def test_s7_civil_affairs_review_a_recommended_application(recommended, civil_affairs_a, client_for):
    response = _step(client_for(civil_affairs_a), recommended, "review")
    assert response.status_code == 302
    assert refresh(recommended).status == S.REVIEWED
    assert recommended.steps.get(to_status=S.REVIEWED).actor == civil_affairs_a


def test_s7_the_employment_center_qualifies_a_reviewed_application(reviewed, employment_center_a, client_for):
    response = _step(client_for(employment_center_a), reviewed, "qualify")
    assert response.status_code == 302
    assert refresh(reviewed).status == S.QUALIFIED
    assert reviewed.eligibility["status"] == "passed"
    assert reviewed.steps.get(to_status=S.QUALIFIED).actor == employment_center_a


@pytest.mark.parametrize(
    ("actor", "fixture", "step"),
    [
        ("village_b", "submitted", "recommend"),
        ("civil_affairs_b", "recommended", "review"),
        ("employment_center_b", "reviewed", "qualify"),
    ],
)
def test_s7_a_step_on_an_application_of_another_county_is_404(client_for, request, actor, fixture, step):
    # given
    application = request.getfixturevalue(fixture)
    before = application.status
    # when
    response = _step(client_for(request.getfixturevalue(actor)), application, step)
    # then
    assert response.status_code == 404
    assert refresh(application).status == before


@pytest.mark.parametrize(
    ("actor", "fixture", "step"),
    [
        ("civil_affairs_a", "submitted", "recommend"),
        ("village_a", "recommended", "review"),
        ("hr_a", "reviewed", "qualify"),
        ("village_a", "reviewed", "qualify"),
        ("helper_a", "submitted", "recommend"),
    ],
)
def test_s7_a_step_needs_the_role_that_takes_it(client_for, request, actor, fixture, step):
    application = request.getfixturevalue(fixture)
    before = application.status
    response = _step(client_for(request.getfixturevalue(actor)), application, step)
    assert response.status_code == 403
    assert refresh(application).status == before


def test_s7_an_unknown_step_is_404(submitted, village_a, client_for):
    assert _step(client_for(village_a), submitted, "approve").status_code == 404
    assert refresh(submitted).status == S.SUBMITTED


def test_s7_a_step_out_of_order_is_a_message_and_changes_nothing(submitted, civil_affairs_a, client_for):
    # when: Civil Affairs reviews before the village has recommended
    response = _step(client_for(civil_affairs_a), submitted, "review")
    # then
    assert response.status_code == 302
    assert response["Location"] == submitted.get_absolute_url()
    assert len(flashes(response)) == 1
    assert refresh(submitted).status == S.SUBMITTED


def test_s20_the_same_person_cannot_take_a_second_decision_step(regions, reviewed, civil_affairs_a, client_for):
    # given: the Civil Affairs officer who reviewed also holds the employment-center role
    account_services.role_grant(
        actor=None, user=civil_affairs_a, role=Role.EMPLOYMENT_CENTER, region=regions["county_a"]
    )
    civil_affairs_a.forget_permissions()
    with pytest.raises(Forbidden) as expected:
        ensure_separation(civil_affairs_a, reviewed)
    assert expected.value.code == "same_person"
    # when
    response = _step(client_for(civil_affairs_a), reviewed, "qualify")
    # then: refused with the service's message (a Forbidden is a 403 page showing it), nothing changes
    assert response.status_code == 403
    assert str(expected.value.message) in response.content.decode()
    assert refresh(reviewed).status == S.REVIEWED
    assert not reviewed.steps.filter(to_status=S.QUALIFIED).exists()


def test_s20_the_recommender_cannot_recommend_twice(submitted, village_a, client_for):
    # given
    client = client_for(village_a)
    assert _step(client, submitted, "recommend").status_code == 302
    # when
    response = _step(client, submitted, "recommend")
    # then
    assert response.status_code == 403
    assert refresh(submitted).status == S.RECOMMENDED
    assert submitted.steps.filter(to_status=S.RECOMMENDED).count() == 1


@pytest.fixture
def ineligible(crew, batch, station_post, regions):
    """A reviewed application of a resident in no target group (no evidence): the engine says no."""
    person = people.make_person(regions["village_a"], name="郑无证", id_number=people.id_number(date(1979, 9, 9)))
    return f.advance(f.submit(crew, batch, station_post, person), crew, to=S.REVIEWED)


def test_s7_qualifying_an_ineligible_applicant_needs_an_override_reason(ineligible, employment_center_a, client_for):
    # given
    client = client_for(employment_center_a)
    # when: without a reason
    refused = _step(client, ineligible, "qualify")
    # then: the message, and the application stays reviewed
    assert refused.status_code == 302
    assert len(flashes(refused)) == 1
    assert refresh(ineligible).status == S.REVIEWED
    assert not AuditEvent.objects.filter(action="application.override").exists()
    # when: with a written reason
    done = _step(client, ineligible, "qualify", override_reason="经入户核实，属于就业困难人员，证明补交中")
    # then
    assert done.status_code == 302
    assert refresh(ineligible).status == S.QUALIFIED
    assert ineligible.override_reason == "经入户核实，属于就业困难人员，证明补交中"
    assert AuditEvent.objects.get(action="application.override").reason == ineligible.override_reason


# ------------------------------------------------------------------------------------ reject, withdraw


def _close(client: Any, application: Application, how: str, reason: str | None) -> Any:
    data = {} if reason is None else {"reason": reason}
    with f.on(f.APPLY_ON):
        return client.post(url("application_close", application.public_id, how), data)


def test_s7_the_village_rejects_a_submitted_application_with_a_reason(submitted, village_a, client_for):
    response = _close(client_for(village_a), submitted, "reject", "不符合本村推荐条件")
    assert response.status_code == 302
    assert response["Location"] == submitted.get_absolute_url()
    assert refresh(submitted).status == S.REJECTED
    assert submitted.rejection_reason == "不符合本村推荐条件"
    assert submitted.steps.get(to_status=S.REJECTED).actor == village_a


def test_s7_the_clerk_withdraws_an_application_with_a_reason(crew, recommended, client_for):
    response = _close(client_for(crew.clerk), recommended, "withdraw", "本人放弃")
    assert response.status_code == 302
    assert refresh(recommended).status == S.WITHDRAWN
    assert recommended.rejection_reason == "本人放弃"


@pytest.mark.parametrize("how", ["reject", "withdraw"])
@pytest.mark.parametrize("reason", [None, ""])
def test_s7_rejecting_or_withdrawing_needs_a_reason(crew, submitted, client_for, how, reason):
    response = _close(client_for(crew.clerk), submitted, how, reason)
    assert response.status_code == 302
    assert len(flashes(response)) == 1
    assert refresh(submitted).status == S.SUBMITTED
    assert submitted.rejection_reason == ""


def test_s7_an_unknown_way_to_close_is_404(crew, submitted, client_for):
    assert _close(client_for(crew.clerk), submitted, "delete", "误录").status_code == 404
    assert refresh(submitted).status == S.SUBMITTED


@pytest.mark.parametrize("actor", ["village_b", "civil_affairs_b"])
def test_s7_closing_an_application_of_another_county_is_404(submitted, client_for, request, actor):
    response = _close(client_for(request.getfixturevalue(actor)), submitted, "reject", "不符合")
    assert response.status_code == 404
    assert refresh(submitted).status == S.SUBMITTED


@pytest.mark.parametrize(
    ("actor", "how"),
    [
        ("civil_affairs_a", "reject"),  # a submitted application is rejected by the village
        ("hr_a", "withdraw"),  # withdrawals are entered by the village
        ("helper_a", "reject"),
    ],
)
def test_s7_closing_an_application_needs_the_responsible_role(submitted, client_for, request, actor, how):
    response = _close(client_for(request.getfixturevalue(actor)), submitted, how, "不符合")
    assert response.status_code == 403
    assert refresh(submitted).status == S.SUBMITTED


# ------------------------------------------------------------------------------------------- conflicts


@pytest.fixture
def flagged(regions, crew, batch, station_post):
    """The applicant gave the clerk's phone number: recommending flags it (S20)."""
    clerk_person = people.make_person(
        regions["village_a"], name="陈文书", id_number=people.id_number(male=True), phone="13800138000"
    )
    f.link_account(clerk_person, crew.clerk)
    applicant = f.eligible_person(regions["village_a"], phone="13800138000")
    application = f.advance(f.submit(crew, batch, station_post, applicant), crew, to=S.RECOMMENDED)
    return application, ConflictFlag.objects.get(application=application)


def _resolve(client: Any, application: Application, flag_id: int, reason: str | None) -> Any:
    data = {} if reason is None else {"reason": reason}
    with f.on(f.APPLY_ON):
        return client.post(url("conflict_resolve", application.public_id, flag_id), data)


def test_s20_the_employment_center_resolves_a_conflict_flag_with_a_reason(flagged, employment_center_a, client_for):
    # given
    application, flag = flagged
    # when
    response = _resolve(client_for(employment_center_a), application, flag.pk, "系文书代填联系电话，已更正")
    # then
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    refresh(flag)
    assert (flag.resolved_by, flag.resolution) == (employment_center_a, "系文书代填联系电话，已更正")
    assert AuditEvent.objects.filter(action="application.conflict_resolve").exists()


def test_s20_resolving_a_conflict_needs_a_reason(flagged, employment_center_a, client_for):
    application, flag = flagged
    response = _resolve(client_for(employment_center_a), application, flag.pk, "")
    assert response.status_code == 302
    assert len(flashes(response)) == 1
    assert refresh(flag).resolved_at is None


def test_s20_an_unknown_conflict_flag_is_404(flagged, employment_center_a, client_for):
    application, flag = flagged
    assert _resolve(client_for(employment_center_a), application, flag.pk + 1000, "已核实").status_code == 404


def test_s20_resolving_a_conflict_of_another_county_is_404(flagged, civil_affairs_b, client_for):
    application, flag = flagged
    assert _resolve(client_for(civil_affairs_b), application, flag.pk, "已核实").status_code == 404
    assert refresh(flag).resolved_at is None


@pytest.mark.parametrize("actor", ["village_a", "hr_a", "helper_a"])
def test_s20_resolving_a_conflict_needs_conflict_resolve(flagged, client_for, request, actor):
    application, flag = flagged
    assert _resolve(client_for(request.getfixturevalue(actor)), application, flag.pk, "已核实").status_code == 403
    assert refresh(flag).resolved_at is None


# ================================================================================== public notices


def test_s7_notice_list_shows_the_county_notices_to_hr(notice, hr_a, client_for):
    response = client_for(hr_a).get(url("notice_list"))
    assert response.status_code == 200
    assert list(response.context["notices"]) == [notice]
    assert response.context["can_manage"] is True
    assert response.context["notices"][0].candidates == 1


def test_s7_notice_list_of_another_county_leaves_them_out(notice, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).get(url("notice_list"))
    assert response.status_code == 200
    assert list(response.context["notices"]) == []


def test_s7_notice_list_is_forbidden_to_a_helper(notice, helper_a, client_for):
    assert client_for(helper_a).get(url("notice_list")).status_code == 403


def test_s7_notice_list_query_count_does_not_grow_with_the_rows(
    regions, crew, batch, station, center, notice, hr_a, client_for, django_assert_max_num_queries
):
    # given: one notice, then thirty (each opened for one more qualified candidate)
    client = client_for(hr_a)
    client.get(url("notice_list"))
    # session, user, roles, the notices with their counts, the form's batches, the page frame (regions,
    # unread notifications), the session save
    with django_assert_max_num_queries(11):
        response = client.get(url("notice_list"))
    assert len(response.context["notices"]) == 1
    posts = f.open_posts(station) + f.open_posts(center)
    for index in range(29):
        person = f.eligible_person(regions["village_a"], name=f"候选人{index:02d}", born=date(1978 + index % 8, 3, 3))
        f.qualified(crew, batch, posts[index % len(posts)], person)
        f.open_notice(crew, batch, regions["county_a"])
    # when / then
    with django_assert_max_num_queries(11):
        response = client.get(url("notice_list"))
    assert len(response.context["notices"]) == 30


def test_s7_the_notice_form_offers_only_batches_with_qualified_candidates_in_scope(
    batch, candidate, hr_a, hr_b, client_for
):
    # when
    mine = client_for(hr_a).get(url("notice_list"))
    theirs = client_for(hr_b).get(url("notice_list"))
    # then: county B's HR is not shown county A's batch
    assert list(mine.context["form"].fields["batch"].queryset) == [batch]
    assert list(theirs.context["form"].fields["batch"].queryset) == []


def test_s7_hr_opens_a_public_notice_for_the_qualified_candidates(batch, candidate, hr_a, client_for):
    # when
    with f.on(f.NOTICE_OPENS):
        response = client_for(hr_a).post(url("notice_open"), {"batch": batch.pk, "region": COUNTY_A, "title": ""})
    # then
    notice = PublicNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == notice.get_absolute_url()
    assert (notice.opens_on, notice.closes_on) == (f.NOTICE_OPENS, f.NOTICE_CLOSES)
    assert refresh(candidate).status == S.IN_NOTICE
    assert candidate.notice == notice


def test_s7_a_notice_with_no_candidate_is_a_form_error(batch, submitted, hr_a, client_for):
    with f.on(f.NOTICE_OPENS):
        response = client_for(hr_a).post(url("notice_open"), {"batch": batch.pk, "region": COUNTY_A})
    # the batch has no qualified application: it is not even a choice
    assert response.status_code == 200
    assert response.context["form"].errors["batch"]
    assert not PublicNotice.objects.exists()


def test_s7_a_notice_for_another_county_is_refused(batch, candidate, hr_b, client_for):
    # when: county B's HR posts county A's batch and region
    with f.on(f.NOTICE_OPENS):
        response = client_for(hr_b).post(url("notice_open"), {"batch": batch.pk, "region": COUNTY_A})
    # then: a batch it has no candidate of is not a choice it has; nothing is written
    assert response.status_code == 200
    assert response.context["form"].errors["batch"]
    assert not PublicNotice.objects.exists()
    assert refresh(candidate).status == S.QUALIFIED


@pytest.mark.parametrize("actor", ["civil_affairs_a", "employment_center_a", "helper_a"])
def test_s7_opening_a_notice_needs_notice_manage(batch, candidate, client_for, request, actor):
    with f.on(f.NOTICE_OPENS):
        response = client_for(request.getfixturevalue(actor)).post(
            url("notice_open"), {"batch": batch.pk, "region": COUNTY_A}
        )
    assert response.status_code == 403
    assert not PublicNotice.objects.exists()


def test_s7_notice_detail_lists_the_candidates_and_the_objections(notice, candidate, objection, hr_a, client_for):
    response = client_for(hr_a).get(url("notice_detail", notice.public_id))
    assert response.status_code == 200
    assert list(response.context["candidates"]) == [candidate]
    assert list(response.context["objections"]) == [objection]
    assert response.context["can_manage"] is True


def test_s7_notice_detail_of_another_county_is_404(notice, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).get(url("notice_detail", notice.public_id)).status_code == 404


def test_s7_notice_detail_is_forbidden_to_a_helper(notice, helper_a, client_for):
    assert client_for(helper_a).get(url("notice_detail", notice.public_id)).status_code == 403


def test_s7_notice_pdf_is_a_pdf(notice, hr_a, client_for):
    with f.on(f.NOTICE_OPENS):
        response = client_for(hr_a).get(url("notice_pdf", notice.public_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_s7_notice_pdf_of_another_county_is_404(notice, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).get(url("notice_pdf", notice.public_id)).status_code == 404


def test_s7_notice_pdf_is_forbidden_to_a_helper(notice, helper_a, client_for):
    assert client_for(helper_a).get(url("notice_pdf", notice.public_id)).status_code == 403


def _notice_close(client: Any, notice: PublicNotice, day: date = f.AFTER_NOTICE) -> Any:
    with f.on(day):
        return client.post(url("notice_close", notice.public_id))


def test_s7_hr_closes_and_archives_a_notice_after_its_period(notice, hr_a, client_for):
    response = _notice_close(client_for(hr_a), notice)
    assert response.status_code == 302
    assert response["Location"] == notice.get_absolute_url()
    assert refresh(notice).status == NoticeStatus.CLOSED
    assert len(notice.snapshot_sha256) == 64
    assert notice.closed_by == hr_a


def test_s7_a_notice_cannot_be_closed_while_its_period_runs(notice, hr_a, client_for):
    # when: on its last day
    response = _notice_close(client_for(hr_a), notice, f.NOTICE_CLOSES)
    # then
    assert response.status_code == 302
    (message,) = flashes(response)
    assert f.NOTICE_CLOSES.isoformat() in message
    assert refresh(notice).status == NoticeStatus.OPEN


def test_s7_closing_a_notice_of_another_county_is_404(notice, hr_b, client_for):
    assert _notice_close(client_for(hr_b), notice).status_code == 404
    assert refresh(notice).status == NoticeStatus.OPEN


@pytest.mark.parametrize("actor", ["civil_affairs_a", "helper_a"])
def test_s7_closing_a_notice_needs_notice_manage(notice, client_for, request, actor):
    assert _notice_close(client_for(request.getfixturevalue(actor)), notice).status_code == 403
    assert refresh(notice).status == NoticeStatus.OPEN


def _objection_resolve(client: Any, notice: PublicNotice, objection_id: Any, **data: str) -> Any:
    with f.on(f.AFTER_NOTICE):
        return client.post(url("objection_resolve", notice.public_id, objection_id), data)


def test_s7_hr_dismisses_an_objection_with_a_reason(notice, candidate, objection, hr_a, client_for):
    response = _objection_resolve(
        client_for(hr_a), notice, objection.public_id, decision="dismiss", resolution="经入户核查，无经营性收入"
    )
    assert response.status_code == 302
    assert response["Location"] == notice.get_absolute_url()
    refresh(objection)
    assert (objection.status, objection.resolved_by) == (ObjectionStatus.DISMISSED, hr_a)
    assert refresh(candidate).status == S.IN_NOTICE


def test_s7_an_upheld_objection_rejects_the_candidate(notice, candidate, objection, hr_a, client_for):
    response = _objection_resolve(
        client_for(hr_a), notice, objection.public_id, decision="uphold", resolution="经核查，家庭有经营性收入"
    )
    assert response.status_code == 302
    assert refresh(objection).status == ObjectionStatus.UPHELD
    assert refresh(candidate).status == S.REJECTED


def test_s7_resolving_an_objection_needs_a_reason(notice, objection, hr_a, client_for):
    response = _objection_resolve(client_for(hr_a), notice, objection.public_id, decision="dismiss")
    assert response.status_code == 302
    assert len(flashes(response)) == 1
    assert refresh(objection).status == ObjectionStatus.OPEN


def test_s7_an_unknown_objection_is_404(notice, objection, hr_a, client_for):
    response = _objection_resolve(
        client_for(hr_a), notice, "00000000-0000-0000-0000-000000000000", decision="dismiss", resolution="不成立"
    )
    assert response.status_code == 404


def test_s7_resolving_an_objection_of_another_county_is_404(notice, objection, hr_b, client_for):
    response = _objection_resolve(
        client_for(hr_b), notice, objection.public_id, decision="dismiss", resolution="不成立"
    )
    assert response.status_code == 404
    assert refresh(objection).status == ObjectionStatus.OPEN


@pytest.mark.parametrize("actor", ["civil_affairs_a", "village_a", "helper_a"])
def test_s7_resolving_an_objection_needs_notice_manage(notice, objection, client_for, request, actor):
    response = _objection_resolve(
        client_for(request.getfixturevalue(actor)), notice, objection.public_id, decision="uphold", resolution="成立"
    )
    assert response.status_code == 403
    assert refresh(objection).status == ObjectionStatus.OPEN


# ============================================================================================= hire


def _hire(client: Any, application: Application, day: date, starts_on: str = f.START.isoformat()) -> Any:
    with f.on(day):
        return client.post(url("application_hire", application.public_id), {"starts_on": starts_on})


def test_s7_hire_requires_a_closed_notice(notice, candidate, hr_a, client_for):
    # when: on the notice's last day
    response = _hire(client_for(hr_a), refresh(candidate), f.NOTICE_CLOSES)
    # then: back to the application, with the reason
    assert response.status_code == 302
    assert response["Location"] == candidate.get_absolute_url()
    (message,) = flashes(response)
    assert f.NOTICE_CLOSES.isoformat() in message
    assert refresh(candidate).status == S.IN_NOTICE
    assert not Placement.objects.exists()


def test_s8_hire_after_the_notice_leads_to_the_placement(closed, station_post, hr_a, client_for):
    # when
    response = _hire(client_for(hr_a), closed, f.AFTER_NOTICE)
    # then
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == placement.get_absolute_url()
    assert (placement.person, placement.post, placement.started_on) == (closed.person, station_post, f.START)
    assert placement.contract.employer == station_post.employer
    assert refresh(closed).status == S.HIRED


def test_s8_hire_needs_the_start_date(closed, hr_a, client_for):
    response = _hire(client_for(hr_a), closed, f.AFTER_NOTICE, starts_on="")
    assert response.status_code == 302
    assert len(flashes(response)) == 1
    assert refresh(closed).status == S.IN_NOTICE


def test_s8_hiring_in_another_county_is_404(closed, hr_b, client_for):
    assert _hire(client_for(hr_b), closed, f.AFTER_NOTICE).status_code == 404
    assert not Placement.objects.exists()


@pytest.mark.parametrize("actor", ["civil_affairs_a", "employment_center_a", "helper_a"])
def test_s8_hiring_needs_the_hire_action(closed, client_for, request, actor):
    assert _hire(client_for(request.getfixturevalue(actor)), closed, f.AFTER_NOTICE).status_code == 403
    assert not Placement.objects.exists()


# ---------------------------------------------------------------------------------------- placements


def test_s8_placement_detail_shows_the_contract(placement, hr_a, client_for):
    response = client_for(hr_a).get(url("placement_detail", placement.public_id))
    assert response.status_code == 200
    assert response.context["contract"] == placement.contract
    assert response.context["can_register"] is True
    assert response.context["can_end"] is True


@pytest.mark.parametrize("actor", ["hr_b", "civil_affairs_b"])
def test_s8_placement_detail_of_another_county_is_404(placement, client_for, request, actor):
    response = client_for(request.getfixturevalue(actor)).get(url("placement_detail", placement.public_id))
    assert response.status_code == 404


def test_s8_placement_detail_is_forbidden_to_a_helper(placement, helper_a, client_for):
    assert client_for(helper_a).get(url("placement_detail", placement.public_id)).status_code == 403


def test_s8_the_contract_downloads_as_a_pdf(placement, hr_a, client_for):
    response = client_for(hr_a).get(url("contract_pdf", placement.public_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_s8_contract_pdf_of_another_county_is_404(placement, hr_b, client_for):
    assert client_for(hr_b).get(url("contract_pdf", placement.public_id)).status_code == 404


def test_s8_contract_pdf_is_forbidden_to_a_helper(placement, helper_a, client_for):
    assert client_for(helper_a).get(url("contract_pdf", placement.public_id)).status_code == 403


def _register(client: Any, placement: Placement, **dates: str) -> Any:
    with f.on(date(2026, 1, 20)):
        return client.post(url("contract_register", placement.public_id), dates)


def test_s8_hr_records_the_employment_registration_and_the_hiring_filing(placement, hr_a, client_for):
    response = _register(
        client_for(hr_a), placement, employment_registered_on="2026-01-06", hiring_filed_on="2026-01-09"
    )
    assert response.status_code == 302
    assert response["Location"] == placement.get_absolute_url()
    contract = refresh(placement.contract)
    assert (contract.employment_registered_on, contract.hiring_filed_on) == (date(2026, 1, 6), date(2026, 1, 9))
    assert AuditEvent.objects.filter(action="contract.register").exists()


def test_s8_a_registration_date_in_the_future_changes_nothing(placement, hr_a, client_for):
    response = _register(client_for(hr_a), placement, employment_registered_on="2026-02-01")
    assert response.status_code == 302
    assert len(flashes(response)) == 1
    assert refresh(placement.contract).employment_registered_on is None


def test_s8_registering_a_contract_of_another_county_is_404(placement, hr_b, client_for):
    assert _register(client_for(hr_b), placement, employment_registered_on="2026-01-06").status_code == 404
    assert refresh(placement.contract).employment_registered_on is None


@pytest.mark.parametrize("actor", ["civil_affairs_a", "village_a", "helper_a"])
def test_s8_registering_a_contract_needs_contract_register(placement, client_for, request, actor):
    response = _register(client_for(request.getfixturevalue(actor)), placement, employment_registered_on="2026-01-06")
    assert response.status_code == 403
    assert refresh(placement.contract).employment_registered_on is None


def _end(client: Any, placement: Placement, **data: str) -> Any:
    with f.on(date(2026, 6, 30)):
        return client.post(url("placement_end", placement.public_id), data)


def test_s8_ending_a_placement_makes_the_post_vacant(placement, station_post, hr_a, client_for):
    # given
    assert not Post.objects.vacant().filter(pk=station_post.pk).exists()
    # when
    response = _end(client_for(hr_a), placement, ended_on="2026-06-30", reason=PlacementEndReason.RESIGNED)
    # then
    assert response.status_code == 302
    assert response["Location"] == placement.get_absolute_url()
    refresh(placement)
    assert (placement.ended_on, placement.end_reason) == (date(2026, 6, 30), PlacementEndReason.RESIGNED)
    assert Post.objects.vacant().filter(pk=station_post.pk).exists()


def test_s8_ending_a_placement_needs_the_date_and_reason(placement, hr_a, client_for):
    response = _end(client_for(hr_a), placement, ended_on="2026-06-30")
    assert response.status_code == 302
    assert len(flashes(response)) == 1
    assert refresh(placement).ended_on is None


def test_s8_ending_a_placement_of_another_county_is_404(placement, hr_b, client_for):
    response = _end(client_for(hr_b), placement, ended_on="2026-06-30", reason=PlacementEndReason.RESIGNED)
    assert response.status_code == 404
    assert refresh(placement).ended_on is None


@pytest.mark.parametrize("actor", ["civil_affairs_a", "village_a", "helper_a"])
def test_s8_ending_a_placement_needs_the_hire_action(placement, client_for, request, actor):
    response = _end(
        client_for(request.getfixturevalue(actor)), placement, ended_on="2026-06-30", reason=PlacementEndReason.OTHER
    )
    assert response.status_code == 403
    assert refresh(placement).ended_on is None


# ========================================================================================= workbench


def todo_kinds(client: Any, day: date = f.APPLY_ON) -> set[str]:
    with f.on(day):
        response = client.get(WORKBENCH)
    assert response.status_code == 200
    return {group.kind for group in response.context["todos"]}


RECRUITMENT_TODOS = {
    "application_submitted",
    "application_recommended",
    "application_reviewed",
    "application_qualified",
    "notice_close",
    "objections",
    "hire",
    "contracts",
}


def test_s7_the_village_sees_applications_to_recommend(submitted, village_a, client_for):
    assert todo_kinds(client_for(village_a)) & RECRUITMENT_TODOS == {"application_submitted"}


def test_s7_civil_affairs_sees_applications_to_review(recommended, civil_affairs_a, village_a, client_for):
    assert todo_kinds(client_for(civil_affairs_a)) & RECRUITMENT_TODOS == {"application_recommended"}
    # the village, having recommended it, has nothing left to do
    assert todo_kinds(client_for(village_a)) & RECRUITMENT_TODOS == set()


def test_s7_the_employment_center_sees_applications_to_qualify(reviewed, employment_center_a, client_for):
    assert todo_kinds(client_for(employment_center_a)) & RECRUITMENT_TODOS == {"application_reviewed"}


def test_s20_entering_an_application_is_no_decision_so_a_clerk_with_a_county_role_still_sees_it_to_review(
    regions, crew, recommended, client_for
):
    # given: the clerk who entered the application also holds Civil Affairs of the county (S20 lets them
    # review it: entering is not a decision step)
    account_services.role_grant(actor=None, user=crew.clerk, role=Role.CIVIL_AFFAIRS, region=regions["county_a"])
    crew.clerk.forget_permissions()
    ensure_separation(crew.clerk, recommended)
    # when / then
    assert "application_recommended" in todo_kinds(client_for(crew.clerk))


def test_s7_another_county_sees_no_recruitment_todo(reviewed, civil_affairs_b, village_b, client_for):
    assert todo_kinds(client_for(civil_affairs_b)) & RECRUITMENT_TODOS == set()
    assert todo_kinds(client_for(village_b)) & RECRUITMENT_TODOS == set()


def test_s7_hr_workbench_follows_the_candidate_from_notice_to_contract(
    regions, crew, batch, candidate, hr_a, client_for, django_assert_max_num_queries
):
    client = client_for(hr_a)
    # a qualified candidate waits for a notice
    assert todo_kinds(client) & RECRUITMENT_TODOS == {"application_qualified"}
    # the notice runs; an objection comes in
    notice = f.open_notice(crew, batch, regions["county_a"])
    with f.on(f.NOTICE_CLOSES):
        objection = services.objection_raise(
            notice=notice, application=refresh(candidate), text="该人员已在外地就业。", ip="1.2.3.4"
        )
    assert todo_kinds(client, f.NOTICE_CLOSES) & RECRUITMENT_TODOS == {"objections"}
    # the period has ended: close it, and decide the objection
    with django_assert_max_num_queries(20):
        kinds = todo_kinds(client, f.AFTER_NOTICE)
    assert kinds & RECRUITMENT_TODOS == {"notice_close", "objections"}
    f.close_notice(crew, notice)
    with f.on(f.AFTER_NOTICE):
        services.objection_resolve(actor=hr_a, objection=objection, uphold=False, resolution="经核实，未在外地就业")
    # ready to hire
    assert todo_kinds(client, f.AFTER_NOTICE) & RECRUITMENT_TODOS == {"hire"}
    # hired: the contract waits for its registration and filing
    f.hire(crew, refresh(candidate))
    assert todo_kinds(client, f.START) & RECRUITMENT_TODOS == {"contracts"}


def test_s7_workbench_query_count_does_not_grow_with_the_todos(
    crew, batch, station, center, submitted, village_a, client_for, django_assert_max_num_queries
):
    # given: one application to recommend, then thirty (17: one or two queries per kind of to-do, however many;
    # elder care adds its open emergencies, overdue helpers and elders to pair)
    client = client_for(village_a)
    client.get(WORKBENCH)
    with django_assert_max_num_queries(17):
        response = client.get(WORKBENCH)
    (group,) = [g for g in response.context["todos"] if g.kind == "application_submitted"]
    assert group.count == 1
    many_applications(crew, batch, f.open_posts(station) + f.open_posts(center), 29)
    # when / then
    with django_assert_max_num_queries(17):
        response = client.get(WORKBENCH)
    (group,) = [g for g in response.context["todos"] if g.kind == "application_submitted"]
    assert (group.count, len(group.items)) == (30, 5)


# ====================================================================== the close_notices command (cron)


def _close_notices(day: date) -> str:
    out = io.StringIO()
    with f.on(day):
        call_command("close_notices", stdout=out)
    return out.getvalue().strip()


def test_s7_close_notices_closes_only_the_notices_whose_period_has_ended(
    regions, crew, batch, center, notice, candidate
):
    # given: a second notice opened a week later, still running when the first one is due
    late = f.eligible_person(regions["village_a"], name="郑丽", born=date(1979, 9, 9))
    f.qualified(crew, batch, f.open_posts(center)[0], late)
    later = f.open_notice(crew, batch, regions["county_a"], day=f.AFTER_NOTICE)
    # when: on its last day, the first notice is not due yet
    assert _close_notices(f.NOTICE_CLOSES) == "notices: 0 closed and archived"
    assert refresh(notice).status == NoticeStatus.OPEN
    # when: the next working day
    summary = _close_notices(f.AFTER_NOTICE)
    # then: the first is archived by the system, the later one still runs
    assert summary == "notices: 1 closed and archived"
    refresh(notice)
    assert (notice.status, notice.closed_by) == (NoticeStatus.CLOSED, None)
    assert len(notice.snapshot_sha256) == 64
    assert refresh(later).status == NoticeStatus.OPEN


def test_s7_close_notices_can_be_run_again(notice):
    # given
    assert _close_notices(f.AFTER_NOTICE) == "notices: 1 closed and archived"
    digest = refresh(notice).snapshot_sha256
    events = AuditEvent.objects.filter(action="notice.close").count()
    # when
    again = _close_notices(date(2025, 9, 23))
    # then: nothing left to do, the archive is untouched
    assert again == "notices: 0 closed and archived"
    assert refresh(notice).snapshot_sha256 == digest
    assert AuditEvent.objects.filter(action="notice.close").count() == events == 1
