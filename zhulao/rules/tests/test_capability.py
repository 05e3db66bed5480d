"""GB/T 42195-2022 capability assessment: structure, level bands, adjustments, errors, properties.

The adjustment parameters are the POLICY.md §6.4 values, passed in as the caller would; the
module itself holds only the standard's fixed structure.
"""

import ast
import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhulao.rules import capability
from zhulao.rules.capability import (
    DIMENSIONS,
    ITEMS,
    LEVEL_BANDS,
    MAX_TOTAL,
    STANDARD,
    AdjustmentKind,
    CapabilityRules,
    Dimension,
    ItemScoreError,
    Level,
    MissingItemsError,
    ScoreSheetError,
    UnknownItemsError,
    assess,
    count_risk_events,
    level_for_total,
    level_name_en,
    level_name_zh,
)

CITE = "capability.adjustment (UNCONFIRMED stacking; POLICY §6.4)"
RULES = CapabilityRules(risk_event_threshold=2, risk_window_days=30, stack_raises=True, cites=(CITE,))
NO_STACK = CapabilityRules(risk_event_threshold=2, risk_window_days=30, stack_raises=False, cites=(CITE,))
FULL = {item.code: item.max for item in ITEMS}


def scores_with_total(total: int) -> dict[str, int]:
    """A valid score sheet adding up to ``total``: items filled in order up to their maxima."""
    scores = {}
    left = total
    for item in ITEMS:
        scores[item.code] = min(item.max, left)
        left -= scores[item.code]
    assert left == 0
    return scores


def run(scores=None, *, coma=False, dx=False, events=0, rules=RULES):
    return assess(
        FULL if scores is None else scores,
        coma=coma,
        dementia_or_mental_disorder=dx,
        risk_events_in_window=events,
        rules=rules,
    )


# --- the standard's structure ---------------------------------------------------------------


def test_26_items_in_4_dimensions_with_the_standards_maxima():
    assert len(ITEMS) == 26
    assert len({item.code for item in ITEMS}) == 26
    assert [(d.name_zh, d.max, len(d.items)) for d in DIMENSIONS] == [
        ("自理能力", 32, 8),
        ("基础运动能力", 15, 4),
        ("精神状态", 28, 9),
        ("感知觉与社会参与", 15, 5),
    ]
    assert MAX_TOTAL == 90
    odd = {item.name_zh: item.max for item in ITEMS if item.max != 4}
    assert odd == {
        "上下楼梯": 3,
        "攻击行为": 1,
        "抑郁症状": 1,
        "意识水平": 2,
        "视力": 2,
        "听力": 2,
        "使用交通工具外出": 3,
    }
    names = [item.name_zh for item in ITEMS]
    assert names[:8] == ["进食", "修饰", "洗澡", "穿/脱上衣", "穿/脱裤子和鞋袜", "小便控制", "大便控制", "如厕"]


def test_level_bands_cover_0_to_90_without_gaps_or_overlaps():
    covered = sorted(total for _, low, high in LEVEL_BANDS for total in range(low, high + 1))
    assert covered == list(range(MAX_TOTAL + 1))
    assert [level for level, _, _ in LEVEL_BANDS] == list(Level)


def test_module_is_pure_and_functions_hold_no_figures():
    tree = ast.parse(inspect.getsource(capability))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    names = [a.name for n in imports if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in imports if isinstance(n, ast.ImportFrom)]
    assert not [name for name in names if name.startswith("django")]
    in_functions = {
        node.value
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef)
        for node in ast.walk(fn)
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)
    }
    assert in_functions <= {0, 1}


def test_level_names():
    assert level_name_zh(0) == "能力完好"
    assert level_name_zh(Level.MILD) == "能力轻度受损"
    assert level_name_zh(4) == "能力完全丧失"
    assert level_name_en(2) == "capability moderately impaired"
    with pytest.raises(ValueError, match="5"):
        level_name_zh(5)


# --- preliminary level ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "level"),
    [(90, 0), (89, 1), (66, 1), (65, 2), (46, 2), (45, 3), (30, 3), (29, 4), (0, 4)],
)
def test_boundary_totals_give_the_standards_levels(total, level):
    result = run(scores_with_total(total))
    assert result.total == total
    assert result.preliminary_level == level == result.final_level
    assert level_for_total(total) == level
    assert result.adjustments == ()
    assert "无等级调整情形" in result.reason_zh


