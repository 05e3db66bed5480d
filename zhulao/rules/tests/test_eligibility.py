"""The pure eligibility engine: every criterion's paths, the subsidy period, priority, and properties.

Params carry the POLICY.md values (§1.2, §1.4, §3); the thresholds live here, never in the module.
"""

import ast
import inspect
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from zhulao.rules import eligibility
from zhulao.rules.dates import add_months
from zhulao.rules.eligibility import (
    CRITERIA,
    Batch,
    Candidate,
    Category,
    Cited,
    Decision,
    EvidenceState,
    HukouType,
    Params,
    PastPlacement,
    Status,
    decide,
    planned_end,
    priority_sort_key,
)
from zhulao.rules.retirement import RetirementScheme, RetirementTrack, statutory_retirement

SCHEME = RetirementScheme.from_mapping(
    {
        "reform_start": "2025-01-01",
        "tracks": {
            "male": {"original_age_years": 60, "months_per_step": 4, "max_delay_months": 36},
            "female50": {"original_age_years": 50, "months_per_step": 2, "max_delay_months": 60},
            "female55": {"original_age_years": 55, "months_per_step": 4, "max_delay_months": 36},
        },
    }
)


def _cited(key: str, value: object, source: str) -> Cited:
    return Cited(value, f"{key} = {value} ({source})")


def policy_params() -> Params:
    """POLICY.md values, each with a citation in the form the caller builds."""
    return Params(
        working_age_min=_cited("eligibility.working_age_min", 16, "1995-01-01, INFERRED; 《劳动法》第十五条"),
        retirement_scheme=Cited(SCHEME, "retirement.scheme (2025-01-01, CONFIRMED; 国发〔2024〕18号)"),
        urban_older_age=_cited(
            "eligibility.urban_older_age", {"male": 50, "female": 40}, "CONFIRMED; 闽人社办〔2025〕69号"
        ),
        rural_family_planning_age=_cited(
            "eligibility.rural_family_planning_age", {"male": 40, "female": 30}, "CONFIRMED; 漳州开发区"
        ),
        long_unemployed_years=_cited("eligibility.long_unemployed_years", 1, "CONFIRMED; 闽人社办〔2025〕69号"),
        max_period_months=_cited("placement.max_period_months", 36, "2020-01-01, CONFIRMED; POLICY §1.4"),
        max_placements=_cited("placement.max_count", 2, "2020-01-01, CONFIRMED; POLICY §1.4"),
        near_retirement_years=_cited("placement.near_retirement_years", 5, "2020-01-01; POLICY §1.4"),
    )


PARAMS = policy_params()
ON = date(2026, 3, 2)
BATCH = Batch(allowed_hukou_types=frozenset({HukouType.CITY, HukouType.PROVINCE}))
VALID = EvidenceState.VALID
EXPIRED = EvidenceState.EXPIRED
MALE = RetirementTrack.MALE
F50 = RetirementTrack.FEMALE_50
F55 = RetirementTrack.FEMALE_55

#: An urban man aged 55 on ON: working age, URBAN_OLDER, willing and able, city hukou.
BASE = Candidate(
    birth_date=date(1970, 5, 20),
    sex="M",
    retirement_track=MALE,
    is_urban=True,
    willing_to_work=True,
    able_to_work=True,
    hukou_types=frozenset({HukouType.CITY}),
    evidence={},
    unemployed_registered_since=None,
    zero_employment_household=False,
    disability_grade=None,
    placements=(),
    has_other_current_post=False,
)
#: A 35-year-old urban woman in no category by default.
YOUNG_WOMAN = replace(BASE, birth_date=date(1990, 7, 1), sex="F", retirement_track=F50)


@pytest.fixture(scope="module")
def params() -> Params:
    return policy_params()


def crit(decision: Decision, code: str):
    return decision.criterion(code)


def ended(start: date, end: date, first_approval: date | None = None) -> PastPlacement:
    return PastPlacement(start=start, end=end, first_approval=first_approval or start)


# --- the module itself ----------------------------------------------------------------------


def test_module_is_pure_and_has_no_threshold_literals():
    source = inspect.getsource(eligibility)
    tree = ast.parse(source)
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [node.names[0]])
    ]
    assert not [name for name in imported if name.startswith("django")]
    # the only integers allowed are 0/1 (counting) and the GB/T 26341 severe grades
    severe = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "SEVERE_DISABILITY_GRADES"
    )
    severe_ids = {id(n) for n in ast.walk(severe)}
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
        and id(node) not in severe_ids
    }
    assert literals <= {0, 1}


def test_criteria_come_in_the_documented_order(params):
    decision = decide(BASE, BATCH, params, on=ON)
    assert (
        tuple(c.code for c in decision.criteria)
        == CRITERIA
        == (
            "working_age",
            "willing_able",
            "target_group",
            "hukou_type",
            "placements",
            "subsidy_period",
            "no_double_post",
        )
    )


