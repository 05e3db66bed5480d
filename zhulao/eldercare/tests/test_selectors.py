"""Reads of elder care (S13, S14): the helper's day, coverage figures, visit plans, categories and groups.

Coverage is checked against a count made by hand from the visit records, with visits on both sides of a
month end (a visit on 31 January counts for January, not for February).
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from django.http import Http404

from zhulao import policy as policy_values
from zhulao.accounts.roles import Role
from zhulao.eldercare import selectors, services
from zhulao.eldercare.choices import ElderCategory
from zhulao.eldercare.models import ElderArchive, Visit
from zhulao.eldercare.tests import factories as f
from zhulao.policy import services as policy_services
from zhulao.regions.models import Region

pytestmark = pytest.mark.usefixtures("policy")

RULED = {"left_behind", "widowed_childless", "empty_nest"}  # the seed's monthly visit rule (S14)


@pytest.fixture
def other_helper(make_user):
    return make_user(Role.HELPER, "village_a2", username="helper_village_a2")


def _elder(region: Region, actor, categories, **kwargs) -> ElderArchive:
    return f.make_elder(region, actor=actor, categories=categories, **kwargs)


# =============================================================================== my_day


def test_s14_my_day_lists_overdue_first_then_due_then_the_rest(regions, village_a, helper_a, other_helper):
    # given: five elders of helper A, paired since 1 January (E only since 1 March)
    village = regions["village_a"]
    a = _elder(village, village_a, ["left_behind"], name="甲")  # visited in February, not yet in March: due
    b = _elder(village, village_a, ["left_behind"], name="乙")  # no visit in February: overdue
    c = _elder(village, village_a, ["empty_nest"], name="丙")  # visited in February and March: done
    d = _elder(village, village_a, ["dibao"], name="丁")  # no visit rule
    e = _elder(village, village_a, ["widowed_childless"], name="戊")  # new this month: due, not overdue
    for archive in (a, b, c, d):
        f.pair(archive, helper_a, actor=village_a, day=date(2025, 1, 1))
    f.pair(e, helper_a, actor=village_a, day=date(2025, 3, 1))
    f.visit(helper_a, b, date(2025, 1, 20))
    f.visit(helper_a, a, date(2025, 2, 10))
    f.visit(helper_a, c, date(2025, 2, 28))
    f.visit(helper_a, c, date(2025, 3, 5))
    # an elder of another helper is not on helper A's day
    stranger = _elder(regions["village_a2"], None, ["left_behind"], name="己")
    f.pair(stranger, other_helper, day=date(2025, 1, 1))
    # when
    day = selectors.my_day(helper=helper_a, on=date(2025, 3, 12))
    # then
    assert [i.archive for i in day] == [b, a, e, c, d]
    by_name = {i.archive.person.name: i for i in day}
    assert by_name["乙"].status.overdue
    assert by_name["乙"].status.due
    assert by_name["乙"].status.previous_done == 0
    assert "逾期" in by_name["乙"].status.reason_zh
    assert by_name["乙"].last_visit == date(2025, 1, 20)
    assert by_name["甲"].status.due
    assert not by_name["甲"].status.overdue
    assert by_name["戊"].status.due
    assert not by_name["戊"].status.overdue
    assert by_name["戊"].status.previous_done is None  # paired this month: February is not judged
    assert not by_name["丙"].status.due
    assert not by_name["丙"].status.overdue
    assert by_name["丙"].last_visit == date(2025, 3, 5)
    assert by_name["丁"].status is None
    assert by_name["丁"].last_visit is None


def test_s14_my_day_shows_an_open_visit_and_does_not_count_it(regions, village_a, helper_a):
    elder = _elder(regions["village_a"], village_a, ["left_behind"])
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 1))
    f.visit(helper_a, elder, date(2025, 2, 3))
    with f.on(date(2025, 3, 12)):
        opened = services.visit_start(actor=helper_a, archive=elder)
    [item] = selectors.my_day(helper=helper_a, on=date(2025, 3, 12))
    assert item.open_visit == opened
    assert item.status.done_in_period == 0
    assert item.status.due
    assert item.last_visit == date(2025, 2, 3)


def test_s14_my_day_is_empty_without_pairings(helper_a):
    assert selectors.my_day(helper=helper_a, on=date(2025, 3, 12)) == []


def test_s14_my_day_includes_advanced_age_from_the_policy(regions, village_a, helper_a):
    elder = _elder(regions["village_a"], village_a, ["empty_nest"], born=date(1945, 3, 12))
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 1))
    [before] = selectors.my_day(helper=helper_a, on=date(2025, 3, 11))
    [after] = selectors.my_day(helper=helper_a, on=date(2025, 3, 12))
    assert before.categories == ["empty_nest"]
    assert after.categories == ["empty_nest", ElderCategory.ADVANCED_AGE]


# =============================================================================== visit plan across month ends


def test_s14_visit_plan_due_dates_across_month_and_year_ends(regions, village_a, helper_a):
    # given: monthly visits on 31 December and 31 January, none in February
    elder = _elder(regions["village_a"], village_a, ["left_behind"])
    f.pair(elder, helper_a, actor=village_a, day=date(2024, 11, 1))
    f.visit(helper_a, elder, date(2024, 12, 31))
    f.visit(helper_a, elder, date(2025, 1, 31), at=time(23, 50))

    def status(on: date):
        [item] = selectors.my_day(helper=helper_a, on=on)
        return item.status

    # 1 January: a new period; December's visit counts for December
    jan1 = status(date(2025, 1, 1))
    assert (jan1.period_start, jan1.period_end, jan1.next_due_by) == (
        date(2025, 1, 1),
        date(2025, 1, 31),
        date(2025, 1, 31),
    )
    assert (jan1.previous_start, jan1.previous_end, jan1.previous_done) == (date(2024, 12, 1), date(2024, 12, 31), 1)
    assert (jan1.done_in_period, jan1.due, jan1.overdue) == (0, True, False)
    # 30 January: still due by the 31st
    assert status(date(2025, 1, 30)).due
    # 31 January: the late-evening visit makes January complete
    jan31 = status(date(2025, 1, 31))
    assert (jan31.done_in_period, jan31.remaining, jan31.due) == (1, 0, False)
    # 1 February: January's visit does not count for February; due by 28 February (2025 is not a leap year)
    feb1 = status(date(2025, 2, 1))
    assert (feb1.period_start, feb1.period_end, feb1.next_due_by) == (
        date(2025, 2, 1),
        date(2025, 2, 28),
        date(2025, 2, 28),
    )
    assert (feb1.done_in_period, feb1.previous_done, feb1.due, feb1.overdue) == (0, 1, True, False)
    # 1 March: February ended without a visit → overdue; due by 31 March
    mar1 = status(date(2025, 3, 1))
    assert (mar1.previous_done, mar1.overdue, mar1.due, mar1.next_due_by) == (0, True, True, date(2025, 3, 31))


def test_s14_a_leap_february_ends_on_the_29th(regions, village_a, helper_a):
    elder = _elder(regions["village_a"], village_a, ["empty_nest"])
    f.pair(elder, helper_a, actor=village_a, day=date(2023, 12, 1))
    [item] = selectors.my_day(helper=helper_a, on=date(2024, 2, 10))
    assert (item.status.period_end, item.status.next_due_by) == (date(2024, 2, 29), date(2024, 2, 29))


# =============================================================================== coverage


def _hand_count(region: Region, on: date) -> dict[str, tuple[int, int]]:
    """Due and visited elders per village (and "total"), counted straight from the records: active archives
    with a monthly rule category, visited when a submitted visit is dated in the month of ``on`` up to ``on``."""
    first = on.replace(day=1)
    counts: dict[str, list[int]] = {"total": [0, 0]}
    for archive in ElderArchive.objects.filter(region__code__startswith=region.prefix, status="active"):
        if not RULED & set(archive.categories):
            continue
        visited = Visit.objects.filter(
            archive=archive, submitted_at__isnull=False, visit_date__gte=first, visit_date__lte=on
        ).exists()
        for key in ("total", archive.region_id):
            row = counts.setdefault(key, [0, 0])
            row[0] += 1
            row[1] += int(visited)
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _figures(user, region: Region, on: date) -> dict[str, tuple[int, int]]:
    total, rows = selectors.coverage(user=user, region=region, on=on)
    out = {"total": (total.due, total.visited)}
    out.update({row.region.code: (row.due, row.visited) for row in rows})
    return out


@pytest.fixture
def ten_elders(regions, village_a, township_a, helper_a, other_helper):
    """Ten elders in the two villages of township A with visits around the end of January 2025, and one
    elder in township B (outside the figures)."""
    east, west = regions["village_a"], regions["village_a2"]
    spec = [
        # (village, helper, categories, visit days)
        (east, helper_a, ["left_behind"], [date(2025, 1, 31)]),  # January only (31st)
        (east, helper_a, ["left_behind", "dibao"], [date(2025, 2, 1)]),  # February only (1st)
        (east, helper_a, ["empty_nest"], [date(2025, 1, 2), date(2025, 2, 27)]),  # both months
        (east, helper_a, ["widowed_childless"], []),  # never visited
        (east, helper_a, ["dibao"], [date(2025, 1, 15)]),  # no visit rule: not in the figures
        (west, other_helper, ["empty_nest", "living_alone"], [date(2025, 1, 31), date(2025, 2, 28)]),
        (west, other_helper, ["left_behind"], [date(2025, 1, 10), date(2025, 1, 20)]),  # twice in January
        (west, other_helper, ["widowed_childless"], [date(2025, 2, 14)]),
        (west, other_helper, ["left_behind"], []),  # only an open visit (below)
        (west, other_helper, ["tekun", "disabled_care"], []),  # no visit rule
    ]
    archives = []
    for index, (village, helper, categories, days) in enumerate(spec):
        archive = _elder(village, township_a, categories, name=f"老人{index}")
        f.pair(archive, helper, actor=township_a, day=date(2024, 12, 1))
        for day in days:
            f.visit(helper, archive, day)
        archives.append(archive)
    # a visit opened at 23:50 on 31 January and submitted after midnight counts for January
    with f.on(date(2025, 1, 31), time(23, 50)):
        late = services.visit_start(actor=helper_a, archive=archives[3])
    with f.on(date(2025, 2, 1), time(0, 5)):
        services.visit_submit(actor=helper_a, visit=late, services={"safety": 20})
    # an open visit never submitted does not count
    with f.on(date(2025, 2, 20)):
        services.visit_start(actor=other_helper, archive=archives[8])
    # a closed archive does not count
    closed = _elder(east, township_a, ["left_behind"], name="已销档")
    ElderArchive.objects.filter(pk=closed.pk).update(status="closed")
    # an elder of township B is outside the figures of township A
    _elder(regions["village_b"], None, ["left_behind"], name="外镇老人")
    return archives


@pytest.mark.parametrize(
    ("on", "expected_total"),
    [
        (date(2025, 1, 31), (8, 5)),  # January: 0, 2, 3 (late visit), 5, 6 visited; 1, 7, 8 not
        (date(2025, 2, 1), (8, 1)),  # 1 February: only elder 1 (visited on the 1st)
        (date(2025, 2, 26), (8, 2)),  # elders 1 and 7
        (date(2025, 2, 28), (8, 4)),  # elders 1, 2, 5, 7
    ],
)
def test_s14_coverage_equals_a_direct_count_of_the_records(regions, civil_affairs_a, ten_elders, on, expected_total):
    township = regions["township_a"]
    figures = _figures(civil_affairs_a, township, on)
    assert figures == _hand_count(township, on)
    assert figures["total"] == expected_total
    total, rows = selectors.coverage(user=civil_affairs_a, region=township, on=on)
    assert [r.region.code for r in rows] == ["350602100200", "350602100201"]
    assert sum(r.due for r in rows) == total.due
    assert sum(r.visited for r in rows) == total.visited
    assert total.share == Decimal(expected_total[1]) / Decimal(expected_total[0])
    assert len(total.not_visited) == total.due - total.visited


def test_s14_coverage_of_the_county_rolls_up_the_township(regions, civil_affairs_a, ten_elders):
    on = date(2025, 1, 31)
    total, rows = selectors.coverage(user=civil_affairs_a, region=regions["county_a"], on=on)
    assert (total.due, total.visited) == _hand_count(regions["county_a"], on)["total"] == (8, 5)
    assert [(r.region.code, r.due, r.visited) for r in rows] == [("350602100000", 8, 5)]


def test_s14_coverage_counts_only_what_the_user_may_see(regions, village_a, ten_elders):
    # the village committee of 东山村 sees only its own village's elders
    total, rows = selectors.coverage(user=village_a, region=regions["township_a"], on=date(2025, 1, 31))
    assert (total.due, total.visited) == _hand_count(regions["village_a"], date(2025, 1, 31))["total"] == (4, 3)
    assert [r.region.code for r in rows] == ["350602100200"]


def test_s14_coverage_names_the_elders_not_visited(regions, civil_affairs_a, ten_elders):
    total, _rows = selectors.coverage(user=civil_affairs_a, region=regions["township_a"], on=date(2025, 2, 28))
    names = ElderArchive.objects.filter(pk__in=total.not_visited).values_list("person__name", flat=True)
    assert set(names) == {"老人0", "老人3", "老人6", "老人8"}


# =============================================================================== categories and groups


def test_s13_categories_of_adds_advanced_age_on_the_80th_birthday(regions, village_a):
    archive = _elder(regions["village_a"], village_a, ["left_behind"], born=date(1945, 3, 12))
    threshold = int(policy_values.value("eldercare.advanced_age", region=regions["village_a"], on=date(2025, 3, 12)))
    assert threshold == 80
    assert selectors.categories_of(archive, on=date(2025, 3, 11), advanced_age=threshold) == ["left_behind"]
    assert selectors.categories_of(archive, on=date(2025, 3, 12), advanced_age=threshold) == [
        "left_behind",
        "advanced_age",
    ]


def test_s13_a_regional_policy_may_lower_the_advanced_age(regions, village_a):
    # 龙文区 widened home care from 80+ to 75+ in 2020-01 (POLICY §6.2): a county-level dated value
    policy_services.parameter_add(
        actor=None,
        key="eldercare.advanced_age",
        value=75,
        effective_from=date(2020, 1, 1),
        source="龙文区 75+ (POLICY §6.2)",
        confidence="CONFIRMED",
        region_prefix="350603",
    )
    on = date(2025, 3, 12)
    assert policy_values.value("eldercare.advanced_age", region=regions["village_b"], on=on) == 75
    assert policy_values.value("eldercare.advanced_age", region=regions["village_a"], on=on) == 80
    elder = _elder(regions["village_b"], None, ["empty_nest"], born=date(1948, 1, 1))
    threshold = int(policy_values.value("eldercare.advanced_age", region=regions["village_b"], on=on))
    assert "advanced_age" in selectors.categories_of(elder, on=on, advanced_age=threshold)


@pytest.mark.parametrize(
    ("categories", "groups"),
    [
        (["tekun"], ["托底"]),
        (["dibao", "left_behind"], ["托底", "重点保障"]),
        (["disabled_care", "fp_special"], ["困境"]),
        (["severely_disabled", "dibao_edge", "empty_nest"], ["困境", "重点保障"]),
        (["advanced_age"], ["重点保障"]),
        (["tekun", "severely_disabled", "widowed_childless"], ["托底", "困境", "重点保障"]),
        ([], []),
    ],
)
def test_s13_groups_come_from_the_policy_mapping(regions, categories, groups):
    mapping = policy_values.value("eldercare.group_mapping", region=regions["village_a"], on=date(2025, 3, 12))
    assert sorted(selectors.groups_of(categories, mapping)) == sorted(groups)


def test_s13_groups_are_listed_in_the_seeds_order(regions):
    mapping = policy_values.value("eldercare.group_mapping", region=regions["village_a"], on=date(2025, 3, 12))
    assert selectors.groups_of(["widowed_childless", "severely_disabled", "tekun"], mapping) == [
        "托底",
        "困境",
        "重点保障",
    ]


def test_s13_a_new_dated_mapping_changes_the_groups(regions):
    policy_services.parameter_add(
        actor=None,
        key="eldercare.group_mapping",
        value={"托底": ["tekun", "dibao", "fp_special"], "困境": ["disabled_care"], "重点保障": ["left_behind"]},
        effective_from=date(2025, 1, 1),
        source="test: the client's confirmed mapping",
        confidence="CONFIRMED",
        region_prefix="3506",
    )
    old = policy_values.value("eldercare.group_mapping", region=regions["village_a"], on=date(2024, 12, 31))
    new = policy_values.value("eldercare.group_mapping", region=regions["village_a"], on=date(2025, 1, 1))
    assert selectors.groups_of(["fp_special"], old) == ["困境"]
    assert selectors.groups_of(["fp_special"], new) == ["托底"]


# =============================================================================== lists and access


def test_s13_archive_list_filters_by_the_exact_category_code(regions, village_a, civil_affairs_a):
    dibao = _elder(regions["village_a"], village_a, ["dibao"], name="低保")
    _elder(regions["village_a"], village_a, ["dibao_edge"], name="边缘")
    rows = selectors.archive_list(user=civil_affairs_a, category="dibao")
    assert list(rows) == [dibao]
    assert {a.person.name for a in selectors.archive_list(user=civil_affairs_a, category="dibao_edge")} == {"边缘"}


def test_s13_archive_list_shows_the_current_helper_and_is_scoped(regions, village_a, helper_a, village_b):
    elder = _elder(regions["village_a"], village_a, ["left_behind"])
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 1))
    _elder(regions["village_b"], village_b, ["left_behind"], name="外村")
    [row] = selectors.archive_list(user=village_a)
    assert row == elder
    assert [p.helper for p in row.current] == [helper_a]  # type: ignore[attr-defined]
    assert [a.person.name for a in selectors.archive_list(user=village_b)] == ["外村"]
    assert list(selectors.archive_list(user=helper_a)) == []


def test_s14_a_helper_reaches_an_elder_only_through_an_active_pairing(regions, village_a, helper_a):
    elder = _elder(regions["village_a"], village_a, ["left_behind"])
    with pytest.raises(Http404):
        selectors.get_archive_for_helper(helper_a, elder.public_id)
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 1))
    assert selectors.get_archive_for_helper(helper_a, elder.public_id) == elder


def test_s17_open_needs_appear_on_the_township_todo_list(regions, village_a, helper_a, township_a):
    elder = _elder(regions["village_a"], village_a, ["left_behind"])
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 1))
    f.visit(helper_a, elder, date(2025, 3, 10), needs=["需要助浴", "门锁坏了"])
    [group] = selectors.todo_groups(township_a)
    assert (group.kind, group.count, len(group.items)) == ("needs", 2, 2)
    # the village does not handle needs (its own to-dos, e.g. the helper's overdue elders, are elsewhere)
    assert "needs" not in [g.kind for g in selectors.todo_groups(village_a)]
