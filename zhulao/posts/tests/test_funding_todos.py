"""Finance's workbench carries the funding picture from real records (placements starting and ending this
month, vacant posts, pay values not confirmed); the system administrator is told which counties with posts
have no minimum-wage tier."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from zhulao.core.selectors import workbench_todos
from zhulao.posts.choices import FacilityKind
from zhulao.posts.tests import factories as f
from zhulao.regions.models import Organization, Region

WORKBENCH = reverse("core:workbench")


def _groups(user, day):
    with f.on(day), translation.override("en"):
        return {g.kind: g for g in workbench_todos(user=user)}


@pytest.fixture
def placement(crew, station, applicant, regions):
    return f.hired_helper(crew, f.open_posts(station)[0], applicant, region=regions["county_a"])


def test_finance_sees_the_placements_starting_this_month_and_the_vacant_posts(placement, center, finance_a):
    # given a placement starting on 2026-01-05 and the center's two posts still vacant
    # when Finance of county A opens the workbench in January 2026
    group = _groups(finance_a, date(2026, 1, 20))["funding_month"]
    labels = [str(i["label"]) for i in group.items]
    # then the month's figures come from the records, and no person is named
    assert "1 placement started in 2026-01: its subsidy starts this month" in labels
    assert any(label.startswith("2 open posts are vacant") for label in labels)
    assert all(placement.person.name not in label for label in labels)
    # a month later the start is no longer news
    later = [str(i["label"]) for i in _groups(finance_a, date(2026, 2, 20))["funding_month"].items]
    assert not any("started" in label for label in later)


def test_finance_sees_a_planned_end_in_its_month(placement, finance_a):
    group = _groups(finance_a, placement.planned_end.replace(day=1))["funding_month"]
    assert any("planned end" in str(i["label"]) for i in group.items)


def test_finance_of_another_county_sees_none_of_it(placement, make_user):
    finance_b = make_user("finance", "county_b")
    assert "funding_month" not in _groups(finance_b, date(2026, 1, 20))


def test_finance_is_asked_to_confirm_a_pay_value_resting_on_an_unconfirmed_row(policy, finance_a):
    # given the 2020 minimum-wage table (INFERRED in the seed) applies in 2021
    group = _groups(finance_a, date(2021, 6, 1))["pay_to_confirm"]
    assert "芗城区" in str(group.items[0]["label"])
    assert "min_wage.monthly_tiers" in str(group.items[0]["label"])
    # and in 2026 every pay value of the county is confirmed
    assert "pay_to_confirm" not in _groups(finance_a, date(2026, 6, 1))


def test_other_roles_get_no_funding_todo(placement, civil_affairs_a, hr_a):
    assert "funding_month" not in _groups(civil_affairs_a, date(2026, 1, 20))
    assert "funding_month" not in _groups(hr_a, date(2026, 1, 20))


def test_system_admin_is_told_of_a_county_with_posts_and_no_minimum_wage_tier(
    station, system_admin, regions, civil_affairs_city
):
    day = date(2026, 3, 1)
    # given the posts of 芗城区, whose tier is seeded
    assert "min_wage_tier" not in _groups(system_admin, day)
    # when a facility opens in a (synthetic) county with no minimum-wage tier
    county = Region.objects.create(code="350699000000", name="测试县", level=3, parent=regions["city"])
    township = Region.objects.create(code="350699100000", name="测试镇", level=4, parent=county)
    village = Region.objects.create(code="350699100200", name="测试村", level=5, parent=township)
    Organization.objects.create(kind="village_committee", region=village, name="测试村村民委员会")
    f.make_facility(civil_affairs_city, village, kind=FacilityKind.HOME_CARE_STATION, opened_on=date(2026, 1, 1))
    # then the system administrator is told what to enter, for that county only
    group = _groups(system_admin, day)["min_wage_tier"]
    assert group.count == 1
    assert "测试县 (350699)" in str(group.items[0]["label"])


def test_finance_workbench_query_count_is_bounded(
    placement, center, finance_a, client_for, django_assert_max_num_queries
):
    client = client_for(finance_a)
    with f.on(date(2026, 1, 20)):
        client.get(WORKBENCH)
        with django_assert_max_num_queries(16):
            response = client.get(WORKBENCH)
    assert "funding_month" in [g.kind for g in response.context["todos"]]