def test_the_base_candidate_is_eligible(params):
    decision = decide(BASE, BATCH, params, on=ON)
    assert decision.status is Status.PASSED
    assert decision.eligible
    assert decision.categories == frozenset({Category.URBAN_OLDER})
    assert decision.placement_number == 1
    assert decision.on == ON


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("working_age_min", Cited(-1, "x")),
        ("working_age_min", Cited("16", "x")),
        ("working_age_min", Cited(True, "x")),
        ("retirement_scheme", Cited({"male": 60}, "x")),
        ("urban_older_age", Cited({"male": 50}, "x")),
        ("urban_older_age", Cited(50, "x")),
        ("max_period_months", Cited(0, "x")),
        ("max_placements", Cited(0, "x")),
    ],
)
def test_params_reject_bad_values(params, field, value):
    with pytest.raises(ValueError, match=field):
        replace(params, **{field: value})


def test_candidate_rejects_unknown_sex():
    with pytest.raises(ValueError, match="sex"):
        replace(BASE, sex="X")


# --- 1. working_age --------------------------------------------------------------------------


def test_working_age_passes_and_cites_both_parameters(params):
    c = crit(decide(BASE, BATCH, params, on=ON), "working_age")
    assert c.status is Status.PASSED
    assert c.cites == (params.working_age_min.cite, params.retirement_scheme.cite)
    assert "现年55周岁" in c.reason_zh
    assert "61岁5个月" in c.reason_zh  # born 1970-05: n = 65 → 17 months' delay


def test_working_age_fails_below_the_minimum(params):
    candidate = replace(BASE, birth_date=date(2010, 6, 1))
    c = crit(decide(candidate, BATCH, params, on=ON), "working_age")
    assert c.status is Status.FAILED
    assert "最低劳动年龄为16周岁" in c.reason_zh
    assert "minimum working age is 16" in c.reason_en
    assert params.working_age_min.cite in c.cites


def test_working_age_passes_on_the_sixteenth_birthday(params):
    candidate = replace(BASE, birth_date=date(2010, 3, 2))
    assert crit(decide(candidate, BATCH, params, on=ON), "working_age").status is Status.PASSED
    candidate = replace(BASE, birth_date=date(2010, 3, 3))
    assert crit(decide(candidate, BATCH, params, on=ON), "working_age").status is Status.FAILED


def test_working_age_fails_before_birth(params):
    candidate = replace(BASE, birth_date=date(2027, 1, 1))
    decision = decide(candidate, BATCH, params, on=ON)
    assert crit(decision, "working_age").status is Status.FAILED


def test_man_born_1966_08_retires_in_2027_01_not_2026_11(params):
    """The brief's example said this man had retired by 2026-11-28; statutory_retirement says
    1966-08 + 60y5m (n = 20 → 5 months' delay) = 2027-01, so on 2026-11-28 he is still of
    working age (and his subsidy runs until retirement), and from 2027-01-15 he is past it."""
    born = date(1966, 8, 15)
    retirement = statutory_retirement(born, MALE, SCHEME)
    assert (retirement.retire_year, retirement.retire_month) == (2027, 1)
    assert retirement.age_label_zh == "60岁5个月"
    candidate = replace(BASE, birth_date=born)

    before = decide(candidate, BATCH, params, on=date(2026, 11, 28))
    assert crit(before, "working_age").status is Status.PASSED
    assert before.planned_end == retirement.retirement_date == date(2027, 1, 15)

    on_the_day = decide(candidate, BATCH, params, on=date(2027, 1, 15))
    c = crit(on_the_day, "working_age")
    assert c.status is Status.FAILED
    assert "超过法定退休年龄" in c.reason_zh
    assert "按渐进式延迟退休办法" in c.reason_zh
    assert "2027年1月退休" in c.reason_zh
    assert "法定退休年龄60岁5个月" in c.reason_zh
    assert "retired in 2027-01" in c.reason_en
    assert "statutory age 60 years 5 months" in c.reason_en
    assert "2025 gradual-retirement rules" in c.reason_en
    assert c.cites == (params.working_age_min.cite, params.retirement_scheme.cite)


def test_man_past_retirement_on_2026_11_28(params):
    # born 1965-08 on the male track: n = 8 → 2 months' delay → retires 2025-10
    born = date(1965, 8, 15)
    retirement = statutory_retirement(born, MALE, SCHEME)
    month = f"{retirement.retire_year}年{retirement.retire_month}月"
    assert month == "2025年10月"
    decision = decide(replace(BASE, birth_date=born), BATCH, params, on=date(2026, 11, 28))
    c = crit(decision, "working_age")
    assert c.status is Status.FAILED
    assert f"该人员于{month}退休" in c.reason_zh
    assert f"法定退休年龄{retirement.age_label_zh}" in c.reason_zh
    assert decision.status is Status.FAILED
    assert decision.planned_end is None
    assert crit(decision, "subsidy_period").status is Status.FAILED