@pytest.mark.parametrize("total", [-1, 91])
def test_level_for_total_rejects_impossible_totals(total):
    with pytest.raises(ValueError, match="outside"):
        level_for_total(total)


def test_dimension_totals_and_names_of_a_full_sheet():
    result = run()
    assert dict(result.dimension_totals) == {
        Dimension.SELF_CARE: 32,
        Dimension.BASIC_MOBILITY: 15,
        Dimension.MENTAL_STATE: 28,
        Dimension.PERCEPTION_SOCIAL: 15,
    }
    assert result.level_name_zh == result.preliminary_level_name_zh == "能力完好"
    assert result.level_name_en == "capability intact"
    assert result.cites == (STANDARD, CITE)
    assert "总分90/90分" in result.reason_zh
    assert "自理能力32/32分" in result.reason_zh


# --- adjustments ----------------------------------------------------------------------------


def test_coma_sets_level_4_directly():
    result = run(coma=True)
    assert result.preliminary_level == Level.INTACT
    assert result.final_level == Level.LOST
    (adj,) = result.adjustments
    assert adj.kind is AdjustmentKind.COMA
    assert (adj.level_before, adj.level_after) == (Level.INTACT, Level.LOST)
    assert "昏迷" in adj.reason_zh
    assert "coma" in adj.reason_en


def test_coma_overrides_the_raises_which_are_recorded_as_not_applied():
    result = run(scores_with_total(70), coma=True, dx=True, events=5)
    assert result.final_level == Level.LOST
    kinds = [a.kind for a in result.adjustments]
    assert kinds == [AdjustmentKind.COMA, AdjustmentKind.DIAGNOSIS, AdjustmentKind.RISK_EVENTS]
    assert all(a.level_before == a.level_after == Level.LOST for a in result.adjustments[1:])
    assert "不再提高" in result.adjustments[1].reason_zh


def test_diagnosis_raises_one_level():
    result = run(scores_with_total(70), dx=True)
    assert (result.preliminary_level, result.final_level) == (Level.MILD, Level.MODERATE)
    (adj,) = result.adjustments
    assert adj.kind is AdjustmentKind.DIAGNOSIS
    assert "F00–F03" in adj.reason_zh
    assert "提高一级" in adj.reason_zh
    assert "能力中度受损" in result.reason_zh


@pytest.mark.parametrize(
    ("events", "final"), [(0, Level.MILD), (1, Level.MILD), (2, Level.MODERATE), (7, Level.MODERATE)]
)
def test_risk_events_raise_one_level_from_the_threshold(events, final):
    result = run(scores_with_total(70), events=events)
    assert result.final_level == final
    assert bool(result.adjustments) == (events >= 2)
    if result.adjustments:
        assert "近30天内发生" in result.adjustments[0].reason_zh


def test_threshold_comes_from_the_rules():
    rules = CapabilityRules(risk_event_threshold=3, risk_window_days=30, stack_raises=True)
    assert run(scores_with_total(70), events=2, rules=rules).final_level == Level.MILD
    assert run(scores_with_total(70), events=3, rules=rules).final_level == Level.MODERATE


def test_both_raises_stack_when_the_policy_says_so():
    result = run(scores_with_total(70), dx=True, events=2, rules=RULES)
    assert (result.preliminary_level, result.final_level) == (Level.MILD, Level.SEVERE)
    assert [(a.level_before, a.level_after) for a in result.adjustments] == [
        (Level.MILD, Level.MODERATE),
        (Level.MODERATE, Level.SEVERE),
    ]


def test_raises_do_not_stack_when_the_policy_says_not():
    result = run(scores_with_total(70), dx=True, events=2, rules=NO_STACK)
    assert result.final_level == Level.MODERATE
    second = result.adjustments[1]
    assert second.kind is AdjustmentKind.RISK_EVENTS
    assert second.level_before == second.level_after == Level.MODERATE
    assert "不叠加" in second.reason_zh


