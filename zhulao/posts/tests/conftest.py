"""Fixtures of the posts tests: the crew of four deciders, a station and a service center, a batch, an applicant."""

from __future__ import annotations

from datetime import date

import pytest

from zhulao.accounts.roles import Role
from zhulao.posts.choices import FacilityKind
from zhulao.posts.tests import factories as f

OPENED = date(2025, 1, 6)


@pytest.fixture
def crew(make_user, village_a, civil_affairs_a, employment_center_a, hr_a) -> f.Crew:
    return f.Crew(
        clerk=make_user(Role.VILLAGE_EMPLOYER, "village_a", username="clerk_village_a"),
        recommender=village_a,
        reviewer=civil_affairs_a,
        qualifier=employment_center_a,
        hr=hr_a,
    )


@pytest.fixture
def station(regions, policy, civil_affairs_a):
    """A home-care station in village_a: one post, employed by the village committee."""
    return f.make_facility(
        civil_affairs_a,
        regions["village_a"],
        kind=FacilityKind.HOME_CARE_STATION,
        name="东山村居家养老服务站",
        opened_on=OPENED,
    )


@pytest.fixture
def center(regions, policy, civil_affairs_a):
    """A service center in township_a: two posts, employed by the township government."""
    return f.make_facility(
        civil_affairs_a,
        regions["township_a"],
        kind=FacilityKind.SERVICE_CENTER,
        name="浦南镇养老服务照料中心",
        opened_on=OPENED,
    )


@pytest.fixture
def batch(regions, crew, station, center):
    """An open batch of Civil Affairs of county A for the station's post and the center's two posts."""
    return f.publish_batch(crew.reviewer, regions["county_a"], f.open_posts(station) + f.open_posts(center))


@pytest.fixture
def applicant(regions, policy):
    return f.eligible_person(regions["village_a"])