def test_female50_track_uses_her_own_retirement_age(params):
    # a woman born 1976-01 on the 50 track: n = 13 → 7 months' delay → 50y7m → 2026-08
    candidate = replace(YOUNG_WOMAN, birth_date=date(1976, 1, 10), retirement_track=F50)
    c = crit(decide(candidate, BATCH, params, on=date(2026, 9, 1)), "working_age")
    assert c.status is Status.FAILED
    assert "2026年8月退休" in c.reason_zh
    assert "50岁7个月" in c.reason_zh
    # on the 55 track she is still of working age
    candidate = replace(candidate, retirement_track=F55)
    assert crit(decide(candidate, BATCH, params, on=date(2026, 9, 1)), "working_age").status is Status.PASSED


# --- 2. willing_able -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("willing", "able", "status", "phrase"),
    [
        (True, True, Status.PASSED, "有就业意愿且具备劳动能力"),
        (False, True, Status.FAILED, "本人无就业意愿"),
        (True, False, Status.FAILED, "不具备劳动能力"),
        (False, None, Status.FAILED, "本人无就业意愿"),
        (None, True, Status.UNKNOWN, "未声明就业意愿/劳动能力"),
        (True, None, Status.UNKNOWN, "未声明就业意愿/劳动能力"),
        (None, None, Status.UNKNOWN, "未声明就业意愿/劳动能力"),
    ],
)
def test_willing_able(params, willing, able, status, phrase):
    candidate = replace(BASE, willing_to_work=willing, able_to_work=able)
    decision = decide(candidate, BATCH, params, on=ON)
    c = crit(decision, "willing_able")
    assert c.status is status
    assert phrase in c.reason_zh
    assert c.reason_en
    assert decision.status is status


# --- 3. target_group -------------------------------------------------------------------------


def categories_of(candidate: Candidate, params: Params, on: date = ON) -> frozenset[Category]:
    return decide(candidate, BATCH, params, on=on).categories


def target(candidate: Candidate, params: Params, on: date = ON):
    return crit(decide(candidate, BATCH, params, on=on), "target_group")


@pytest.mark.parametrize(
    ("sex", "track", "birth", "is_urban", "holds"),
    [
        ("M", MALE, date(1976, 3, 2), True, True),  # 50 on ON
        ("M", MALE, date(1976, 3, 3), True, False),  # 49
        ("F", F50, date(1986, 3, 2), True, True),  # 40
        ("F", F50, date(1986, 3, 3), True, False),  # 39
        ("M", MALE, date(1970, 1, 1), False, False),  # rural: never URBAN_OLDER
    ],
)
def test_urban_older(params, sex, track, birth, is_urban, holds):
    candidate = replace(BASE, sex=sex, retirement_track=track, birth_date=birth, is_urban=is_urban)
    assert (Category.URBAN_OLDER in categories_of(candidate, params)) is holds
    c = target(candidate, params)
    assert c.status is (Status.PASSED if holds else Status.FAILED)
    if holds:
        assert "城镇大龄" in c.reason_zh
        assert params.urban_older_age.cite in c.cites


def test_target_group_fails_with_no_category_and_cites_the_thresholds(params):
    c = target(YOUNG_WOMAN, params)
    assert c.status is Status.FAILED
    assert "不属于任何安置对象类别" in c.reason_zh
    assert set(c.cites) == {
        params.urban_older_age.cite,
        params.long_unemployed_years.cite,
        params.rural_family_planning_age.cite,
    }
    assert decide(YOUNG_WOMAN, BATCH, params, on=ON).status is Status.FAILED


def test_unknown_urban_status_makes_urban_older_undecidable(params):
    candidate = replace(BASE, is_urban=None)
    c = target(candidate, params)
    assert c.status is Status.UNKNOWN
    assert "城乡属性未知" in c.reason_zh
    assert "城镇大龄" in c.reason_zh
    assert decide(candidate, BATCH, params, on=ON).status is Status.UNKNOWN


def test_unknown_zero_employment_is_unknown(params):
    candidate = replace(YOUNG_WOMAN, zero_employment_household=None)
    c = target(candidate, params)
    assert c.status is Status.UNKNOWN
    assert "零就业家庭情况未知" in c.reason_zh


def test_zero_employment_household_holds(params):
    candidate = replace(YOUNG_WOMAN, zero_employment_household=True)
    c = target(candidate, params)
    assert c.status is Status.PASSED
    assert "零就业家庭" in c.reason_zh
    assert categories_of(candidate, params) == frozenset({Category.ZERO_EMPLOYMENT})


@pytest.mark.parametrize(
    ("since", "holds"),
    [(date(2025, 3, 2), True), (date(2025, 3, 3), False), (date(2020, 1, 1), True), (None, False)],
)
def test_long_unemployed(params, since, holds):
    candidate = replace(YOUNG_WOMAN, unemployed_registered_since=since)
    assert (Category.LONG_UNEMPLOYED in categories_of(candidate, params)) is holds
    if holds:
        c = target(candidate, params)
        assert "长期失业" in c.reason_zh
        assert c.cites == (params.long_unemployed_years.cite,)


def test_long_unemployed_is_urban_only(params):
    candidate = replace(YOUNG_WOMAN, unemployed_registered_since=date(2020, 1, 1), is_urban=False)
    assert Category.LONG_UNEMPLOYED not in categories_of(candidate, params)


