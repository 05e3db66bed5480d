"""The staff lists in placement order (S7, S8): the eligibility engine's priority group recorded at
qualification, then the application time; the rank shown in words; applications whose priority is not known yet
(before qualification) after the known ones, by time. The public notice keeps the order the standing code
decided (拟聘 first, then 候补 by reserve order) and its archive is written as before."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from zhulao.people.tests import factories as people
from zhulao.posts import pdfs, selectors
from zhulao.posts.choices import ApplicationStatus, Standing
from zhulao.posts.tests import factories as f
from zhulao.rules.eligibility import Category

pytestmark = pytest.mark.usefixtures("policy")

LATER = date(2025, 9, 11)


@pytest.fixture
def post(station):
    (post,) = f.open_posts(station)
    return post


@pytest.fixture
def priority_person(regions):
    """Applies later, but is 脱贫不稳定 (priority group 1)."""
    person = f.eligible_person(regions["village_a"], name="陈美玲", born=date(1978, 3, 2))
    people.add_evidence(Category.UNSTABLE_EX_POOR, person=person, valid_from=date(2023, 1, 1))
    return person


@pytest.fixture
def earlier_and_later(crew, batch, post, applicant, priority_person):
    """Two qualified candidates for the station's one post: the earlier one in a lower priority group."""
    earlier = f.qualified(crew, batch, post, applicant)
    later = f.advance(f.submit(crew, batch, post, priority_person, day=LATER), crew, to=ApplicationStatus.QUALIFIED)
    earlier.refresh_from_db()
    assert later.eligibility["priority"]["group"] < earlier.eligibility["priority"]["group"]
    assert later.applied_at > earlier.applied_at
    return earlier, later


def _label(application, rank: int) -> str:
    return f"{application.eligibility['priority']['label_en']} · no. {rank} for this post"


def test_s7_the_application_list_puts_the_higher_priority_first_and_shows_the_rank(
    earlier_and_later, civil_affairs_a, client_for
):
    earlier, later = earlier_and_later
    # when
    response = client_for(civil_affairs_a).get(reverse("posts:application_list"))
    # then
    rows = list(response.context["page"])
    assert [a.pk for a in rows] == [later.pk, earlier.pk]
    assert [a.priority_rank for a in rows] == [1, 2]
    html = response.content.decode()
    assert html.index(later.person.name) < html.index(earlier.person.name)
    labels = later.eligibility["priority"]["label_zh"], later.eligibility["priority"]["label_en"]
    assert any(label in html for label in labels)
    assert html.count('data-testid="priority-rank"') == 2


def test_s7_unknown_priority_sorts_after_the_known_ones_by_time(
    crew, batch, center, earlier_and_later, regions, civil_affairs_a, client_for
):
    earlier, later = earlier_and_later
    # given: two applications not yet qualified, for another post, both earlier than every qualified one
    first_post, _second = f.open_posts(center)
    waiting_1 = f.submit(
        crew,
        batch,
        first_post,
        f.eligible_person(regions["village_a"], name="王桂兰", born=date(1979, 5, 5)),
        day=date(2025, 9, 1),
    )
    waiting_2 = f.submit(
        crew,
        batch,
        first_post,
        f.eligible_person(regions["village_a"], name="黄丽华", born=date(1977, 7, 7)),
        day=date(2025, 9, 2),
    )
    # when
    rows = list(selectors.application_list(user=civil_affairs_a))
    # then
    assert [a.pk for a in rows] == [later.pk, earlier.pk, waiting_1.pk, waiting_2.pk]
    assert [a.priority_known for a in rows] == [True, True, False, False]  # type: ignore[attr-defined]
    with translation.override("en"):
        assert selectors.priority_rank_label(rows[2]) == "Priority not known yet (decided at qualification)"
        assert selectors.priority_rank_label(rows[0]).endswith("no. 1 for this post")
    page = client_for(civil_affairs_a).get(reverse("posts:application_list"))
    assert page.content.decode().count('data-testid="priority-rank"') == 4


def test_s7_the_api_list_is_in_priority_order_with_the_rank(earlier_and_later, civil_affairs_a, client_for):
    earlier, later = earlier_and_later
    # when
    rows = client_for(civil_affairs_a).get("/api/v1/applications").json()
    # then
    assert [r["public_id"] for r in rows] == [str(later.public_id), str(earlier.public_id)]
    assert [(r["priority_group"], r["priority_rank"]) for r in rows] == [
        (later.eligibility["priority"]["group"], 1),
        (earlier.eligibility["priority"]["group"], 2),
    ]
    assert rows[0]["priority_zh"] == later.eligibility["priority"]["label_zh"]


def test_s7_the_api_says_when_the_priority_is_not_known_yet(crew, batch, post, applicant, civil_affairs_a, client_for):
    f.submit(crew, batch, post, applicant)
    (row,) = client_for(civil_affairs_a).get("/api/v1/applications").json()
    assert (row["priority_group"], row["priority_rank"], row["priority_zh"]) == (None, None, "")


def test_s7_the_staff_notice_lists_candidates_by_priority_and_the_public_order_stays(
    regions, crew, batch, earlier_and_later, hr_a, client_for
):
    earlier, later = earlier_and_later
    # given
    notice = f.open_notice(crew, batch, regions["county_a"])
    # when
    staff = list(selectors.notice_candidates(notice))
    response = client_for(hr_a).get(reverse("posts:notice_detail", args=[notice.public_id]))
    # then: the staff read in priority order with the rank
    assert [a.pk for a in staff] == [later.pk, earlier.pk]
    assert [a.priority_rank for a in staff] == [1, 2]  # type: ignore[attr-defined]
    assert response.context["candidates"][0].pk == later.pk
    assert response.content.decode().count('data-testid="priority-rank"') == 2
    # the public read: as the archive was always written (application time); 拟聘 first, then 候补
    public = list(selectors.notice_candidates(notice, standing_only=True))
    assert [a.pk for a in public] == [earlier.pk, later.pk]
    content = pdfs.notice_content(notice)
    assert [c["standing"] for c in content.proposed] == [Standing.PROPOSED]
    assert [c["name"] for c in content.proposed] == [later.person.name]
    assert [c["name"] for c in content.reserves] == [earlier.person.name]


def test_s8_the_hire_to_do_puts_the_higher_priority_first_with_the_rank(
    regions, crew, batch, center, applicant, priority_person
):
    # given: two proposed candidates for two posts, the later one in a higher priority group
    one, two = f.open_posts(center)
    earlier = f.qualified(crew, batch, one, applicant)
    later = f.advance(f.submit(crew, batch, two, priority_person, day=LATER), crew, to=ApplicationStatus.QUALIFIED)
    f.close_notice(crew, f.open_notice(crew, batch, regions["county_a"]))
    # when
    with f.on(f.AFTER_NOTICE), translation.override("en"):
        (group,) = [g for g in selectors.todo_groups(crew.hr) if g.kind == "hire"]
    # then
    assert [item["url"] for item in group.items] == [later.get_absolute_url(), earlier.get_absolute_url()]
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert [item["note"] for item in group.items] == [_label(later, 1), _label(earlier, 1)]


def test_s7_the_application_list_query_count_holds_with_priority_order(
    crew, batch, station, center, earlier_and_later, civil_affairs_a, client_for, django_assert_max_num_queries
):
    from zhulao.posts.tests.test_views import many_applications

    client = client_for(civil_affairs_a)
    client.get(reverse("posts:application_list"))
    many_applications(crew, batch, f.open_posts(station) + f.open_posts(center), 20)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("posts:application_list"))
    assert len(response.context["page"]) == 22
