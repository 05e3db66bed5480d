"""The registry feeding the eligibility engine (S4–S6): evidence, households, placements and batches."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from zhulao.people import eligibility, services
from zhulao.people.choices import Category, EmploymentStatus, Relation
from zhulao.people.models import Evidence
from zhulao.people.tests import factories as f
from zhulao.rules.eligibility import CRITERIA, HukouType, Status

pytestmark = pytest.mark.usefixtures("policy")


def _rural_woman_of_45(regions, *, dibao_until: date | None, working_spouse: bool = True):
    """A woman of 45 in village_a (rural class 220), willing and able, with 农村低保 household evidence.

    With ``working_spouse`` the household is not a zero-employment one, so the 低保 evidence is the
    only target group she holds.
    """
    village = regions["village_a"]
    household = f.make_household(village, number="户-0001")
    woman = f.make_person(village, name="林秀英", id_number=f.id_number(f.years_ago(45)))
    f.put_in_household(household, woman, Relation.HEAD)
    if working_spouse:
        spouse = f.make_person(
            village,
            name="陈建国",
            id_number=f.id_number(f.years_ago(47), male=True),
            employment_status=EmploymentStatus.EMPLOYED,
        )
        f.put_in_household(household, spouse, Relation.SPOUSE)
    f.add_evidence(Category.RURAL_DIBAO, household=household, valid_from=date(2023, 1, 1), valid_until=dibao_until)
    woman.refresh_from_db()
    return woman


def test_s4_a_rural_woman_of_45_with_valid_dibao_evidence_is_eligible_today(regions):
    # given
    today = timezone.localdate()
    woman = _rural_woman_of_45(regions, dibao_until=today + timedelta(days=365))
    # when
    decision = eligibility.decide(woman, on=today)
    # then
    assert decision.status is Status.PASSED
    assert decision.eligible
    assert tuple(c.code for c in decision.criteria) == CRITERIA
    assert len(decision.criteria) == 7
    assert all(c.status is Status.PASSED for c in decision.criteria)
    assert "农村低保" in decision.criterion("target_group").reason_zh
    assert "aged 45" in decision.criterion("working_age").reason_en
    assert decision.placement_number == 1
    assert decision.planned_end is not None


def test_s4_the_same_woman_with_expired_evidence_is_undecided_not_refused(regions):
    # given: the 低保 certificate ran out yesterday
    today = timezone.localdate()
    woman = _rural_woman_of_45(regions, dibao_until=f.yesterday())
    # when
    decision = eligibility.decide(woman, on=today)
    # then
    assert decision.status is Status.UNKNOWN
    target = decision.criterion("target_group")
    assert target.status is Status.UNKNOWN
    assert "农村低保证据已过期" in target.reason_zh
    assert "evidence expired" in target.reason_en
    others = [c for c in decision.criteria if c.code != "target_group"]
    assert all(c.status is Status.PASSED for c in others)


def test_s4_on_a_date_when_the_evidence_was_valid_she_was_eligible(regions):
    woman = _rural_woman_of_45(regions, dibao_until=date(2025, 12, 31))
    assert eligibility.decide(woman, on=date(2025, 6, 1)).status is Status.PASSED
    assert eligibility.decide(woman, on=date(2026, 1, 1)).status is Status.UNKNOWN


def test_s4_withdrawn_evidence_no_longer_makes_her_eligible(regions, civil_affairs_a):
    woman = _rural_woman_of_45(regions, dibao_until=None)
    services.evidence_withdraw(actor=civil_affairs_a, evidence=Evidence.objects.get(), reason="退出低保")
    decision = eligibility.decide(woman, on=timezone.localdate())
    assert decision.criterion("target_group").status is not Status.PASSED
    assert decision.status is not Status.PASSED


def test_s4_a_man_born_1960_is_past_retirement_naming_the_month(regions):
    # given
    man = f.make_person(regions["village_a"], name="陈志明", id_number=f.id_number(date(1960, 5, 10), male=True))
    # when
    decision = eligibility.decide(man, on=timezone.localdate())
    # then
    working_age = decision.criterion("working_age")
    assert working_age.status is Status.FAILED
    assert decision.status is Status.FAILED
    assert "2020年5月退休" in working_age.reason_zh
    assert "retired in 2020-05" in working_age.reason_en
    assert decision.criterion("subsidy_period").status is Status.FAILED


def test_s6_an_active_outside_placement_fails_no_double_post_and_placements(regions):
    # given
    today = timezone.localdate()
    woman = _rural_woman_of_45(regions, dibao_until=None)
    f.make_external_placement(woman, started_on=date(2025, 3, 1))
    # when
    decision = eligibility.decide(woman, on=today)
    # then
    assert decision.criterion("no_double_post").status is Status.FAILED
    placements = decision.criterion("placements")
    assert placements.status is Status.FAILED
    assert "2025-03-01" in placements.reason_en
    assert decision.status is Status.FAILED
    assert decision.placement_number == 2


def test_s6_an_ended_outside_placement_allows_no_repeat_for_a_dibao_member(regions):
    # given: placed before, ended; 低保 is not a repeat-placement category
    woman = _rural_woman_of_45(regions, dibao_until=None)
    f.make_external_placement(woman, started_on=date(2021, 1, 1), ended_on=date(2023, 12, 31))
    # when
    decision = eligibility.decide(woman, on=timezone.localdate())
    # then
    assert decision.criterion("no_double_post").status is Status.PASSED
    assert decision.criterion("placements").status is Status.FAILED
    assert "Placement number 2 refused" in decision.criterion("placements").reason_en


def test_s6_an_ended_outside_placement_allows_a_repeat_for_a_zero_employment_household(regions):
    woman = _rural_woman_of_45(regions, dibao_until=None, working_spouse=False)
    f.make_external_placement(woman, started_on=date(2021, 1, 1), ended_on=date(2023, 12, 31))
    decision = eligibility.decide(woman, on=timezone.localdate())
    assert decision.criterion("placements").status is Status.PASSED
    assert decision.placement_number == 2


def test_s4_unstable_ex_poor_puts_her_in_priority_group_1(regions):
    # given
    woman = _rural_woman_of_45(regions, dibao_until=None)
    f.add_evidence(Category.UNSTABLE_EX_POOR, household=woman.household, certificate_number="监测-0001")
    # when
    decision = eligibility.decide(woman, on=timezone.localdate())
    # then
    assert decision.priority.group == 1
    assert "脱贫不稳定" in decision.priority.label_zh


def test_s4_a_zero_employment_household_puts_her_in_priority_group_2(regions):
    woman = _rural_woman_of_45(regions, dibao_until=None, working_spouse=False)
    decision = eligibility.decide(woman, on=timezone.localdate())
    assert decision.priority.group == 2
    assert "零就业家庭" in decision.criterion("target_group").reason_zh


@pytest.mark.parametrize(
    ("hukou", "allowed", "status"),
    [
        ("350602100200", {HukouType.PROVINCE}, Status.PASSED),  # 3506 holds both city and province
        ("350602100200", {HukouType.CITY}, Status.PASSED),
        ("350203100000", {HukouType.PROVINCE}, Status.PASSED),
        ("350203100000", {HukouType.CITY}, Status.FAILED),  # Xiamen: this province, not this city
        ("110101000000", {HukouType.CITY, HukouType.PROVINCE}, Status.FAILED),
    ],
)
def test_s5_the_batch_decides_which_registration_types_pass(regions, hukou, allowed, status):
    # given
    person = f.make_person(regions["village_a"], hukou_region_code=hukou)
    # when
    decision = eligibility.decide(person, on=timezone.localdate(), allowed=allowed)
    # then
    assert decision.criterion("hukou_type").status is status


def _poverty_household_member(regions, *, evidence: bool, urban_rural_code: str = ""):
    household = f.make_household(regions["village_a"])
    person = f.make_person(regions["village_a"], urban_rural_code=urban_rural_code)
    f.put_in_household(household, person)
    if evidence:
        f.add_evidence(Category.POVERTY_REGISTERED, household=household, certificate_number="建档-0001")
    person.refresh_from_db()
    return person


def test_s5_a_poverty_labour_batch_takes_rural_members_of_registered_poor_households(regions):
    today = timezone.localdate()
    only = {HukouType.POVERTY_LABOUR}
    with_evidence = _poverty_household_member(regions, evidence=True)
    without = _poverty_household_member(regions, evidence=False)
    urban = _poverty_household_member(regions, evidence=True, urban_rural_code="111")
    assert eligibility.decide(with_evidence, on=today, allowed=only).criterion("hukou_type").status is Status.PASSED
    assert eligibility.decide(without, on=today, allowed=only).criterion("hukou_type").status is Status.FAILED
    assert eligibility.decide(urban, on=today, allowed=only).criterion("hukou_type").status is Status.FAILED
    assert HukouType.POVERTY_LABOUR not in eligibility.hukou_types(urban, on=today)


def test_s5_expired_poverty_evidence_does_not_give_poverty_labour(regions):
    person = f.make_person(regions["village_a"])
    household = f.make_household(regions["village_a"])
    f.put_in_household(household, person)
    f.add_evidence(
        Category.POVERTY_REGISTERED, household=household, valid_from=date(2020, 1, 1), valid_until=f.yesterday()
    )
    person.refresh_from_db()
    assert HukouType.POVERTY_LABOUR not in eligibility.hukou_types(person, on=timezone.localdate())
    assert HukouType.POVERTY_LABOUR in eligibility.hukou_types(person, on=date(2024, 1, 1))


def test_s4_undeclared_willingness_is_unknown(regions):
    person = f.make_person(regions["village_a"], willing_to_work=None, able_to_work=False)
    decision = eligibility.decide(person, on=timezone.localdate())
    assert decision.criterion("willing_able").status is Status.FAILED
    person = f.make_person(regions["village_a"], willing_to_work=None, able_to_work=True, name="李四")
    assert eligibility.decide(person, on=timezone.localdate()).criterion("willing_able").status is Status.UNKNOWN