@pytest.mark.parametrize("is_urban", [True, False])
def test_disabled_holds_urban_or_rural(params, is_urban):
    candidate = replace(YOUNG_WOMAN, is_urban=is_urban, evidence={Category.DISABLED: VALID}, disability_grade=3)
    assert categories_of(candidate, params) == frozenset({Category.DISABLED})
    assert "残疾人" in target(candidate, params).reason_zh


@pytest.mark.parametrize("grade", [1, 2])
def test_grade_1_or_2_is_also_severely_disabled(params, grade):
    candidate = replace(YOUNG_WOMAN, evidence={Category.DISABLED: VALID}, disability_grade=grade)
    assert categories_of(candidate, params) == frozenset({Category.DISABLED, Category.SEVERELY_DISABLED})
    assert "重度残疾人" in target(candidate, params).reason_zh


def test_severely_disabled_needs_valid_disability_evidence(params):
    candidate = replace(YOUNG_WOMAN, evidence={Category.SEVERELY_DISABLED: VALID}, disability_grade=1)
    assert categories_of(candidate, params) == frozenset()


@pytest.mark.parametrize(
    ("category", "is_urban", "holds"),
    [
        (Category.URBAN_DIBAO, True, True),
        (Category.URBAN_DIBAO, False, False),
        (Category.RURAL_DIBAO, False, True),
        (Category.RURAL_DIBAO, True, False),
        (Category.POVERTY_REGISTERED, True, True),
        (Category.POVERTY_REGISTERED, False, True),
        (Category.UNSTABLE_EX_POOR, False, True),
    ],
)
def test_evidence_based_categories(params, category, is_urban, holds):
    candidate = replace(YOUNG_WOMAN, is_urban=is_urban, evidence={category: VALID})
    assert (category in categories_of(candidate, params)) is holds
    c = target(candidate, params)
    assert c.status is (Status.PASSED if holds else Status.FAILED)
    if holds:
        assert eligibility.CATEGORY_NAMES_ZH[category] in c.reason_zh


def test_dibao_with_unknown_urban_status_is_unknown(params):
    candidate = replace(YOUNG_WOMAN, is_urban=None, evidence={Category.URBAN_DIBAO: VALID})
    assert target(candidate, params).status is Status.UNKNOWN


@pytest.mark.parametrize(
    ("sex", "track", "birth", "is_urban", "state", "holds"),
    [
        ("F", F50, date(1996, 3, 2), False, VALID, True),  # 30
        ("F", F50, date(1996, 3, 3), False, VALID, False),  # 29
        ("M", MALE, date(1986, 3, 2), False, VALID, True),  # 40
        ("M", MALE, date(1990, 1, 1), False, VALID, False),  # 36
        ("F", F50, date(1990, 1, 1), True, VALID, False),  # urban
        ("F", F50, date(1990, 1, 1), False, None, False),  # no evidence
    ],
)
def test_family_planning(params, sex, track, birth, is_urban, state, holds):
    evidence = {} if state is None else {Category.FAMILY_PLANNING: state}
    candidate = replace(
        YOUNG_WOMAN, sex=sex, retirement_track=track, birth_date=birth, is_urban=is_urban, evidence=evidence
    )
    assert (Category.FAMILY_PLANNING in categories_of(candidate, params)) is holds
    if holds:
        c = target(candidate, params)
        assert "农村计生家庭" in c.reason_zh
        assert c.cites == (params.rural_family_planning_age.cite,)


@pytest.mark.parametrize(
    ("evidence", "named"),
    [
        ({Category.DISABLED: EXPIRED}, "残疾人"),
        ({Category.URBAN_DIBAO: EXPIRED}, "城市低保"),
        ({Category.POVERTY_REGISTERED: EXPIRED}, "建档立卡"),
        ({Category.UNSTABLE_EX_POOR: EXPIRED}, "脱贫不稳定"),
    ],
)
def test_expired_evidence_makes_target_group_unknown(params, evidence, named):
    candidate = replace(YOUNG_WOMAN, evidence=evidence)
    c = target(candidate, params)
    assert c.status is Status.UNKNOWN
    assert "证据已过期，待更新" in c.reason_zh
    assert named in c.reason_zh
    assert "expired" in c.reason_en
    decision = decide(candidate, BATCH, params, on=ON)
    assert decision.status is Status.UNKNOWN
    assert decision.categories == frozenset()


def test_expired_evidence_that_could_not_apply_is_not_pending(params):
    # urban dibao evidence for a rural resident would not count even if valid
    candidate = replace(YOUNG_WOMAN, is_urban=False, evidence={Category.URBAN_DIBAO: EXPIRED})
    assert target(candidate, params).status is Status.FAILED


def test_a_held_category_passes_despite_other_expired_evidence(params):
    candidate = replace(BASE, evidence={Category.RURAL_DIBAO: EXPIRED, Category.DISABLED: EXPIRED})
    assert target(candidate, params).status is Status.PASSED


# --- 4. hukou_type ---------------------------------------------------------------------------


