"""Eligibility for a public-welfare elder-care post (公益性岗位安置资格), explained criterion by criterion.

Pure: plain values in, a :class:`Decision` out. No Django, no database, no clock. Every
threshold (ages, years, months, counts) comes in through :class:`Params`, each value paired
with the citation of the dated policy parameter it was read from; the citations are copied
onto the criteria that used them. See POLICY.md §1.2 (Fujian 就业困难人员 categories), §1.4
(subsidy period and repeat placements), §3 (statutory retirement) and DOMAIN.md S4–S6.

:func:`decide` checks seven criteria, in this order (:data:`CRITERIA`):

1. ``working_age``: at least ``working_age_min`` full years old and before the statutory
   retirement date (:func:`zhulao.rules.retirement.statutory_retirement`).
2. ``willing_able``: declared willing and able to work.
3. ``target_group``: belongs to at least one :class:`Category`.
4. ``hukou_type``: one of the batch's allowed household-registration types.
5. ``placements``: placement cap, no active placement, repeat placements only for older
   unemployed people, zero-employment households and the severely disabled.
6. ``subsidy_period``: the subsidy for a placement starting on the decision date has a
   positive length (:func:`planned_end`).
7. ``no_double_post``: no other current public-welfare post (双岗).

The decision's status is ``FAILED`` if any criterion failed, else ``UNKNOWN`` if any is
unknown (missing or expired information), else ``PASSED``.

Date conventions (choices of this module):

* Every end date is **inclusive**: it is the last day covered. A 36-month subsidy starting
  2025-03-01 covers up to 2028-02-29 (``add_months(start, 36) - 1 day``).
* A subsidy that runs "until retirement" covers up to and including the statutory
  retirement date, so :func:`planned_end` is never after that date.
* A :class:`PastPlacement` with ``end`` on or after the decision date (or no ``end``) is
  active on that date: a new placement can start only the day after the last one ended.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from zhulao.rules.dates import add_months, full_years_between
from zhulao.rules.idcard import age_on
from zhulao.rules.retirement import Retirement, RetirementScheme, RetirementTrack, statutory_retirement

__all__ = [
    "CATEGORY_NAMES_EN",
    "CATEGORY_NAMES_ZH",
    "CRITERIA",
    "HUKOU_NAMES_EN",
    "HUKOU_NAMES_ZH",
    "REPEAT_PLACEMENT_CATEGORIES",
    "SEVERE_DISABILITY_GRADES",
    "Batch",
    "Candidate",
    "Category",
    "Cited",
    "Criterion",
    "Decision",
    "EvidenceState",
    "HukouType",
    "Params",
    "PastPlacement",
    "Priority",
    "Status",
    "decide",
    "planned_end",
    "priority_sort_key",
]


class Status(StrEnum):
    """Outcome of one criterion or of the whole decision."""

    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"


class Category(StrEnum):
    """Target groups (安置对象类别, DOMAIN S4, POLICY §1.2).

    Computed from the candidate's facts: ``URBAN_OLDER``, ``LONG_UNEMPLOYED``,
    ``ZERO_EMPLOYMENT`` and ``SEVERELY_DISABLED`` (from the disability certificate's grade).
    Held on evidence: ``DISABLED``, ``URBAN_DIBAO``, ``RURAL_DIBAO``, ``POVERTY_REGISTERED``,
    ``UNSTABLE_EX_POOR``; ``FAMILY_PLANNING`` needs both evidence and the age threshold.
    """

    URBAN_OLDER = "urban_older"
    DISABLED = "disabled"
    SEVERELY_DISABLED = "severely_disabled"
    URBAN_DIBAO = "urban_dibao"
    RURAL_DIBAO = "rural_dibao"
    LONG_UNEMPLOYED = "long_unemployed"
    POVERTY_REGISTERED = "poverty_registered"
    FAMILY_PLANNING = "family_planning"
    ZERO_EMPLOYMENT = "zero_employment"
    UNSTABLE_EX_POOR = "unstable_ex_poor"


class EvidenceState(StrEnum):
    """State of the evidence the caller holds for a claimed category."""

    VALID = "valid"
    EXPIRED = "expired"


class HukouType(StrEnum):
    """Household-registration types of DOMAIN S5."""

    CITY = "city"
    PROVINCE = "province"
    POVERTY_LABOUR = "poverty_labour"
    OTHER = "other"


CATEGORY_NAMES_ZH: Mapping[Category, str] = MappingProxyType(
    {
        Category.URBAN_OLDER: "城镇大龄",
        Category.DISABLED: "残疾人",
        Category.SEVERELY_DISABLED: "重度残疾人",
        Category.URBAN_DIBAO: "城市低保",
        Category.RURAL_DIBAO: "农村低保",
        Category.LONG_UNEMPLOYED: "长期失业",
        Category.POVERTY_REGISTERED: "建档立卡",
        Category.FAMILY_PLANNING: "农村计生家庭",
        Category.ZERO_EMPLOYMENT: "零就业家庭",
        Category.UNSTABLE_EX_POOR: "脱贫不稳定",
    }
)
CATEGORY_NAMES_EN: Mapping[Category, str] = MappingProxyType(
    {
        Category.URBAN_OLDER: "older urban resident",
        Category.DISABLED: "disabled person",
        Category.SEVERELY_DISABLED: "severely disabled person",
        Category.URBAN_DIBAO: "urban minimum-allowance recipient",
        Category.RURAL_DIBAO: "rural minimum-allowance recipient",
        Category.LONG_UNEMPLOYED: "long-term unemployed",
        Category.POVERTY_REGISTERED: "registered poor household (建档立卡)",
        Category.FAMILY_PLANNING: "rural family-planning household",
        Category.ZERO_EMPLOYMENT: "zero-employment household",
        Category.UNSTABLE_EX_POOR: "unstable ex-poor (脱贫不稳定)",
    }
)
HUKOU_NAMES_ZH: Mapping[HukouType, str] = MappingProxyType(
    {
        HukouType.CITY: "本市户籍",
        HukouType.PROVINCE: "本省户籍",
        HukouType.POVERTY_LABOUR: "建档立卡农村贫困家庭劳动力",
        HukouType.OTHER: "其他户籍",
    }
)
HUKOU_NAMES_EN: Mapping[HukouType, str] = MappingProxyType(
    {
        HukouType.CITY: "this city",
        HukouType.PROVINCE: "this province",
        HukouType.POVERTY_LABOUR: "labour from a registered poor rural family",
        HukouType.OTHER: "other",
    }
)

#: Disability grades that make a certificate holder 重度残疾. This is the national
#: classification (GB/T 26341-2010 残疾人残疾分类和分级: 一级、二级 = 重度), a definition
#: rather than a dated programme threshold, so it is not part of :class:`Params`.
SEVERE_DISABILITY_GRADES: frozenset[int] = frozenset({1, 2})

#: Categories that allow a repeat placement (POLICY §1.4: "大龄就业困难人员、零就业家庭中的
#: 就业困难成员、重度残疾人等"). "Older" is read as URBAN_OLDER or LONG_UNEMPLOYED.
REPEAT_PLACEMENT_CATEGORIES: frozenset[Category] = frozenset(
    {Category.URBAN_OLDER, Category.LONG_UNEMPLOYED, Category.ZERO_EMPLOYMENT, Category.SEVERELY_DISABLED}
)

#: Criterion codes, in the order :func:`decide` reports them.
CRITERIA: tuple[str, ...] = (
    "working_age",
    "willing_able",
    "target_group",
    "hukou_type",
    "placements",
    "subsidy_period",
    "no_double_post",
)

#: Priority groups (DOMAIN S4), first placed first; everyone else comes after the last one.
_PRIORITY_GROUPS: tuple[tuple[frozenset[Category], str, str], ...] = (
    (frozenset({Category.UNSTABLE_EX_POOR}), "脱贫不稳定人员", "unstable ex-poor"),
    (frozenset({Category.ZERO_EMPLOYMENT}), "零就业家庭", "zero-employment households"),
    (
        frozenset({Category.URBAN_OLDER, Category.LONG_UNEMPLOYED}),
        "大龄失业人员",
        "older unemployed people",
    ),
    (frozenset({Category.DISABLED, Category.SEVERELY_DISABLED}), "残疾人", "disabled people"),
)

_SEX_KEYS: Mapping[str, str] = MappingProxyType({"M": "male", "F": "female"})
_SEX_ZH: Mapping[str, str] = MappingProxyType({"M": "男", "F": "女"})
_SEX_EN: Mapping[str, str] = MappingProxyType({"M": "men", "F": "women"})
_ONE_DAY = timedelta(days=1)


# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cited:
    """A parameter value with its citation, e.g. ``Cited(16, "eligibility.working_age_min = 16 (...)")``."""

    value: Any = field(hash=False)
    cite: str


def _int_param(cited: Cited, name: str) -> int:
    value = cited.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def _ages_param(cited: Cited, name: str) -> Mapping[str, int]:
    value = cited.value
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must map 'male' and 'female' to ages, got {value!r}")
    ages: dict[str, int] = {}
    for key in _SEX_KEYS.values():
        age = value.get(key)
        if isinstance(age, bool) or not isinstance(age, int) or age < 0:
            raise ValueError(f"{name}[{key!r}] must be a non-negative integer, got {age!r}")
        ages[key] = age
    return ages


def _scheme_param(cited: Cited) -> RetirementScheme:
    value = cited.value
    if not isinstance(value, RetirementScheme):
        raise ValueError(f"retirement_scheme must be a RetirementScheme, got {value!r}")
    return value


@dataclass(frozen=True)
class Params:
    """Every threshold the engine uses, each with its citation. Validated on construction.

    ``urban_older_age`` and ``rural_family_planning_age`` map ``"male"``/``"female"`` to full
    years; ``retirement_scheme`` holds a :class:`RetirementScheme`; the others are integers.
    """

    working_age_min: Cited
    retirement_scheme: Cited
    urban_older_age: Cited
    rural_family_planning_age: Cited
    long_unemployed_years: Cited
    max_period_months: Cited
    max_placements: Cited
    near_retirement_years: Cited

    def __post_init__(self) -> None:
        _int_param(self.working_age_min, "working_age_min")
        _scheme_param(self.retirement_scheme)
        _ages_param(self.urban_older_age, "urban_older_age")
        _ages_param(self.rural_family_planning_age, "rural_family_planning_age")
        _int_param(self.long_unemployed_years, "long_unemployed_years")
        if _int_param(self.max_period_months, "max_period_months") < 1:
            raise ValueError("max_period_months must be at least 1")
        if _int_param(self.max_placements, "max_placements") < 1:
            raise ValueError("max_placements must be at least 1")
        _int_param(self.near_retirement_years, "near_retirement_years")


@dataclass(frozen=True)
class PastPlacement:
    """An earlier or current public-welfare placement (any post).

    ``end`` is the last day of the placement (inclusive); ``None`` = still active.
    ``first_approval`` is the date the person was first approved for the subsidy.
    """

    start: date
    end: date | None
    first_approval: date


@dataclass(frozen=True)
class Candidate:
    """The facts about one applicant that eligibility depends on.

    ``evidence`` lists the categories the applicant claims with the state of the caller's
    evidence. Entries for purely computed categories (``URBAN_OLDER``, ``LONG_UNEMPLOYED``,
    ``ZERO_EMPLOYMENT``, ``SEVERELY_DISABLED``) are ignored; ``SEVERELY_DISABLED`` uses
    ``evidence[DISABLED]`` and ``disability_grade``. ``None`` in the optional facts means
    unknown. ``sex`` is ``"M"`` or ``"F"``.
    """

    birth_date: date
    sex: str
    retirement_track: RetirementTrack
    is_urban: bool | None
    willing_to_work: bool | None
    able_to_work: bool | None
    hukou_types: frozenset[HukouType]
    evidence: Mapping[Category, EvidenceState] = field(hash=False)
    unemployed_registered_since: date | None
    zero_employment_household: bool | None
    disability_grade: int | None
    placements: tuple[PastPlacement, ...]
    has_other_current_post: bool

    def __post_init__(self) -> None:
        if self.sex not in _SEX_KEYS:
            raise ValueError(f"sex must be 'M' or 'F', got {self.sex!r}")
        evidence = {Category(key): EvidenceState(state) for key, state in self.evidence.items()}
        object.__setattr__(self, "evidence", MappingProxyType(evidence))


@dataclass(frozen=True)
class Batch:
    """A recruitment batch: which household-registration types it accepts."""

    allowed_hukou_types: frozenset[HukouType]


# --- outputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One checked criterion, its outcome, the reason in both languages and the parameters used."""

    code: str
    status: Status
    reason_zh: str
    reason_en: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Priority:
    """Placement priority: lower ``group`` is placed first; ties go by application time."""

    group: int
    label_zh: str
    label_en: str
    explanation_zh: str
    explanation_en: str


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`decide` for one candidate on one date."""

    on: date
    status: Status
    criteria: tuple[Criterion, ...]
    categories: frozenset[Category]
    priority: Priority
    planned_end: date | None
    placement_number: int

    @property
    def eligible(self) -> bool:
        """True when every criterion passed."""
        return self.status is Status.PASSED

    def criterion(self, code: str) -> Criterion:
        """The criterion with ``code`` (one of :data:`CRITERIA`)."""
        for item in self.criteria:
            if item.code == code:
                return item
        raise KeyError(code)


# --- formatting -----------------------------------------------------------------------------


def _zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _zh_month(d: date) -> str:
    """A date derived from the birth date (retirement) is explained to the month only: with the birth year
    and sex its day would narrow the ID number (docs/permissions.md, "Masking"). The law fixes the month."""
    return f"{d.year}年{d.month}月"


def _zh_list(items: list[str]) -> str:
    return "、".join(items)


def _en_list(items: list[str]) -> str:
    return ", ".join(items)


def _names_zh(categories: frozenset[Category] | list[Category]) -> list[str]:
    return [CATEGORY_NAMES_ZH[c] for c in Category if c in categories]


def _names_en(categories: frozenset[Category] | list[Category]) -> list[str]:
    return [CATEGORY_NAMES_EN[c] for c in Category if c in categories]


def _track_labels(track: RetirementTrack, scheme: RetirementScheme) -> tuple[str, str]:
    """E.g. ``("女职工，原法定退休年龄50岁", "women, original retirement age 50")``."""
    original = scheme.rule(track).original_age_years
    if track is RetirementTrack.MALE:
        return f"男职工，原法定退休年龄{original}岁", f"men, original retirement age {original}"
    return f"女职工，原法定退休年龄{original}岁", f"women, original retirement age {original}"


# --- categories -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Assessment:
    """Which categories hold, which would hold but for expired evidence, which are undecidable."""

    holds: frozenset[Category]
    expired: frozenset[Category]
    undecidable: frozenset[Category]
    details_zh: Mapping[Category, str]
    details_en: Mapping[Category, str]


def _assess_categories(candidate: Candidate, params: Params, on: date) -> _Assessment:
    """Evaluate every category.

    A category is *expired* when its evidence is EXPIRED but it would hold (or be
    undecidable) with valid evidence, and *undecidable* when its facts are met except an
    unknown one (``is_urban`` or ``zero_employment_household`` is ``None``).
    """
    holds: set[Category] = set()
    expired: set[Category] = set()
    undecidable: set[Category] = set()
    details_zh: dict[Category, str] = {}
    details_en: dict[Category, str] = {}
    evidence = candidate.evidence
    sex_key = _SEX_KEYS[candidate.sex]
    sex_zh = _SEX_ZH[candidate.sex]
    sex_en = _SEX_EN[candidate.sex]
    age = age_on(candidate.birth_date, on) if on >= candidate.birth_date else None

    def place(category: Category, facts_met: bool, area_ok: bool | None, state: EvidenceState | None) -> None:
        """Sort a category given its facts, its urban/rural condition and its evidence."""
        if not facts_met or area_ok is False:
            return
        if state is EvidenceState.EXPIRED:
            expired.add(category)
        elif area_ok is None:
            undecidable.add(category)
        else:
            holds.add(category)

    valid = EvidenceState.VALID
    urban = candidate.is_urban
    rural = None if urban is None else not urban

    # URBAN_OLDER: computed from age, urban only.
    older_age = _ages_param(params.urban_older_age, "urban_older_age")[sex_key]
    place(Category.URBAN_OLDER, age is not None and age >= older_age, urban, valid)
    details_zh[Category.URBAN_OLDER] = f"城镇大龄（{sex_zh}满{older_age}周岁）"
    details_en[Category.URBAN_OLDER] = f"older urban resident ({sex_en} aged {older_age} or over)"

    # LONG_UNEMPLOYED: registered unemployed for N full years, urban only.
    years = _int_param(params.long_unemployed_years, "long_unemployed_years")
    since = candidate.unemployed_registered_since
    long_enough = since is not None and since <= on and full_years_between(since, on) >= years
    place(Category.LONG_UNEMPLOYED, long_enough, urban, valid)
    if since is not None:
        details_zh[Category.LONG_UNEMPLOYED] = f"长期失业（{_zh_date(since)}失业登记，满{years}年）"
        details_en[Category.LONG_UNEMPLOYED] = (
            f"long-term unemployed (registered {since.isoformat()}, at least {years} year(s))"
        )

    # Evidence-based categories.
    for category, area in (
        (Category.DISABLED, True),
        (Category.URBAN_DIBAO, urban),
        (Category.RURAL_DIBAO, rural),
        (Category.POVERTY_REGISTERED, True),
        (Category.UNSTABLE_EX_POOR, True),
    ):
        state = evidence.get(category)
        place(category, state is not None, area, state)

    # SEVERELY_DISABLED: the disability certificate with a severe grade.
    grade = candidate.disability_grade
    disabled_state = evidence.get(Category.DISABLED)
    severe = disabled_state is not None and grade is not None and grade in SEVERE_DISABILITY_GRADES
    place(Category.SEVERELY_DISABLED, severe, True, disabled_state)
    if grade is not None:
        details_zh[Category.SEVERELY_DISABLED] = f"重度残疾人（残疾等级{grade}级）"
        details_en[Category.SEVERELY_DISABLED] = f"severely disabled person (grade {grade})"

    # FAMILY_PLANNING: evidence, rural only, and the age threshold.
    fp_age = _ages_param(params.rural_family_planning_age, "rural_family_planning_age")[sex_key]
    fp_state = evidence.get(Category.FAMILY_PLANNING)
    fp_facts = fp_state is not None and age is not None and age >= fp_age
    place(Category.FAMILY_PLANNING, fp_facts, rural, fp_state)
    details_zh[Category.FAMILY_PLANNING] = f"农村计生家庭（{sex_zh}满{fp_age}周岁）"
    details_en[Category.FAMILY_PLANNING] = f"rural family-planning household ({sex_en} aged {fp_age} or over)"

    # ZERO_EMPLOYMENT: computed by the caller from the household.
    zero = candidate.zero_employment_household
    if zero is None:
        undecidable.add(Category.ZERO_EMPLOYMENT)
    elif zero:
        holds.add(Category.ZERO_EMPLOYMENT)

    return _Assessment(
        holds=frozenset(holds),
        expired=frozenset(expired),
        undecidable=frozenset(undecidable),
        details_zh=details_zh,
        details_en=details_en,
    )


def _described(assessment: _Assessment, categories: frozenset[Category]) -> tuple[str, str]:
    ordered = [c for c in Category if c in categories]
    zh = [assessment.details_zh.get(c, CATEGORY_NAMES_ZH[c]) for c in ordered]
    en = [assessment.details_en.get(c, CATEGORY_NAMES_EN[c]) for c in ordered]
    return _zh_list(zh), _en_list(en)


# --- criteria -------------------------------------------------------------------------------


def _working_age(candidate: Candidate, params: Params, retirement: Retirement, on: date) -> Criterion:
    code = "working_age"
    cites = (params.working_age_min.cite, params.retirement_scheme.cite)
    min_age = _int_param(params.working_age_min, "working_age_min")
    reform_year = _scheme_param(params.retirement_scheme).reform_start.year
    track_zh, track_en = _track_labels(candidate.retirement_track, _scheme_param(params.retirement_scheme))
    ret = retirement.retirement_date
    if on < candidate.birth_date:
        return Criterion(
            code,
            Status.FAILED,
            f"出生于{candidate.birth_date.year}年{candidate.birth_date.month}月，晚于判定日期{_zh_date(on)}",
            f"Born in {candidate.birth_date:%Y-%m}, after the decision date {on.isoformat()}",
            cites,
        )
    age = age_on(candidate.birth_date, on)
    if age < min_age:
        return Criterion(
            code,
            Status.FAILED,
            f"未达最低劳动年龄：现年{age}周岁，最低劳动年龄为{min_age}周岁",
            f"Below the minimum working age: aged {age}, the minimum working age is {min_age}",
            cites,
        )
    if on >= ret:
        return Criterion(
            code,
            Status.FAILED,
            f"超过法定退休年龄：按渐进式延迟退休办法，该人员于{ret.year}年{ret.month}月退休"
            f"（{track_zh}，法定退休年龄{retirement.age_label_zh}）",
            f"Past statutory retirement: under the {reform_year} gradual-retirement rules this person "
            f"retired in {ret.year}-{ret.month:02d} ({track_en}, statutory age {retirement.age_label_en})",
            cites,
        )
    return Criterion(
        code,
        Status.PASSED,
        f"处于法定劳动年龄：现年{age}周岁（最低{min_age}周岁）；按渐进式延迟退休办法，"
        f"法定退休年龄{retirement.age_label_zh}（{track_zh}），{ret.year}年{ret.month}月退休",
        f"Of working age: aged {age} (minimum {min_age}); under the {reform_year} gradual-retirement "
        f"rules the statutory age is {retirement.age_label_en} ({track_en}), reached in {ret.year}-{ret.month:02d}",
        cites,
    )


def _willing_able(candidate: Candidate) -> Criterion:
    code = "willing_able"
    willing, able = candidate.willing_to_work, candidate.able_to_work
    if willing is False or able is False:
        zh = [text for flag, text in ((willing, "本人无就业意愿"), (able, "不具备劳动能力")) if flag is False]
        en = [text for flag, text in ((willing, "not willing to work"), (able, "not able to work")) if flag is False]
        return Criterion(code, Status.FAILED, _zh_list(zh), "; ".join(en).capitalize(), ())
    if willing is None or able is None:
        zh = [text for flag, text in ((willing, "就业意愿"), (able, "劳动能力")) if flag is None]
        en = [text for flag, text in ((willing, "willingness to work"), (able, "ability to work")) if flag is None]
        return Criterion(
            code,
            Status.UNKNOWN,
            f"未声明就业意愿/劳动能力（缺：{_zh_list(zh)}）",
            f"Willingness/ability to work not declared (missing: {' and '.join(en)})",
            (),
        )
    return Criterion(
        code,
        Status.PASSED,
        "本人声明有就业意愿且具备劳动能力",
        "Declared willing and able to work",
        (),
    )


def _target_group(params: Params, assessment: _Assessment) -> Criterion:
    code = "target_group"
    all_cites = (
        params.urban_older_age.cite,
        params.long_unemployed_years.cite,
        params.rural_family_planning_age.cite,
    )
    if assessment.holds:
        used = {
            Category.URBAN_OLDER: params.urban_older_age.cite,
            Category.LONG_UNEMPLOYED: params.long_unemployed_years.cite,
            Category.FAMILY_PLANNING: params.rural_family_planning_age.cite,
        }
        cites = tuple(cite for category, cite in used.items() if category in assessment.holds)
        zh, en = _described(assessment, assessment.holds)
        return Criterion(code, Status.PASSED, f"属于安置对象：{zh}", f"In the target group: {en}", cites)
    if assessment.expired or assessment.undecidable:
        zh_parts: list[str] = []
        en_parts: list[str] = []
        if assessment.expired:
            zh_parts.append(f"{_zh_list(_names_zh(assessment.expired))}证据已过期，待更新")
            en_parts.append(f"evidence expired, awaiting renewal: {_en_list(_names_en(assessment.expired))}")
        area_dependent = assessment.undecidable - {Category.ZERO_EMPLOYMENT}
        if area_dependent:
            zh_parts.append(f"城乡属性未知，无法判断：{_zh_list(_names_zh(area_dependent))}")
            en_parts.append(f"urban/rural status unknown, cannot decide: {_en_list(_names_en(area_dependent))}")
        if Category.ZERO_EMPLOYMENT in assessment.undecidable:
            zh_parts.append("零就业家庭情况未知")
            en_parts.append("zero-employment household status unknown")
        return Criterion(
            code,
            Status.UNKNOWN,
            "暂无法确认安置对象类别：" + "；".join(zh_parts),
            "Target group not yet established: " + "; ".join(en_parts),
            all_cites,
        )
    return Criterion(
        code,
        Status.FAILED,
        "不属于任何安置对象类别（未达城镇大龄、长期失业、农村计生家庭条件，且无有效的残疾、低保、"
        "建档立卡、脱贫不稳定证明，非零就业家庭）",
        "Not in any target group (not an older urban resident, long-term unemployed or rural "
        "family-planning member; no valid disability, minimum-allowance, registered-poor or "
        "unstable-ex-poor evidence; not a zero-employment household)",
        all_cites,
    )


def _hukou_type(candidate: Candidate, batch: Batch) -> Criterion:
    code = "hukou_type"
    allowed = [h for h in HukouType if h in batch.allowed_hukou_types]
    allowed_zh = _zh_list([HUKOU_NAMES_ZH[h] for h in allowed]) or "（无）"
    allowed_en = _en_list([HUKOU_NAMES_EN[h] for h in allowed]) or "none"
    if not candidate.hukou_types:
        return Criterion(
            code,
            Status.UNKNOWN,
            f"户籍类型未知；本批次招收：{allowed_zh}",
            f"Household-registration type unknown; this batch accepts: {allowed_en}",
            (),
        )
    matching = candidate.hukou_types & batch.allowed_hukou_types
    have_zh = _zh_list([HUKOU_NAMES_ZH[h] for h in HukouType if h in candidate.hukou_types])
    have_en = _en_list([HUKOU_NAMES_EN[h] for h in HukouType if h in candidate.hukou_types])
    if matching:
        match_zh = _zh_list([HUKOU_NAMES_ZH[h] for h in HukouType if h in matching])
        match_en = _en_list([HUKOU_NAMES_EN[h] for h in HukouType if h in matching])
        return Criterion(
            code,
            Status.PASSED,
            f"户籍类型符合：{match_zh}（本批次招收：{allowed_zh}）",
            f"Household registration accepted: {match_en} (this batch accepts: {allowed_en})",
            (),
        )
    return Criterion(
        code,
        Status.FAILED,
        f"户籍类型不符：本批次仅招收{allowed_zh}，该人员为{have_zh}",
        f"Household registration not accepted: this batch accepts only {allowed_en}; this person: {have_en}",
        (),
    )


def _placements(candidate: Candidate, params: Params, assessment: _Assessment, on: date) -> Criterion:
    code = "placements"
    cites = (params.max_placements.cite,)
    cap = _int_param(params.max_placements, "max_placements")
    count = len(candidate.placements)
    if count >= cap:
        return Criterion(
            code,
            Status.FAILED,
            f"已安置{count}次，达到累计安置上限{cap}次",
            f"Already placed {count} time(s); the cap is {cap} placement(s) in total",
            cites,
        )
    active = sorted((p for p in candidate.placements if p.end is None or p.end >= on), key=lambda p: p.start)
    if active:
        first = active[0]
        return Criterion(
            code,
            Status.FAILED,
            f"已在公益性岗位安置中（{_zh_date(first.start)}起），不能重复安置",
            f"Already placed in a public-welfare post (since {first.start.isoformat()})",
            cites,
        )
    number = count + 1
    if count == 0:
        return Criterion(
            code,
            Status.PASSED,
            f"首次安置（累计上限{cap}次）",
            f"First placement (cap: {cap} placements in total)",
            cites,
        )
    last_end = max(p.end for p in candidate.placements if p.end is not None)
    qualifying = assessment.holds & REPEAT_PLACEMENT_CATEGORIES
    rule_zh = "再次安置仅限大龄失业人员、零就业家庭成员、重度残疾人"
    rule_en = (
        "a repeat placement is only for older unemployed people, zero-employment household "
        "members and the severely disabled"
    )
    if qualifying:
        zh, en = _described(assessment, qualifying)
        return Criterion(
            code,
            Status.PASSED,
            f"第{number}次安置：上次安置已于{_zh_date(last_end)}结束，属于{zh}，可再次安置（累计上限{cap}次）",
            f"Placement number {number}: the previous one ended on {last_end.isoformat()} and this person "
            f"is {en}, so may be placed again (cap: {cap} placements)",
            cites,
        )
    pending = (assessment.expired | assessment.undecidable) & REPEAT_PLACEMENT_CATEGORIES
    if pending:
        return Criterion(
            code,
            Status.UNKNOWN,
            f"第{number}次安置：{rule_zh}；待确认：{_zh_list(_names_zh(pending))}",
            f"Placement number {number}: {rule_en}; still to establish: {_en_list(_names_en(pending))}",
            cites,
        )
    return Criterion(
        code,
        Status.FAILED,
        f"第{number}次安置不予批准：{rule_zh}，该人员不属于上述情形",
        f"Placement number {number} refused: {rule_en}, and this person is none of these",
        cites,
    )


def _no_double_post(candidate: Candidate) -> Criterion:
    code = "no_double_post"
    if candidate.has_other_current_post:
        return Criterion(
            code,
            Status.FAILED,
            "已在其他公益性岗位在岗，不得双岗",
            "Already holds another public-welfare post (no double posts)",
            (),
        )
    return Criterion(code, Status.PASSED, "无其他在岗公益性岗位", "Holds no other public-welfare post", ())


# --- subsidy period -------------------------------------------------------------------------


def planned_end(
    *, start: date, birth_date: date, track: RetirementTrack, first_approval: date, params: Params
) -> tuple[date, str, str]:
    """The last day (inclusive) of the subsidy for a placement starting on ``start``.

    POLICY §1.4: when the statutory retirement date is less than ``near_retirement_years``
    full years after ``first_approval`` (the person's *first* approval for the subsidy, so a
    repeat placement keeps it), the subsidy runs until retirement: the end is the retirement
    date. Otherwise the end is ``add_months(start, max_period_months) - 1 day``, but never
    after the retirement date. The result is never after the retirement date; it may be on
    or before ``start`` when the person has already retired (the caller treats that as no
    period). Returns ``(end, reason_zh, reason_en)``.
    """
    scheme = _scheme_param(params.retirement_scheme)
    near_years = _int_param(params.near_retirement_years, "near_retirement_years")
    months = _int_param(params.max_period_months, "max_period_months")
    retirement = statutory_retirement(birth_date, track, scheme).retirement_date
    near = first_approval >= retirement or full_years_between(first_approval, retirement) < near_years
    if near:
        return (
            retirement,
            f"距法定退休不足{near_years}年，补贴至退休：初次核定日期{_zh_date(first_approval)}，"
            f"法定退休日期{_zh_month(retirement)}，补贴截至{_zh_month(retirement)}（含）",
            f"Less than {near_years} years from statutory retirement at first approval "
            f"({first_approval.isoformat()}; retires {retirement:%Y-%m}), so the subsidy runs "
            f"until retirement: last day {retirement:%Y-%m}",
        )
    full_end = add_months(start, months) - _ONE_DAY
    if retirement < full_end:
        return (
            retirement,
            f"补贴期最长{months}个月，但期满前到达法定退休日期，补贴至退休：截至{_zh_month(retirement)}（含）",
            f"The subsidy lasts at most {months} months but the person reaches statutory retirement "
            f"first: last day {retirement:%Y-%m}",
        )
    return (
        full_end,
        f"补贴期最长{months}个月：自{_zh_date(start)}起至{_zh_date(full_end)}（含）止；"
        f"初次核定日期{_zh_date(first_approval)}距法定退休日期{_zh_month(retirement)}已满{near_years}年",
        f"The subsidy lasts at most {months} months: {start.isoformat()} to {full_end.isoformat()} "
        f"inclusive; at first approval ({first_approval.isoformat()}) retirement "
        f"({retirement:%Y-%m}) was at least {near_years} years away",
    )


def _subsidy_period(candidate: Candidate, params: Params, on: date) -> tuple[Criterion, date | None]:
    code = "subsidy_period"
    cites = (
        params.max_period_months.cite,
        params.near_retirement_years.cite,
        params.retirement_scheme.cite,
    )
    approvals = [p.first_approval for p in candidate.placements]
    first_approval = min(approvals) if approvals else on
    end, reason_zh, reason_en = planned_end(
        start=on,
        birth_date=candidate.birth_date,
        track=candidate.retirement_track,
        first_approval=first_approval,
        params=params,
    )
    if end <= on:  # only when retirement is on or before the start: a 36-month end is always later
        return (
            Criterion(
                code,
                Status.FAILED,
                f"无补贴期可安排：法定退休时间{_zh_month(end)}不晚于安置起始日{_zh_date(on)}",
                f"No subsidy period: statutory retirement in {end:%Y-%m} is not after the start {on.isoformat()}",
                cites,
            ),
            None,
        )
    return Criterion(code, Status.PASSED, reason_zh, reason_en, cites), end


# --- decision -------------------------------------------------------------------------------


def _priority(categories: frozenset[Category]) -> Priority:
    order_zh = "→".join(label for _, label, _ in _PRIORITY_GROUPS) + "→其他"
    order_en = " > ".join(label for _, _, label in _PRIORITY_GROUPS) + " > others"
    for index, (members, label_zh, label_en) in enumerate(_PRIORITY_GROUPS):
        decided_by = [c for c in Category if c in members and c in categories]
        if decided_by:
            group = index + 1
            by_zh = _zh_list(_names_zh(decided_by))
            by_en = _en_list(_names_en(decided_by))
            return Priority(
                group=group,
                label_zh=f"第{group}优先组：{label_zh}",
                label_en=f"Priority group {group}: {label_en}",
                explanation_zh=f"因属于{by_zh}，列第{group}优先组（{order_zh}）；同组按申请时间先后安置",
                explanation_en=(
                    f"In priority group {group} because: {by_en} (order: {order_en}); ties go by application time"
                ),
            )
    group = len(_PRIORITY_GROUPS) + 1
    if categories:
        why_zh = f"属于{_zh_list(_names_zh(categories))}，不在优先群体内"
        why_en = f"{_en_list(_names_en(categories))}: not a priority group"
    else:
        why_zh = "未认定安置对象类别"
        why_en = "no target group established"
    return Priority(
        group=group,
        label_zh=f"第{group}组：其他安置对象",
        label_en=f"Group {group}: other target groups",
        explanation_zh=f"{why_zh}，列第{group}组（{order_zh}）；同组按申请时间先后安置",
        explanation_en=f"In group {group}, {why_en} (order: {order_en}); ties go by application time",
    )


def _overall(criteria: tuple[Criterion, ...]) -> Status:
    statuses = {c.status for c in criteria}
    if Status.FAILED in statuses:
        return Status.FAILED
    if Status.UNKNOWN in statuses:
        return Status.UNKNOWN
    return Status.PASSED


def decide(candidate: Candidate, batch: Batch, params: Params, *, on: date) -> Decision:
    """Decide whether ``candidate`` may be placed in a post of ``batch`` starting on ``on``.

    Every criterion of :data:`CRITERIA` is evaluated (none is skipped when an earlier one
    fails) so the decision explains all of them. ``categories`` are the categories that hold;
    ``priority`` is computed from them whatever the status; ``planned_end`` is the last day
    of the subsidy for a placement starting on ``on`` (``None`` when there is no positive
    period); ``placement_number`` is which placement this would be (earlier ones + 1).
    """
    scheme = _scheme_param(params.retirement_scheme)
    retirement = statutory_retirement(candidate.birth_date, candidate.retirement_track, scheme)
    assessment = _assess_categories(candidate, params, on)
    period, end = _subsidy_period(candidate, params, on)
    criteria = (
        _working_age(candidate, params, retirement, on),
        _willing_able(candidate),
        _target_group(params, assessment),
        _hukou_type(candidate, batch),
        _placements(candidate, params, assessment, on),
        period,
        _no_double_post(candidate),
    )
    return Decision(
        on=on,
        status=_overall(criteria),
        criteria=criteria,
        categories=assessment.holds,
        priority=_priority(assessment.holds),
        planned_end=end,
        placement_number=len(candidate.placements) + 1,
    )


def priority_sort_key(decision: Decision | int, applied_at: datetime) -> tuple[int, datetime]:
    """Sort key for placing applicants: priority group first, then earlier application first.

    ``decision`` may also be the priority group itself, as recorded with the decision at qualification."""
    group = decision if isinstance(decision, int) else decision.priority.group
    return (group, applied_at)
