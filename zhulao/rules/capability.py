"""Older-person capability assessment (老年人能力评估) after GB/T 42195-2022 《老年人能力评估规范》.

Pure: item scores and a few facts in, an :class:`Assessment` out. No Django, no database, no
clock. See POLICY.md §6.4 and DOMAIN.md S13 (the archive records the assessment).

The standard's own fixed structure lives here as module constants, because it *is* the
standard rather than a dated programme parameter:

* :data:`ITEMS`: the 26 second-level items (二级指标) with their maximum scores, in the
  standard's order, grouped in the 4 first-level dimensions (一级指标) of :data:`DIMENSIONS`
  (自理能力 32, 基础运动能力 15, 精神状态 28, 感知觉与社会参与 15; total 90). A higher score
  means better ability.
* :data:`LEVEL_BANDS`: the preliminary level (初步等级) from the total score.

The adjustment to the final level (最终等级) follows the standard, in this order:

1. Coma (昏迷) sets the level to 4 (能力完全丧失) directly.
2. Diagnosed dementia (ICD-10 F00–F03) or another mental or behavioural disorder diagnosed by
   a psychiatrist (F04–F99) raises the level by one.
3. At least ``risk_event_threshold`` care-risk events (跌倒、噎食、自杀、自伤、走失等) within
   the last ``risk_window_days`` days raise the level by one.

Whether raises 2 and 3 stack is not confirmed (POLICY §6.4), so :class:`CapabilityRules`
carries ``stack_raises`` from the dated policy, with the threshold and window. The final level
is never above 4 and never below the preliminary level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from types import MappingProxyType

__all__ = [
    "DIMENSIONS",
    "ITEMS",
    "ITEMS_BY_CODE",
    "LEVEL_BANDS",
    "LEVEL_NAMES_EN",
    "LEVEL_NAMES_ZH",
    "MAX_TOTAL",
    "STANDARD",
    "Adjustment",
    "AdjustmentKind",
    "Assessment",
    "CapabilityRules",
    "Dimension",
    "DimensionSpec",
    "ItemScoreError",
    "ItemSpec",
    "Level",
    "MissingItemsError",
    "ScoreSheetError",
    "UnknownItemsError",
    "assess",
    "count_risk_events",
    "level_for_total",
    "level_name_en",
    "level_name_zh",
]

#: Citation of the standard itself, copied onto every assessment.
STANDARD = "GB/T 42195-2022《老年人能力评估规范》(POLICY.md §6.4, CONFIRMED)"


class Dimension(StrEnum):
    """The 4 first-level indicators (一级指标)."""

    SELF_CARE = "self_care"
    BASIC_MOBILITY = "basic_mobility"
    MENTAL_STATE = "mental_state"
    PERCEPTION_SOCIAL = "perception_social"


class Level(IntEnum):
    """Capability level (能力等级): 0 is best, 4 is worst."""

    INTACT = 0
    MILD = 1
    MODERATE = 2
    SEVERE = 3
    LOST = 4


@dataclass(frozen=True)
class ItemSpec:
    """One second-level item (二级指标): scored from 0 to ``max``."""

    code: str
    name_zh: str
    name_en: str
    dimension: Dimension
    max: int


@dataclass(frozen=True)
class DimensionSpec:
    """One first-level dimension and its maximum (the sum of its items' maxima)."""

    dimension: Dimension
    name_zh: str
    name_en: str
    max: int
    items: tuple[str, ...]


_SC = Dimension.SELF_CARE
_BM = Dimension.BASIC_MOBILITY
_MS = Dimension.MENTAL_STATE
_PS = Dimension.PERCEPTION_SOCIAL

#: The 26 second-level items of GB/T 42195-2022 with their maxima, in the standard's order.
#: CONFIRMED: POLICY.md §6.4 (item maxima from a public implementation quoting the standard;
#: they add up to 90, the standard's "能力完好 = 90").
ITEMS: tuple[ItemSpec, ...] = (
    # 自理能力 (32)
    ItemSpec("eating", "进食", "eating", _SC, 4),
    ItemSpec("grooming", "修饰", "grooming", _SC, 4),
    ItemSpec("bathing", "洗澡", "bathing", _SC, 4),
    ItemSpec("dressing_upper", "穿/脱上衣", "putting on / taking off upper clothes", _SC, 4),
    ItemSpec("dressing_lower", "穿/脱裤子和鞋袜", "putting on / taking off trousers, shoes and socks", _SC, 4),
    ItemSpec("urine_control", "小便控制", "bladder control", _SC, 4),
    ItemSpec("bowel_control", "大便控制", "bowel control", _SC, 4),
    ItemSpec("toileting", "如厕", "toilet use", _SC, 4),
    # 基础运动能力 (15)
    ItemSpec("bed_position", "床上体位转移", "changing position in bed", _BM, 4),
    ItemSpec("bed_chair_transfer", "床椅转移", "bed–chair transfer", _BM, 4),
    ItemSpec("walking", "平地行走", "walking on level ground", _BM, 4),
    ItemSpec("stairs", "上下楼梯", "going up and down stairs", _BM, 3),
    # 精神状态 (28)
    ItemSpec("time_orientation", "时间定向", "orientation in time", _MS, 4),
    ItemSpec("place_orientation", "空间定向", "orientation in space", _MS, 4),
    ItemSpec("person_orientation", "人物定向", "orientation to people", _MS, 4),
    ItemSpec("memory", "记忆", "memory", _MS, 4),
    ItemSpec("comprehension", "理解能力", "comprehension", _MS, 4),
    ItemSpec("expression", "表达能力", "expression", _MS, 4),
    ItemSpec("aggression", "攻击行为", "aggressive behaviour", _MS, 1),
    ItemSpec("depression", "抑郁症状", "depressive symptoms", _MS, 1),
    ItemSpec("consciousness", "意识水平", "level of consciousness", _MS, 2),
    # 感知觉与社会参与 (15)
    ItemSpec("vision", "视力", "vision", _PS, 2),
    ItemSpec("hearing", "听力", "hearing", _PS, 2),
    ItemSpec("daily_affairs", "执行日常事务", "carrying out daily affairs", _PS, 4),
    ItemSpec("transport", "使用交通工具外出", "going out by transport", _PS, 3),
    ItemSpec("social_interaction", "社会交往能力", "social interaction", _PS, 4),
)

#: Items by code.
ITEMS_BY_CODE: Mapping[str, ItemSpec] = MappingProxyType({item.code: item for item in ITEMS})

_DIMENSION_NAMES: tuple[tuple[Dimension, str, str], ...] = (
    (_SC, "自理能力", "self-care"),
    (_BM, "基础运动能力", "basic mobility"),
    (_MS, "精神状态", "mental state"),
    (_PS, "感知觉与社会参与", "perception and social participation"),
)

#: The 4 first-level dimensions with their maxima (32, 15, 28, 15), in the standard's order.
DIMENSIONS: tuple[DimensionSpec, ...] = tuple(
    DimensionSpec(
        dimension=dimension,
        name_zh=name_zh,
        name_en=name_en,
        max=sum(item.max for item in ITEMS if item.dimension is dimension),
        items=tuple(item.code for item in ITEMS if item.dimension is dimension),
    )
    for dimension, name_zh, name_en in _DIMENSION_NAMES
)

#: Highest possible total (90).
MAX_TOTAL: int = sum(item.max for item in ITEMS)

#: Preliminary level from the total score, as (level, lowest total, highest total), both ends
#: inclusive. CONFIRMED: POLICY.md §6.4 (GB/T 42195-2022; confirmed by several implementations):
#: 0 能力完好 90; 1 轻度受损 66–89; 2 中度受损 46–65; 3 重度受损 30–45; 4 完全丧失 0–29.
LEVEL_BANDS: tuple[tuple[Level, int, int], ...] = (
    (Level.INTACT, 90, 90),
    (Level.MILD, 66, 89),
    (Level.MODERATE, 46, 65),
    (Level.SEVERE, 30, 45),
    (Level.LOST, 0, 29),
)

LEVEL_NAMES_ZH: Mapping[Level, str] = MappingProxyType(
    {
        Level.INTACT: "能力完好",
        Level.MILD: "能力轻度受损",
        Level.MODERATE: "能力中度受损",
        Level.SEVERE: "能力重度受损",
        Level.LOST: "能力完全丧失",
    }
)
LEVEL_NAMES_EN: Mapping[Level, str] = MappingProxyType(
    {
        Level.INTACT: "capability intact",
        Level.MILD: "capability mildly impaired",
        Level.MODERATE: "capability moderately impaired",
        Level.SEVERE: "capability severely impaired",
        Level.LOST: "capability completely lost",
    }
)

_WORST = max(Level)


def level_name_zh(level: int) -> str:
    """The standard's Chinese name of ``level`` (0–4), e.g. ``"能力轻度受损"``."""
    return LEVEL_NAMES_ZH[Level(level)]


def level_name_en(level: int) -> str:
    """English name of ``level`` (0–4), e.g. ``"capability mildly impaired"``."""
    return LEVEL_NAMES_EN[Level(level)]


def _level_zh(level: Level) -> str:
    return f"{int(level)}级（{LEVEL_NAMES_ZH[level]}）"


def _level_en(level: Level) -> str:
    return f"level {int(level)} ({LEVEL_NAMES_EN[level]})"


def level_for_total(total: int) -> Level:
    """The preliminary level of a total score (0–90) by :data:`LEVEL_BANDS`.

    Raises ``ValueError`` when ``total`` is outside 0–90.
    """
    for level, low, high in LEVEL_BANDS:
        if low <= total <= high:
            return level
    raise ValueError(f"total {total!r} is outside 0–{MAX_TOTAL}")


# --- errors ---------------------------------------------------------------------------------


class ScoreSheetError(ValueError):
    """A score sheet that cannot be assessed. ``message_zh`` / ``message_en`` explain why."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh}（{message_en}）")
        self.message_zh = message_zh
        self.message_en = message_en


class ItemScoreError(ScoreSheetError):
    """An item score that is not an integer in the item's range, e.g.
    ``进食 的得分应在 0–4 之间，实际为 5``."""

    def __init__(self, item: ItemSpec, score: object) -> None:
        super().__init__(
            f"{item.name_zh} 的得分应在 0–{item.max} 之间，实际为 {score!r}",
            f"{item.name_en} ({item.code}): the score must be an integer from 0 to {item.max}, got {score!r}",
        )
        self.item = item
        self.score = score


class MissingItemsError(ScoreSheetError):
    """Items without a score; ``items`` lists them in the standard's order."""

    def __init__(self, items: tuple[ItemSpec, ...]) -> None:
        super().__init__(
            f"缺少以下项目的得分：{'、'.join(item.name_zh for item in items)}",
            f"No score for: {', '.join(f'{item.name_en} ({item.code})' for item in items)}",
        )
        self.items = items


class UnknownItemsError(ScoreSheetError):
    """Item codes that are not among :data:`ITEMS`."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        listed = ", ".join(repr(code) for code in codes)
        super().__init__(f"未知的评估项目：{listed}", f"Unknown assessment item(s): {listed}")
        self.codes = codes


# --- parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CapabilityRules:
    """The adjustment parameters, read by the caller from the dated policy.

    ``risk_event_threshold`` events (2 in the standard as restated) within ``risk_window_days``
    days (30) raise the level by one; ``stack_raises`` says whether that raise and the
    dementia / mental-disorder raise add up (UNCONFIRMED, POLICY §6.4). ``cites`` are the
    citations of the policy rows the values came from; they are copied onto the assessment.
    """

    risk_event_threshold: int
    risk_window_days: int
    stack_raises: bool
    cites: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("risk_event_threshold", "risk_window_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if not isinstance(self.stack_raises, bool):
            raise ValueError(f"stack_raises must be a bool, got {self.stack_raises!r}")
        object.__setattr__(self, "cites", tuple(self.cites))


def count_risk_events(event_dates: Iterable[date], *, on: date, rules: CapabilityRules) -> int:
    """How many care-risk events fall within the window ending on ``on``.

    The window is the ``risk_window_days`` calendar days ending on ``on`` inclusive (for 30
    days and ``on`` = 31 January: 2–31 January); this reading of "近30天" is this module's
    choice. Events after ``on`` are not counted.
    """
    first = on - timedelta(days=rules.risk_window_days - 1)
    return sum(1 for day in event_dates if first <= day <= on)


# --- outputs --------------------------------------------------------------------------------


class AdjustmentKind(StrEnum):
    """The three adjustments of the standard, in the order they are applied."""

    COMA = "coma"
    DIAGNOSIS = "dementia_or_mental_disorder"
    RISK_EVENTS = "risk_events"


@dataclass(frozen=True)
class Adjustment:
    """One adjustment whose condition held, the level before and after it, and why.

    ``level_after == level_before`` when the condition held but did not change the level
    (already at level 4, or a second raise when raises do not stack).
    """

    kind: AdjustmentKind
    level_before: Level
    level_after: Level
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Assessment:
    """The outcome of :func:`assess`."""

    scores: Mapping[str, int] = field(hash=False)
    dimension_totals: Mapping[Dimension, int] = field(hash=False)
    total: int
    preliminary_level: Level
    final_level: Level
    adjustments: tuple[Adjustment, ...]
    reason_zh: str
    reason_en: str
    cites: tuple[str, ...]

    @property
    def level_name_zh(self) -> str:
        """Chinese name of the final level."""
        return LEVEL_NAMES_ZH[self.final_level]

    @property
    def level_name_en(self) -> str:
        """English name of the final level."""
        return LEVEL_NAMES_EN[self.final_level]

    @property
    def preliminary_level_name_zh(self) -> str:
        """Chinese name of the preliminary level."""
        return LEVEL_NAMES_ZH[self.preliminary_level]

    @property
    def preliminary_level_name_en(self) -> str:
        """English name of the preliminary level."""
        return LEVEL_NAMES_EN[self.preliminary_level]


# --- assessment -----------------------------------------------------------------------------


def _validated(scores: Mapping[str, int]) -> dict[str, int]:
    unknown = tuple(sorted(str(code) for code in scores if code not in ITEMS_BY_CODE))
    if unknown:
        raise UnknownItemsError(unknown)
    missing = tuple(item for item in ITEMS if item.code not in scores)
    if missing:
        raise MissingItemsError(missing)
    clean: dict[str, int] = {}
    for item in ITEMS:
        score: object = scores[item.code]
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= item.max:
            raise ItemScoreError(item, score)
        clean[item.code] = score
    return clean


def _raise(level: Level) -> Level:
    return Level(min(int(level) + 1, int(_WORST)))


def assess(
    scores: Mapping[str, int],
    *,
    coma: bool,
    dementia_or_mental_disorder: bool,
    risk_events_in_window: int,
    rules: CapabilityRules,
) -> Assessment:
    """Assess one older person from the 26 item scores and the adjustment facts.

    ``scores`` maps every code of :data:`ITEMS` to an integer from 0 to the item's maximum.
    ``coma``: the person is in a coma (昏迷). ``dementia_or_mental_disorder``: diagnosed
    dementia (F00–F03) or a psychiatrist-diagnosed mental / behavioural disorder (F04–F99).
    ``risk_events_in_window``: care-risk events within the rules' window (see
    :func:`count_risk_events`).

    Raises :class:`UnknownItemsError`, :class:`MissingItemsError` or :class:`ItemScoreError`
    (all ``ValueError``) for a bad score sheet, ``ValueError`` for a negative event count.
    """
    if isinstance(risk_events_in_window, bool) or not isinstance(risk_events_in_window, int):
        raise ValueError(f"risk_events_in_window must be an integer, got {risk_events_in_window!r}")
    if risk_events_in_window < 0:
        raise ValueError(f"risk_events_in_window must not be negative, got {risk_events_in_window}")
    clean = _validated(scores)
    dimension_totals = {spec.dimension: sum(clean[code] for code in spec.items) for spec in DIMENSIONS}
    total = sum(dimension_totals.values())
    preliminary = level_for_total(total)

    adjustments: list[Adjustment] = []
    level = preliminary
    raised = False
    worst_zh = _level_zh(_WORST)
    worst_en = _level_en(_WORST)

    if coma:
        adjustments.append(
            Adjustment(
                AdjustmentKind.COMA,
                level,
                _WORST,
                f"处于昏迷状态，直接评定为{worst_zh}",
                f"In a coma: assessed directly as {worst_en}",
            )
        )
        level = _WORST

    def raise_for(kind: AdjustmentKind, why_zh: str, why_en: str) -> None:
        nonlocal level, raised
        before = level
        if level is _WORST:
            zh = f"{why_zh}；已为{worst_zh}，不再提高"
            en = f"{why_en}; already {worst_en}, so no further raise"
        elif raised and not rules.stack_raises:
            zh = f"{why_zh}；两项升级不叠加，已提高过一级，维持{_level_zh(level)}"
            en = f"{why_en}; raises do not stack and one was already applied, so it stays {_level_en(level)}"
        else:
            level = _raise(level)
            raised = True
            zh = f"{why_zh}，等级提高一级：由{_level_zh(before)}调整为{_level_zh(level)}"
            en = f"{why_en}: raised one level, from {_level_en(before)} to {_level_en(level)}"
        adjustments.append(Adjustment(kind, before, level, zh, en))

    if dementia_or_mental_disorder:
        raise_for(
            AdjustmentKind.DIAGNOSIS,
            "确诊为痴呆（F00–F03）或经精神科医师确诊的其他精神和行为障碍（F04–F99）",
            "diagnosed with dementia (F00–F03) or another mental or behavioural disorder diagnosed by a "
            "psychiatrist (F04–F99)",
        )
    if risk_events_in_window >= rules.risk_event_threshold:
        raise_for(
            AdjustmentKind.RISK_EVENTS,
            f"近{rules.risk_window_days}天内发生{risk_events_in_window}次照护风险事件"
            f"（跌倒、噎食、自杀、自伤、走失等），达到{rules.risk_event_threshold}次",
            f"{risk_events_in_window} care-risk event(s) (falls, choking, suicide, self-harm, wandering off, ...) "
            f"in the last {rules.risk_window_days} days, at least {rules.risk_event_threshold}",
        )

    parts_zh = [f"{spec.name_zh}{dimension_totals[spec.dimension]}/{spec.max}分" for spec in DIMENSIONS]
    parts_en = [f"{spec.name_en} {dimension_totals[spec.dimension]}/{spec.max}" for spec in DIMENSIONS]
    reason_zh = (
        f"总分{total}/{MAX_TOTAL}分（{'，'.join(parts_zh)}），初步等级{_level_zh(preliminary)}；"
        + ("；".join(a.reason_zh for a in adjustments) + "；" if adjustments else "无等级调整情形；")
        + f"最终等级{_level_zh(level)}"
    )
    reason_en = (
        f"Total {total}/{MAX_TOTAL} ({', '.join(parts_en)}), preliminary {_level_en(preliminary)}; "
        + ("; ".join(a.reason_en for a in adjustments) + "; " if adjustments else "no adjustment applies; ")
        + f"final {_level_en(level)}"
    )
    return Assessment(
        scores=MappingProxyType(clean),
        dimension_totals=MappingProxyType(dimension_totals),
        total=total,
        preliminary_level=preliminary,
        final_level=level,
        adjustments=tuple(adjustments),
        reason_zh=reason_zh,
        reason_en=reason_en,
        cites=(STANDARD, *rules.cites),
    )