def test_hukou_type_allowed(params):
    candidate = replace(BASE, hukou_types=frozenset({HukouType.PROVINCE, HukouType.POVERTY_LABOUR}))
    c = crit(decide(candidate, BATCH, params, on=ON), "hukou_type")
    assert c.status is Status.PASSED
    assert "本省户籍" in c.reason_zh


def test_hukou_type_not_allowed_fails_naming_the_allowed_types(params):
    candidate = replace(BASE, hukou_types=frozenset({HukouType.OTHER}))
    decision = decide(candidate, BATCH, params, on=ON)
    c = crit(decision, "hukou_type")
    assert c.status is Status.FAILED
    assert "本市户籍" in c.reason_zh
    assert "本省户籍" in c.reason_zh
    assert "其他户籍" in c.reason_zh
    assert "this city" in c.reason_en
    assert decision.status is Status.FAILED


def test_poverty_labour_batch(params):
    batch = Batch(allowed_hukou_types=frozenset({HukouType.POVERTY_LABOUR}))
    c = crit(decide(BASE, batch, params, on=ON), "hukou_type")
    assert c.status is Status.FAILED
    assert "建档立卡农村贫困家庭劳动力" in c.reason_zh


def test_unknown_hukou_type(params):
    candidate = replace(BASE, hukou_types=frozenset())
    assert crit(decide(candidate, BATCH, params, on=ON), "hukou_type").status is Status.UNKNOWN


# --- 5. placements ---------------------------------------------------------------------------

FIRST = ended(date(2022, 1, 1), date(2024, 12, 31))


def test_first_placement_passes(params):
    decision = decide(BASE, BATCH, params, on=ON)
    c = crit(decision, "placements")
    assert c.status is Status.PASSED
    assert c.cites == (params.max_placements.cite,)
    assert decision.placement_number == 1


def test_second_placement_for_a_zero_employment_member_after_the_first_ended(params):
    candidate = replace(YOUNG_WOMAN, zero_employment_household=True, placements=(FIRST,))
    decision = decide(candidate, BATCH, params, on=ON)
    c = crit(decision, "placements")
    assert c.status is Status.PASSED
    assert "零就业家庭" in c.reason_zh
    assert "第2次安置" in c.reason_zh
    assert decision.placement_number == 2
    assert decision.eligible


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": date(1975, 1, 1)},  # urban older (woman aged 51)
        {"unemployed_registered_since": date(2024, 1, 1)},  # long unemployed
        {"evidence": {Category.DISABLED: VALID}, "disability_grade": 1},  # severely disabled
    ],
)
def test_second_placement_for_other_qualifying_groups(params, changes):
    candidate = replace(YOUNG_WOMAN, placements=(FIRST,), **changes)
    assert crit(decide(candidate, BATCH, params, on=ON), "placements").status is Status.PASSED


def test_second_placement_refused_for_a_plain_disabled_person(params):
    candidate = replace(YOUNG_WOMAN, evidence={Category.DISABLED: VALID}, disability_grade=3, placements=(FIRST,))
    decision = decide(candidate, BATCH, params, on=ON)
    c = crit(decision, "placements")
    assert c.status is Status.FAILED
    assert "再次安置仅限大龄失业人员、零就业家庭成员、重度残疾人" in c.reason_zh
    assert crit(decision, "target_group").status is Status.PASSED
    assert decision.status is Status.FAILED


def test_second_placement_unknown_when_the_household_is_unknown(params):
    candidate = replace(
        YOUNG_WOMAN,
        evidence={Category.DISABLED: VALID},
        disability_grade=3,
        zero_employment_household=None,
        placements=(FIRST,),
    )
    c = crit(decide(candidate, BATCH, params, on=ON), "placements")
    assert c.status is Status.UNKNOWN
    assert "零就业家庭" in c.reason_zh


@pytest.mark.parametrize("end", [None, date(2026, 12, 31), ON])
def test_refused_while_the_first_is_active(params, end):
    active = PastPlacement(start=date(2024, 1, 1), end=end, first_approval=date(2024, 1, 1))
    candidate = replace(BASE, zero_employment_household=True, placements=(active,))
    c = crit(decide(candidate, BATCH, params, on=ON), "placements")
    assert c.status is Status.FAILED
    assert "已在公益性岗位安置中" in c.reason_zh
    assert "Already placed" in c.reason_en


def test_the_day_after_the_first_ended_is_not_active(params):
    first = ended(date(2023, 3, 2), ON - timedelta(days=1))
    candidate = replace(BASE, placements=(first,))
    assert crit(decide(candidate, BATCH, params, on=ON), "placements").status is Status.PASSED


def test_third_placement_refused(params):
    second = ended(date(2025, 1, 1), date(2025, 12, 31), first_approval=date(2022, 1, 1))
    candidate = replace(BASE, zero_employment_household=True, placements=(FIRST, second))
    decision = decide(candidate, BATCH, params, on=ON)
    c = crit(decision, "placements")
    assert c.status is Status.FAILED
    assert "达到累计安置上限2次" in c.reason_zh
    assert decision.placement_number == 3
    assert not decision.eligible


