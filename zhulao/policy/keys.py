"""The known parameter keys: what each means, its unit, and the schema its value must fit.

A key not listed here cannot be stored. Values are JSON; money and rates are strings holding
decimals ("0.16") so that no float ever touches money. Every key has one schema (types, required
fields, bounds, allowed values: ``zhulao.policy.schema``); ``policy.services.parameter_add``, the
only writer of values, refuses a value outside it with the reason. The bounds are the widest values
the sources allow (POLICY.md), e.g. the staffing 2 / 1 / 1 per facility kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from zhulao.policy.schema import (
    Bool,
    Checked,
    Dec,
    Enum,
    Int,
    InvalidValue,
    IsoDate,
    ListOf,
    MapOf,
    Nullable,
    Obj,
    Schema,
)
from zhulao.rules.retirement import RetirementScheme

__all__ = ["KEYS", "InvalidValue", "KeySpec", "check_value", "schema_for"]

# The facility kinds (posts.choices.FacilityKind; a test keeps the two lists equal) and the most posts
# the source allows for each: 养老服务照料中心 2, 社区居家养老服务站 1, 农村幸福院 1 (the seed's 2 / 1 / 1).
POST_QUOTA_BOUNDS = {"service_center": 2, "home_care_station": 1, "happiness_home": 1}
# The elder categories (eldercare.choices.ElderCategory; a test keeps the two lists equal).
ELDER_CATEGORIES = (
    "tekun",
    "dibao",
    "dibao_edge",
    "disabled_care",
    "empty_nest",
    "living_alone",
    "left_behind",
    "widowed_childless",
    "fp_special",
    "severely_disabled",
    "entitled",
    "advanced_age",
)
ARCHIVE_GROUPS = ("托底", "困境", "重点保障")  # eldercare.choices.ARCHIVE_GROUPS
RETIREMENT_TRACKS = ("male", "female50", "female55")
_TIER = r"[1-4]"  # Chinese provinces publish at most four minimum-wage tiers


def _rates(employer_max: str, worker_max: str) -> Obj:
    return Obj({"employer": Dec(Decimal(0), Decimal(employer_max)), "worker": Dec(Decimal(0), Decimal(worker_max))})


def _ages(low: int, high: int) -> Obj:
    return Obj({"male": Int(low, high), "female": Int(low, high)})


def _retirement_rule(value: Any) -> None:
    try:
        RetirementScheme.from_mapping(value)
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidValue(str(exc)) from exc


def _escalation_rule(value: Any) -> None:
    if not value["helper"] <= value["village"] <= value["township"]:
        raise InvalidValue(_gettext("each level's deadline must be at least the one of the level below it"))


def _calendar_rule(value: Any) -> None:
    if set(value["holidays"]) & set(value["workdays"]):
        raise InvalidValue(_gettext("a day cannot be both a holiday and an adjusted working day"))


_WAGE = Dec(Decimal(500), Decimal(10000))
_TRACK_RULE = Obj({"original_age_years": Int(40, 70), "months_per_step": Int(1, 12), "max_delay_months": Int(0, 120)})
_CALENDAR = Checked(
    Obj({"holidays": ListOf(IsoDate(), 0, 60), "workdays": ListOf(IsoDate(), 0, 30)}),
    _calendar_rule,
    "no day in both lists",
)


@dataclass(frozen=True)
class KeySpec:
    key: str
    label: str | Promise
    unit: str | Promise
    schema: Schema
    # A value that drives records (e.g. posts opened) waits for a second administrator's approval.
    needs_approval: bool = False


_SPECS = [
    KeySpec(
        "min_wage.monthly_tiers",
        _("Monthly minimum wage by tier"),
        _("yuan / month"),
        MapOf(_WAGE, key_pattern=_TIER, max_items=4),
    ),
    KeySpec(
        "min_wage.hourly_tiers",
        _("Hourly minimum wage by tier"),
        _("yuan / hour"),
        MapOf(Dec(Decimal(1), Decimal(100)), key_pattern=_TIER, max_items=4),
    ),
    KeySpec("min_wage.tier", _("Minimum-wage tier of the area"), _("tier"), Int(1, 4)),
    KeySpec(
        "programme.wage",
        _("Programme wage rule"),
        _("yuan / month"),
        Obj({"basis": Enum(("min_wage_monthly",)), "override": Nullable(_WAGE)}),
    ),
    KeySpec("si.pension", _("Pension insurance rates"), _("share of base"), _rates("0.20", "0.08")),
    KeySpec("si.medical", _("Medical insurance rates"), _("share of base"), _rates("0.12", "0.03")),
    KeySpec("si.unemployment", _("Unemployment insurance rates"), _("share of base"), _rates("0.02", "0.01")),
    KeySpec("si.work_injury", _("Work-injury insurance rates"), _("share of payroll"), _rates("0.019", "0")),
    KeySpec("placement.max_period_months", _("Longest subsidy period"), _("months"), Int(1, 36)),
    KeySpec("placement.max_count", _("Most placements per person"), _("placements"), Int(1, 2)),
    KeySpec(
        "placement.near_retirement_years",
        _("Years to retirement under which the subsidy runs until retirement"),
        _("years"),
        Int(0, 10),
    ),
    KeySpec(
        "recruitment.notice_period",
        _("Public-notice period"),
        _("days"),
        Obj({"days": Int(3, 30), "unit": Enum(("working_day", "calendar_day"))}),
    ),
    KeySpec(
        "eldercare.visit_rules",
        _("Visit frequency by elder category"),
        _("visits"),
        MapOf(
            Obj({"visits": Int(1, 31), "period": Enum(("week", "month", "quarter"))}),
            keys=ELDER_CATEGORIES,
            min_items=0,
        ),
    ),
    KeySpec(
        "recruitment.notice_public_retention_days",
        _("Days after a public notice ends during which the public still sees its candidates"),
        _("days"),
        Int(0, 3650),
    ),
    KeySpec(
        "facility.post_quota",
        _("Helper posts per facility kind"),
        _("posts"),
        Obj({kind: Int(0, most) for kind, most in POST_QUOTA_BOUNDS.items()}),
        needs_approval=True,
    ),
    KeySpec(
        "retirement.scheme",
        _("Statutory retirement ages"),
        _("months"),
        Checked(
            Obj({"reform_start": IsoDate(), "tracks": MapOf(_TRACK_RULE, keys=RETIREMENT_TRACKS, min_items=3)}),
            _retirement_rule,
        ),
    ),
    KeySpec("eligibility.working_age_min", _("Lowest working age"), _("years"), Int(16, 25)),
    KeySpec(
        "eligibility.urban_older_age", _("Age from which urban residents count as older"), _("years"), _ages(30, 65)
    ),
    KeySpec(
        "eligibility.rural_family_planning_age",
        _("Age from which rural family-planning household members qualify"),
        _("years"),
        _ages(20, 65),
    ),
    KeySpec(
        "eligibility.long_unemployed_years",
        _("Registered unemployment that counts as long-term"),
        _("years"),
        Int(1, 5),
    ),
    KeySpec(
        "recruitment.local_placement",
        _("Local placement: where the applicant must be registered, relative to the post"),
        _("level"),
        Enum(("township", "county", "city", "none")),
    ),
    KeySpec(
        "eldercare.group_mapping",
        _("Archive groups from the elder categories"),
        _("categories"),
        MapOf(ListOf(Enum(ELDER_CATEGORIES), 1, len(ELDER_CATEGORIES)), keys=ARCHIVE_GROUPS),
    ),
    KeySpec("eldercare.advanced_age", _("Age from which an elder counts as advanced age"), _("years"), Int(60, 100)),
    KeySpec(
        "capability.adjustments",
        _("Capability assessment adjustments"),
        _("rules"),
        Obj({"risk_event_threshold": Int(1, 20), "risk_window_days": Int(1, 365), "stack_raises": Bool()}),
    ),
    KeySpec("capability.validity_months", _("Validity of a capability assessment"), _("months"), Int(1, 36)),
    KeySpec(
        "emergency.escalation",
        _("Emergency acknowledgement deadlines per level"),
        _("minutes"),
        Checked(
            Obj({"helper": Int(1, 1440), "village": Int(1, 1440), "township": Int(1, 2880)}),
            _escalation_rule,
            "helper ≤ village ≤ township",
        ),
    ),
    KeySpec("emergency.followup_hours", _("Follow-up visit after an emergency within"), _("hours"), Int(1, 168)),
    KeySpec(
        "confirmation.calls_per_township",
        _("Visits sampled per township each month for a call"),
        _("visits"),
        Int(0, 200),
    ),
    KeySpec("confirmation.link_days", _("Family confirmation links expire after"), _("days"), Int(1, 30)),
    KeySpec(
        "people.default_female_track",
        _("Default retirement track for women"),
        _("track"),
        Enum(("female50", "female55")),
    ),
]
_CALENDAR_YEARS = range(2019, 2041)

KEYS: dict[str, KeySpec] = {spec.key: spec for spec in _SPECS}
for _year in _CALENDAR_YEARS:
    KEYS[f"calendar.{_year}"] = KeySpec(
        f"calendar.{_year}", _("Statutory holidays and adjusted working days"), _("dates"), _CALENDAR
    )


def schema_for(key: str) -> Schema:
    """The schema of ``key`` (``KeyError`` for an unknown key)."""
    return KEYS[key].schema


def check_value(key: str, value: Any) -> None:
    """Raise ``InvalidValue`` (with the reason in words) or ``KeyError`` (unknown key) when ``value`` does not fit."""
    KEYS[key].schema.check(value)


def post_quota_bound(kind: str) -> int:
    """The most posts the schema allows a facility of ``kind``: what the post sync may never exceed."""
    return POST_QUOTA_BOUNDS[kind]
