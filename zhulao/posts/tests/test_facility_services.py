"""Facilities and their posts (S1, S2): quota per kind from policy, employer per kind, posts follow the quota."""

from __future__ import annotations

from datetime import date

import pytest

from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.policy import services as policy_services
from zhulao.posts import services
from zhulao.posts.choices import FacilityKind, FacilityStatus
from zhulao.posts.models import Facility, FacilityStatusChange, Post
from zhulao.posts.tests import factories as f
from zhulao.regions.choices import OrganizationKind

pytestmark = pytest.mark.usefixtures("policy")


def _set_quota(effective_from: date, **quota: int) -> None:
    value = {"service_center": 2, "home_care_station": 1, "happiness_home": 1, **quota}
    policy_services.parameter_add(
        actor=None,
        key="facility.post_quota",
        region_prefix="3506",
        effective_from=effective_from,
        value=value,
        source="test",
        confidence="UNCONFIRMED",
    )


# ------------------------------------------------------------------------------------ facility_create


def test_s2_a_service_center_at_a_township_gets_two_posts_employed_by_the_township_government(center, regions):
    # then
    posts = f.open_posts(center)
    assert [p.number for p in posts] == [1, 2]
    assert {p.employer.kind for p in posts} == {OrganizationKind.TOWNSHIP_GOVERNMENT}
    assert {p.employer.region_id for p in posts} == {regions["township_a"].code}
    assert center.operator.kind == OrganizationKind.TOWNSHIP_GOVERNMENT
    assert {p.region_id for p in posts} == {regions["township_a"].code}
    assert {p.opened_on for p in posts} == {date(2025, 1, 6)}


@pytest.mark.parametrize("kind", [FacilityKind.HOME_CARE_STATION, FacilityKind.HAPPINESS_HOME])
def test_s2_a_station_or_happiness_home_at_a_village_gets_one_post_employed_by_the_village_committee(
    regions, civil_affairs_a, kind
):
    # when
    facility = f.make_facility(civil_affairs_a, regions["village_a"], kind=kind)
    # then
    (post,) = f.open_posts(facility)
    assert post.number == 1
    assert post.employer.kind == OrganizationKind.VILLAGE_COMMITTEE
    assert post.employer.region_id == regions["village_a"].code
    assert facility.status == FacilityStatus.OPERATING
    history = facility.status_history.get()
    assert (history.status, history.recorded_by) == (FacilityStatus.OPERATING, civil_affairs_a)
    event = AuditEvent.objects.get(action="facility.create")
    assert (event.actor, event.object_id) == (civil_affairs_a, str(facility.public_id))


@pytest.mark.parametrize(
    ("kind", "region_key"),
    [
        (FacilityKind.SERVICE_CENTER, "village_a"),
        (FacilityKind.HOME_CARE_STATION, "township_a"),
        (FacilityKind.HAPPINESS_HOME, "county_a"),
    ],
)
def test_s1_a_facility_at_the_wrong_region_level_is_refused(regions, civil_affairs_a, kind, region_key):
    with pytest.raises(DomainError) as refused:
        f.make_facility(civil_affairs_a, regions[region_key], kind=kind)
    assert refused.value.code == "wrong_level"
    assert not Facility.objects.exists()
    assert not Post.objects.exists()


def test_s1_civil_affairs_of_another_county_cannot_create_a_facility(regions, civil_affairs_b):
    with pytest.raises(Forbidden) as refused:
        f.make_facility(civil_affairs_b, regions["village_a"])
    assert refused.value.code == "out_of_scope"
    assert not Facility.objects.exists()


def test_s1_a_helper_cannot_create_a_facility(regions, helper_a):
    with pytest.raises(Forbidden):
        f.make_facility(helper_a, regions["village_a"])
    assert not Facility.objects.exists()


# ---------------------------------------------------------------------------------------- posts_sync


def test_s2_syncing_twice_never_opens_more_posts_than_the_quota(center, civil_affairs_a):
    # when
    first = services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 3, 1))
    second = services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 3, 2))
    # then
    assert first == second == []
    assert len(f.open_posts(center)) == 2
    assert center.posts.count() == 2
    assert AuditEvent.objects.filter(action="posts.sync").count() == 1  # the creation's; a no-op writes nothing