# --- 6. subsidy_period / planned_end --------------------------------------------------------

# Born 1970-05-20 on the male track: 61y5m → retires 2031-10-20.
RETIRES = date(2031, 10, 20)


def test_retirement_date_of_the_base_candidate():
    assert statutory_retirement(BASE.birth_date, MALE, SCHEME).retirement_date == RETIRES


def test_three_years_from_retirement_runs_until_retirement(params):
    start = date(2028, 10, 20)
    end, zh, en = planned_end(start=start, birth_date=BASE.birth_date, track=MALE, first_approval=start, params=params)
    assert end == RETIRES
    assert "距法定退休不足5年，补贴至退休" in zh
    assert "until retirement" in en


def test_twenty_years_from_retirement_gets_36_months(params):
    born = date(1990, 1, 10)  # retires at 63 on 2053-01-10
    end, zh, en = planned_end(start=ON, birth_date=born, track=MALE, first_approval=ON, params=params)
    assert end == add_months(ON, 36) - timedelta(days=1) == date(2029, 3, 1)
    assert "最长36个月" in zh
    assert "2029年3月1日" in zh
    assert "36 months" in en


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 3, 1), date(2028, 2, 29)),  # leap day is the last day covered
        (date(2026, 1, 31), date(2029, 1, 30)),
        (date(2026, 1, 1), date(2028, 12, 31)),
    ],
)
def test_36_month_end_is_inclusive(params, start, end):
    born = date(1990, 1, 10)
    assert planned_end(start=start, birth_date=born, track=MALE, first_approval=start, params=params)[0] == end


def test_exactly_five_years_is_not_near_retirement(params):
    five_years = date(2026, 10, 20)
    end, _, _ = planned_end(
        start=five_years, birth_date=BASE.birth_date, track=MALE, first_approval=five_years, params=params
    )
    assert end == date(2029, 10, 19)
    one_day_later = date(2026, 10, 21)
    end, _, _ = planned_end(
        start=one_day_later,
        birth_date=BASE.birth_date,
        track=MALE,
        first_approval=one_day_later,
        params=params,
    )
    assert end == RETIRES


def test_36_months_capped_at_retirement(params):
    # first approved long ago (not near), re-placed 2 years before retirement
    end, zh, _ = planned_end(
        start=date(2029, 10, 20),
        birth_date=BASE.birth_date,
        track=MALE,
        first_approval=date(2020, 1, 1),
        params=params,
    )
    assert end == RETIRES
    assert "补贴至退休" in zh


def test_second_placement_keeps_the_first_approval_for_the_five_year_test(params):
    # first approved 2027-01-01 (4y9m before retirement), left early; re-placed 2027-09-01
    first = ended(date(2027, 1, 1), date(2027, 6, 30))
    candidate = replace(BASE, placements=(first,))
    decision = decide(candidate, BATCH, params, on=date(2027, 9, 1))
    assert decision.eligible
    assert decision.placement_number == 2
    assert decision.planned_end == RETIRES  # not 2030-08-31
    assert "初次核定日期2027年1月1日" in crit(decision, "subsidy_period").reason_zh


def test_second_placement_far_first_approval_gets_a_fresh_36_months(params):
    # first approved 2020-01-01 (11 years out); re-placed 2027-09-01, only 4y1m before retirement
    first = ended(date(2020, 1, 1), date(2022, 12, 31))
    candidate = replace(BASE, placements=(first,))
    decision = decide(candidate, BATCH, params, on=date(2027, 9, 1))
    assert decision.planned_end == date(2030, 8, 31)
    c = crit(decision, "subsidy_period")
    assert c.status is Status.PASSED
    assert c.cites == (
        params.max_period_months.cite,
        params.near_retirement_years.cite,
        params.retirement_scheme.cite,
    )


def test_earliest_first_approval_wins(params):
    older = ended(date(2027, 1, 1), date(2027, 3, 31))
    newer = ended(date(2027, 4, 1), date(2027, 6, 30), first_approval=date(2027, 4, 1))
    far = ended(date(2020, 1, 1), date(2020, 6, 30))
    params3 = replace(params, max_placements=Cited(3, "placement.max_count = 3 (test)"))
    near = decide(replace(BASE, placements=(newer, older)), BATCH, params3, on=date(2027, 9, 1))
    assert near.planned_end == RETIRES
    not_near = decide(replace(BASE, placements=(newer, far)), BATCH, params3, on=date(2027, 9, 1))
    assert not_near.planned_end == date(2030, 8, 31)


def test_subsidy_period_passes_with_its_end(params):
    decision = decide(BASE, BATCH, params, on=ON)
    c = crit(decision, "subsidy_period")
    assert c.status is Status.PASSED
    assert decision.planned_end == date(2029, 3, 1)
    assert "2029年3月1日" in c.reason_zh


def test_subsidy_period_fails_on_the_retirement_date(params):
    decision = decide(BASE, BATCH, params, on=RETIRES)
    c = crit(decision, "subsidy_period")
    assert c.status is Status.FAILED
    assert "无补贴期可安排" in c.reason_zh
    assert decision.planned_end is None