def test_raises_are_capped_at_level_4():
    result = run(scores_with_total(35), dx=True, events=3)
    assert result.preliminary_level == Level.SEVERE
    assert result.final_level == Level.LOST
    assert result.adjustments[1].level_before == result.adjustments[1].level_after == Level.LOST
    assert run(scores_with_total(10), dx=True).final_level == Level.LOST


def test_risk_events_are_counted_in_the_window_ending_on_the_assessment_day():
    from datetime import date

    on = date(2025, 1, 31)
    events = [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 31), date(2025, 2, 1)]
    assert count_risk_events(events, on=on, rules=RULES) == 2


# --- errors ---------------------------------------------------------------------------------


def test_out_of_range_item_names_the_item_and_its_range():
    with pytest.raises(ItemScoreError, match="进食 的得分应在 0–4 之间，实际为 5") as info:
        run({**FULL, "eating": 5})
    assert info.value.item.code == "eating"
    assert isinstance(info.value, ValueError)
    with pytest.raises(ItemScoreError, match="攻击行为 的得分应在 0–1 之间，实际为 -1"):
        run({**FULL, "aggression": -1})


@pytest.mark.parametrize("bad", [True, 2.0, "3", None])
def test_non_integer_scores_are_rejected(bad):
    with pytest.raises(ItemScoreError, match="上下楼梯"):
        run({**FULL, "stairs": bad})


def test_missing_items_are_listed():
    sheet = {k: v for k, v in FULL.items() if k not in {"memory", "vision"}}
    with pytest.raises(MissingItemsError, match="记忆、视力") as info:
        run(sheet)
    assert [item.code for item in info.value.items] == ["memory", "vision"]


def test_unknown_items_are_rejected():
    with pytest.raises(UnknownItemsError, match="flying") as info:
        run({**FULL, "flying": 1})
    assert info.value.codes == ("flying",)
    assert isinstance(info.value, ScoreSheetError)


def test_negative_event_count_is_rejected():
    with pytest.raises(ValueError, match="risk_events_in_window"):
        run(events=-1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"risk_event_threshold": 0, "risk_window_days": 30, "stack_raises": True},
        {"risk_event_threshold": 2, "risk_window_days": 0, "stack_raises": True},
        {"risk_event_threshold": True, "risk_window_days": 30, "stack_raises": True},
        {"risk_event_threshold": 2, "risk_window_days": 30, "stack_raises": 1},
    ],
)
def test_rules_reject_bad_values(kwargs):
    with pytest.raises(ValueError, match="risk_event_threshold|risk_window_days|stack_raises"):
        CapabilityRules(**kwargs)


# --- properties -----------------------------------------------------------------------------

sheets = st.fixed_dictionaries({item.code: st.integers(0, item.max) for item in ITEMS})
rules_st = st.builds(
    CapabilityRules,
    risk_event_threshold=st.integers(1, 5),
    risk_window_days=st.integers(1, 90),
    stack_raises=st.booleans(),
)


@given(sheet=sheets, coma=st.booleans(), dx=st.booleans(), events=st.integers(0, 10), rules=rules_st)
def test_totals_add_up_and_final_level_is_between_preliminary_and_4(sheet, coma, dx, events, rules):
    result = run(sheet, coma=coma, dx=dx, events=events, rules=rules)
    assert result.total == sum(sheet.values()) == sum(result.dimension_totals.values())
    for spec in DIMENSIONS:
        assert result.dimension_totals[spec.dimension] == sum(sheet[c] for c in spec.items) <= spec.max
    assert result.preliminary_level <= result.final_level <= Level.LOST
    if coma:
        assert result.final_level == Level.LOST
    raises = int(dx) + int(events >= rules.risk_event_threshold)
    if not coma:
        expected = result.preliminary_level + (raises if rules.stack_raises else min(raises, 1))
        assert result.final_level == min(expected, Level.LOST)


@given(st.integers(0, MAX_TOTAL), st.integers(0, MAX_TOTAL))
def test_level_does_not_increase_as_the_total_increases(a, b):
    low, high = sorted((a, b))
    assert level_for_total(high) <= level_for_total(low)
    assert run(scores_with_total(high)).preliminary_level <= run(scores_with_total(low)).preliminary_level