def test_s2_a_lower_quota_closes_vacant_posts_but_never_a_filled_one(regions, crew, center):
    # given: post 2 of the center is filled (it would be the first to close)
    post1, post2 = f.open_posts(center)
    f.hired_helper(crew, post2, f.eligible_person(regions["village_a"]), region=regions["county_a"])
    _set_quota(date(2026, 3, 1), service_center=1)
    # when: the quota drops to 1
    services.posts_sync(actor=crew.reviewer, facility=center, on=date(2026, 3, 1))
    # then: the vacant post 1 closes, the filled post 2 stays open
    post1.refresh_from_db()
    post2.refresh_from_db()
    assert post1.closed_on == date(2026, 3, 1)
    assert post2.closed_on is None
    assert f.open_posts(center) == [post2]
    event = AuditEvent.objects.filter(action="posts.sync").latest("seq")
    assert event.changes == {"opened": [None, 0], "closed": [None, 1], "quota": [None, 1]}

    # when: the quota drops to 0, the filled post still stays open
    _set_quota(date(2026, 4, 1), service_center=0)
    services.posts_sync(actor=crew.reviewer, facility=center, on=date(2026, 4, 1))
    assert f.open_posts(center) == [post2]


def test_s2_a_lower_quota_closes_the_extra_vacant_posts_and_a_higher_one_opens_new_numbers(center, civil_affairs_a):
    # given
    _set_quota(date(2025, 6, 1), service_center=1)
    # when
    services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 6, 1))
    # then: the highest-numbered vacant post closed
    assert [p.number for p in f.open_posts(center)] == [1]
    assert center.posts.get(number=2).closed_on == date(2025, 6, 1)

    # when: the quota rises back to 2
    _set_quota(date(2025, 7, 1), service_center=2)
    opened = services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 7, 1))
    # then: the new post takes a new number (a closed post's number is not reused)
    assert [p.number for p in opened] == [3]
    assert [p.number for p in f.open_posts(center)] == [1, 3]


def test_s2_other_county_cannot_sync_posts(center, civil_affairs_b):
    with pytest.raises(Forbidden):
        services.posts_sync(actor=civil_affairs_b, facility=center)


# ------------------------------------------------------------------------------- facility_set_status


def test_s1_closing_a_facility_closes_its_vacant_posts_and_records_the_history(center, civil_affairs_a):
    # when
    services.facility_set_status(
        actor=civil_affairs_a,
        facility=center,
        status=FacilityStatus.CLOSED,
        effective_on=date(2025, 8, 1),
        reason="场地拆迁",
    )
    # then
    center.refresh_from_db()
    assert center.status == FacilityStatus.CLOSED
    assert f.open_posts(center) == []
    assert set(center.posts.values_list("closed_on", flat=True)) == {date(2025, 8, 1)}
    change = FacilityStatusChange.objects.filter(facility=center).first()
    assert (change.status, change.effective_on, change.reason, change.recorded_by) == (
        FacilityStatus.CLOSED,
        date(2025, 8, 1),
        "场地拆迁",
        civil_affairs_a,
    )
    event = AuditEvent.objects.get(action="facility.status")
    assert event.changes["status"] == [FacilityStatus.OPERATING, FacilityStatus.CLOSED]
    assert event.reason == "场地拆迁"


def test_s1_a_status_change_needs_a_reason(center, civil_affairs_a):
    with pytest.raises(DomainError) as refused:
        services.facility_set_status(
            actor=civil_affairs_a,
            facility=center,
            status=FacilityStatus.CLOSED,
            effective_on=date(2025, 8, 1),
            reason=" ",
        )
    assert refused.value.code == "reason_required"
    center.refresh_from_db()
    assert center.status == FacilityStatus.OPERATING
    assert len(f.open_posts(center)) == 2


# ------------------------------------------------------------------------------ quota bounds (issue point 5)


def test_s2_a_quota_above_the_sources_2_1_1_is_refused_and_no_post_opens(center, civil_affairs_a):
    # when: someone tries to record three posts for a service center
    with pytest.raises(DomainError) as refused:
        _set_quota(date(2025, 7, 1), service_center=3)
    # then: refused with the reason, and the sync keeps the center at two posts
    assert refused.value.code == "invalid_value"
    assert "service_center" in str(refused.value)
    assert "2" in str(refused.value)
    services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 7, 1))
    assert [p.number for p in f.open_posts(center)] == [1, 2]