def test_subsidy_period_of_one_day_before_retirement(params):
    decision = decide(BASE, BATCH, params, on=RETIRES - timedelta(days=1))
    assert decision.planned_end == RETIRES
    assert crit(decision, "subsidy_period").status is Status.PASSED


# --- 7. no_double_post -----------------------------------------------------------------------


def test_no_double_post(params):
    assert crit(decide(BASE, BATCH, params, on=ON), "no_double_post").status is Status.PASSED
    decision = decide(replace(BASE, has_other_current_post=True), BATCH, params, on=ON)
    c = crit(decision, "no_double_post")
    assert c.status is Status.FAILED
    assert "双岗" in c.reason_zh
    assert decision.status is Status.FAILED


# --- overall status --------------------------------------------------------------------------


def test_failed_beats_unknown(params):
    candidate = replace(BASE, willing_to_work=None, has_other_current_post=True)
    assert decide(candidate, BATCH, params, on=ON).status is Status.FAILED


def test_every_criterion_is_reported_even_after_a_failure(params):
    candidate = replace(BASE, birth_date=date(2012, 1, 1), hukou_types=frozenset({HukouType.OTHER}))
    decision = decide(candidate, BATCH, params, on=ON)
    assert [c.status for c in decision.criteria].count(Status.FAILED) >= 2
    assert len(decision.criteria) == len(CRITERIA)


# --- priority --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "group", "named"),
    [
        (
            {"evidence": {Category.UNSTABLE_EX_POOR: VALID}, "zero_employment_household": True},
            1,
            "脱贫不稳定",
        ),
        ({"zero_employment_household": True, "birth_date": date(1975, 1, 1)}, 2, "零就业家庭"),
        ({"birth_date": date(1975, 1, 1), "evidence": {Category.DISABLED: VALID}}, 3, "城镇大龄"),
        ({"unemployed_registered_since": date(2020, 1, 1)}, 3, "长期失业"),
        ({"evidence": {Category.DISABLED: VALID, Category.URBAN_DIBAO: VALID}}, 4, "残疾人"),
        ({"evidence": {Category.URBAN_DIBAO: VALID}}, 5, "城市低保"),
        ({}, 5, "未认定安置对象类别"),
    ],
)
def test_priority_groups(params, changes, group, named):
    decision = decide(replace(YOUNG_WOMAN, **changes), BATCH, params, on=ON)
    assert decision.priority.group == group
    assert named in decision.priority.explanation_zh
    assert "申请时间" in decision.priority.explanation_zh
    assert "application time" in decision.priority.explanation_en


def test_priority_sort_key_orders_by_group_then_application_time(params):
    def applicant(changes: dict[str, Any]) -> Decision:
        return decide(replace(YOUNG_WOMAN, **changes), BATCH, params, on=ON)

    t0 = datetime(2026, 2, 1, 9, 0)  # noqa: DTZ001 - naive is fine for ordering
    queue = [
        ("plain dibao, first to apply", applicant({"evidence": {Category.URBAN_DIBAO: VALID}}), t0),
        ("disabled", applicant({"evidence": {Category.DISABLED: VALID}}), t0 + timedelta(hours=1)),
        ("older, later", applicant({"birth_date": date(1975, 1, 1)}), t0 + timedelta(days=3)),
        ("older, earlier", applicant({"birth_date": date(1980, 1, 1)}), t0 + timedelta(days=2)),
        ("zero employment", applicant({"zero_employment_household": True}), t0 + timedelta(days=5)),
        ("unstable", applicant({"evidence": {Category.UNSTABLE_EX_POOR: VALID}}), t0 + timedelta(days=9)),
    ]
    ordered = sorted(queue, key=lambda item: priority_sort_key(item[1], item[2]))
    assert [name for name, _, _ in ordered] == [
        "unstable",
        "zero employment",
        "older, earlier",
        "older, later",
        "disabled",
        "plain dibao, first to apply",
    ]
    assert priority_sort_key(queue[3][1], queue[3][2]) == (3, t0 + timedelta(days=2))


# --- properties ------------------------------------------------------------------------------

EVIDENCE_CATEGORIES = [
    Category.DISABLED,
    Category.URBAN_DIBAO,
    Category.RURAL_DIBAO,
    Category.POVERTY_REGISTERED,
    Category.FAMILY_PLANNING,
    Category.UNSTABLE_EX_POOR,
]
RANK = {Status.FAILED: 0, Status.UNKNOWN: 1, Status.PASSED: 2}


@st.composite
def placement_histories(draw, on: date):
    count = draw(st.integers(0, 3))
    history = []
    for _ in range(count):
        start = draw(st.dates(on - timedelta(days=3650), on + timedelta(days=30)))
        end = draw(st.one_of(st.none(), st.dates(start, start + timedelta(days=1500))))
        approval = draw(st.dates(start - timedelta(days=2000), start))
        history.append(PastPlacement(start=start, end=end, first_approval=approval))
    return tuple(history)