def test_s2_the_post_sync_refuses_a_stored_quota_above_the_bound(center, civil_affairs_a):
    # given: a row stored around the service (e.g. before the schemas existed) that asks for three posts
    from zhulao.policy.models import PolicyParameter

    PolicyParameter(
        key="facility.post_quota",
        region_prefix="3506",
        effective_from=date(2025, 7, 1),
        value={"service_center": 3, "home_care_station": 1, "happiness_home": 1},
        source="written around the service",
        confidence="UNCONFIRMED",
    ).save()
    # when / then: the sync refuses with the reason and opens nothing
    with pytest.raises(DomainError) as refused:
        services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 7, 1))
    assert refused.value.code == "quota_out_of_bounds"
    assert "service_center" in str(refused.value)
    assert center.posts.count() == 2
    assert not center.posts.filter(number=3).exists()


def test_s2_the_quota_bounds_name_every_facility_kind():
    from zhulao.policy import keys

    assert set(keys.POST_QUOTA_BOUNDS) == set(FacilityKind.values)
    assert keys.POST_QUOTA_BOUNDS == {"service_center": 2, "home_care_station": 1, "happiness_home": 1}


# ------------------------------------------------------------------------------ quota change preview


def _preview(**quota: int):
    from zhulao.posts import selectors

    value = {"service_center": 2, "home_care_station": 1, "happiness_home": 1, **quota}
    return selectors.quota_change_preview(value=value, region_prefix="3506", effective_from=date(2025, 7, 1))


def test_s2_the_preview_lists_exactly_the_posts_a_lower_quota_closes_and_writes_nothing(center, station):
    # given
    posts_before = list(Post.objects.values_list("pk", "closed_on"))
    events_before = AuditEvent.objects.count()
    # when
    preview = _preview(service_center=1, home_care_station=0)
    # then: post 2 of the center and the station's only post would close; nothing opens
    rows = {row.subject: row for row in preview.rows}
    assert set(rows) == {"浦南镇养老服务照料中心 (浦南镇)", "东山村居家养老服务站 (东山村)"}
    assert rows["浦南镇养老服务照料中心 (浦南镇)"].closes == (str(center.posts.get(number=2)),)
    assert rows["东山村居家养老服务站 (东山村)"].closes == (str(station.posts.get(number=1)),)
    assert (preview.opens, preview.closes) == (0, 2)
    assert list(Post.objects.values_list("pk", "closed_on")) == posts_before
    assert AuditEvent.objects.count() == events_before


def test_s2_the_preview_is_what_the_sync_then_does(regions, center, civil_affairs_a):
    # given: the center was cut to one post; the preview of going back to two
    _set_quota(date(2025, 6, 1), service_center=1)
    services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 6, 1))
    preview = _preview(service_center=2)
    (row,) = preview.rows
    assert len(row.opens) == 1
    assert row.opens[0].startswith("浦南镇养老服务照料中心 · ")
    assert row.opens[0].endswith(" 3")
    assert (row.before, row.after) == (1, 2)
    # when: the value is recorded and the posts synced
    _set_quota(date(2025, 7, 1), service_center=2)
    opened = services.posts_sync(actor=civil_affairs_a, facility=center, on=date(2025, 7, 1))
    # then: exactly the previewed post opened
    assert [str(p) for p in opened] == list(row.opens)


def test_s2_the_preview_keeps_filled_posts_and_skips_regions_with_their_own_value(regions, crew, center):
    # given: post 2 is filled; 龙文区 (another county) has its own value, so a 芗城区 value does not reach it
    post1, post2 = f.open_posts(center)
    f.hired_helper(crew, post2, f.eligible_person(regions["village_a"]), region=regions["county_a"])
    # when
    from zhulao.posts import selectors

    preview = selectors.quota_change_preview(
        value={"service_center": 0, "home_care_station": 1, "happiness_home": 1},
        region_prefix="350602",
        effective_from=date(2026, 3, 1),
    )
    # then: the vacant post 1 closes, the filled post 2 is listed as kept
    (row,) = preview.rows
    assert row.closes == (str(post1),)
    assert row.kept == (str(post2),)


def test_s2_the_preview_runs_a_fixed_number_of_queries_however_many_facilities(
    regions, civil_affairs_a, center, station, django_assert_max_num_queries
):
    # given: more facilities in the city (registered by the system: two counties)
    for key in ("village_a2", "village_b"):
        region = regions[key]
        f.make_facility(None, region, kind=FacilityKind.HAPPINESS_HOME, name=f"{region.name}农村幸福院")
    # when / then: facilities, posts, placements and the policy rows: a handful of queries in all
    with django_assert_max_num_queries(6):
        preview = _preview(happiness_home=0)
    assert preview.closes == 2