@st.composite
def cases(draw):
    """(candidate, batch, on) over a broad space, leaning towards eligible candidates."""
    on = draw(st.dates(date(2024, 1, 1), date(2034, 12, 31)))
    sex = draw(st.sampled_from(["M", "F"]))
    track = MALE if sex == "M" else draw(st.sampled_from([F50, F55]))
    candidate = Candidate(
        birth_date=draw(st.dates(date(1960, 1, 1), date(2012, 12, 31))),
        sex=sex,
        retirement_track=track,
        is_urban=draw(st.sampled_from([True, True, False, False, None])),
        willing_to_work=draw(st.sampled_from([True, True, True, False, None])),
        able_to_work=draw(st.sampled_from([True, True, True, False, None])),
        hukou_types=draw(st.frozensets(st.sampled_from(list(HukouType)), max_size=2)),
        evidence=draw(
            st.dictionaries(st.sampled_from(EVIDENCE_CATEGORIES), st.sampled_from(list(EvidenceState)), max_size=3)
        ),
        unemployed_registered_since=draw(st.one_of(st.none(), st.dates(date(2015, 1, 1), on))),
        zero_employment_household=draw(st.sampled_from([True, False, False, None])),
        disability_grade=draw(st.one_of(st.none(), st.integers(1, 4))),
        placements=draw(st.one_of(st.just(()), st.just(()), placement_histories(on))),
        has_other_current_post=draw(st.sampled_from([False, False, False, True])),
    )
    batch = Batch(
        allowed_hukou_types=draw(
            st.one_of(
                st.just(frozenset({HukouType.CITY, HukouType.PROVINCE, HukouType.POVERTY_LABOUR})),
                st.frozensets(st.sampled_from(list(HukouType)), min_size=1),
            )
        )
    )
    if draw(st.booleans()):
        # half the cases meet the common conditions, so that eligible decisions are frequent
        candidate = replace(
            candidate,
            birth_date=draw(st.dates(date(1966, 1, 1), date(2000, 12, 31))),
            willing_to_work=True,
            able_to_work=True,
            hukou_types=frozenset({HukouType.CITY}),
            has_other_current_post=False,
        )
        batch = BATCH
    return candidate, batch, on


ELIGIBLE_EXAMPLE = (replace(YOUNG_WOMAN, evidence={Category.DISABLED: VALID}), BATCH, ON)


@given(case=cases(), category=st.sampled_from(EVIDENCE_CATEGORIES))
@example(case=ELIGIBLE_EXAMPLE, category=Category.RURAL_DIBAO)
@example(case=(replace(YOUNG_WOMAN, placements=(FIRST,), zero_employment_household=True), BATCH, ON),
         category=Category.DISABLED)  # fmt: skip
def test_adding_valid_evidence_never_makes_a_decision_worse(case, category):
    candidate, batch, on = case
    before = decide(candidate, batch, PARAMS, on=on)
    more = replace(candidate, evidence={**candidate.evidence, category: VALID})
    after = decide(more, batch, PARAMS, on=on)
    if before.status is Status.PASSED:
        assert after.status is Status.PASSED
    assert RANK[after.status] >= RANK[before.status]
    for old, new in zip(before.criteria, after.criteria, strict=True):
        assert RANK[new.status] >= RANK[old.status], (old, new)
    assert before.categories <= after.categories
    assert after.priority.group <= before.priority.group


@given(
    start=st.dates(date(2020, 1, 1), date(2045, 12, 31)),
    born=st.dates(date(1955, 1, 1), date(2005, 12, 31)),
    track=st.sampled_from(list(RetirementTrack)),
    days_before=st.integers(0, 4000),
)
def test_planned_end_is_never_after_retirement(start, born, track, days_before):
    first_approval = start - timedelta(days=days_before)
    end, zh, en = planned_end(start=start, birth_date=born, track=track, first_approval=first_approval, params=PARAMS)
    retirement = statutory_retirement(born, track, SCHEME).retirement_date
    assert end <= retirement
    assert end <= add_months(start, 36) - timedelta(days=1) or end == retirement
    assert zh
    assert en


@given(case=cases())
def test_decide_is_deterministic(case):
    candidate, batch, on = case
    assert decide(candidate, batch, PARAMS, on=on) == decide(candidate, batch, PARAMS, on=on)


@given(case=cases())
def test_status_summarises_the_criteria(case):
    candidate, batch, on = case
    decision = decide(candidate, batch, PARAMS, on=on)
    statuses = [c.status for c in decision.criteria]
    assert (decision.status is Status.FAILED) == (Status.FAILED in statuses)
    assert (decision.status is Status.PASSED) == all(s is Status.PASSED for s in statuses)
    assert decision.eligible == (decision.status is Status.PASSED)
    assert (decision.planned_end is None) == (decision.criterion("subsidy_period").status is not Status.PASSED)
    if decision.planned_end is not None:
        assert decision.planned_end > on
    assert decision.placement_number == len(candidate.placements) + 1
    for criterion in decision.criteria:
        assert criterion.reason_zh
        assert criterion.reason_en
