"""The known parameter keys: what each means, its unit, and how its value is checked.

A key not listed here cannot be stored. Values are JSON; money and rates are strings holding
decimals ("0.16") so that no float ever touches money.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhulao.rules.retirement import RetirementScheme


class InvalidValue(ValueError):
    pass


def _decimal(value: Any, *, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidValue(f"not a decimal number: {value!r}") from exc
    if not number.is_finite() or (low is not None and number < low) or (high is not None and number > high):
        raise InvalidValue(f"out of range: {value!r}")
    return number


def _positive_int(value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValue("a whole number ≥ 0 is required")


def _tiers(value: Any) -> None:
    if not isinstance(value, dict) or not value:
        raise InvalidValue('a mapping of tier → amount is required, e.g. {"1": "2030", "2": "1960"}')
    for tier, amount in value.items():
        if not str(tier).isdigit():
            raise InvalidValue(f"tier must be a number: {tier!r}")
        _decimal(amount, low=Decimal(0))


def _tier(value: Any) -> None:
    _positive_int(value)


def _rates(value: Any) -> None:
    if not isinstance(value, dict) or set(value) != {"employer", "worker"}:
        raise InvalidValue('{"employer": "0.16", "worker": "0.08"} is required')
    for rate in value.values():
        _decimal(rate, low=Decimal(0), high=Decimal(1))


def _programme_wage(value: Any) -> None:
    if not isinstance(value, dict) or value.get("basis") != "min_wage_monthly":
        raise InvalidValue('{"basis": "min_wage_monthly", "override": null or "1720"} is required')
    if value.get("override") is not None:
        _decimal(value["override"], low=Decimal(0))


def _notice_period(value: Any) -> None:
    if not isinstance(value, dict) or value.get("unit") not in {"working_day", "calendar_day"}:
        raise InvalidValue('{"days": 5, "unit": "working_day" | "calendar_day"} is required')
    _positive_int(value.get("days"))


def _retirement(value: Any) -> None:
    try:
        RetirementScheme.from_mapping(value)
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidValue(str(exc)) from exc


def _calendar(value: Any) -> None:
    if not isinstance(value, dict) or set(value) != {"holidays", "workdays"}:
        raise InvalidValue('{"holidays": [ISO dates], "workdays": [ISO dates]} is required')
    for day in [*value["holidays"], *value["workdays"]]:
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError) as exc:
            raise InvalidValue(f"not an ISO date: {day!r}") from exc


def _quota(value: Any) -> None:
    if not isinstance(value, dict) or not value:
        raise InvalidValue('{"service_center": 2, ...} is required')
    for count in value.values():
        _positive_int(count)


def _ages(value: Any) -> None:
    if not isinstance(value, dict) or set(value) != {"male", "female"}:
        raise InvalidValue('{"male": 50, "female": 40} is required')
    for age in value.values():
        _positive_int(age)


def _group_mapping(value: Any) -> None:
    if not isinstance(value, dict) or not value:
        raise InvalidValue('{"托底": ["tekun", "dibao"], ...} is required')
    for categories in value.values():
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise InvalidValue("each group maps to a list of category codes")


def _capability(value: Any) -> None:
    if not isinstance(value, dict) or set(value) != {"risk_event_threshold", "risk_window_days", "stack_raises"}:
        raise InvalidValue('{"risk_event_threshold": 2, "risk_window_days": 30, "stack_raises": true} is required')
    _positive_int(value["risk_event_threshold"])
    _positive_int(value["risk_window_days"])
    if not isinstance(value["stack_raises"], bool):
        raise InvalidValue("stack_raises is true or false")


def _escalation(value: Any) -> None:
    if not isinstance(value, dict) or set(value) != {"helper", "village", "township"}:
        raise InvalidValue('{"helper": 30, "village": 60, "township": 120} (minutes) is required')
    for minutes in value.values():
        _positive_int(minutes)


def _local_rule(value: Any) -> None:
    if value not in {"township", "county", "city", "none"}:
        raise InvalidValue('"township", "county", "city" or "none" is required')


def _female_track(value: Any) -> None:
    if value not in {"female50", "female55"}:
        raise InvalidValue('"female50" or "female55" is required')


def _visit_rules(value: Any) -> None:
    if not isinstance(value, dict):
        raise InvalidValue('{"left_behind": {"visits": 1, "period": "month"}, ...} is required')
    for rule in value.values():
        if not isinstance(rule, dict) or rule.get("period") not in {"week", "month", "quarter"}:
            raise InvalidValue("each rule needs visits and a period of week, month or quarter")
        _positive_int(rule.get("visits"))


@dataclass(frozen=True)
class KeySpec:
    key: str
    label: str | Promise
    unit: str | Promise
    check: Callable[[Any], None]


_SPECS = [
    KeySpec("min_wage.monthly_tiers", _("Monthly minimum wage by tier"), _("yuan / month"), _tiers),
    KeySpec("min_wage.hourly_tiers", _("Hourly minimum wage by tier"), _("yuan / hour"), _tiers),
    KeySpec("min_wage.tier", _("Minimum-wage tier of the area"), _("tier"), _tier),
    KeySpec("programme.wage", _("Programme wage rule"), _("yuan / month"), _programme_wage),
    KeySpec("si.pension", _("Pension insurance rates"), _("share of base"), _rates),
    KeySpec("si.medical", _("Medical insurance rates"), _("share of base"), _rates),
    KeySpec("si.unemployment", _("Unemployment insurance rates"), _("share of base"), _rates),
    KeySpec("si.work_injury", _("Work-injury insurance rates"), _("share of payroll"), _rates),
    KeySpec("placement.max_period_months", _("Longest subsidy period"), _("months"), _positive_int),
    KeySpec("placement.max_count", _("Most placements per person"), _("placements"), _positive_int),
    KeySpec(
        "placement.near_retirement_years",
        _("Years to retirement under which the subsidy runs until retirement"),
        _("years"),
        _positive_int,
    ),
    KeySpec("recruitment.notice_period", _("Public-notice period"), _("days"), _notice_period),
    KeySpec(
        "recruitment.notice_public_retention_days",
        _("Days after a public notice ends during which the public still sees its candidates"),
        _("days"),
        _positive_int,
    ),
    KeySpec("eldercare.visit_rules", _("Visit frequency by elder category"), _("visits"), _visit_rules),
    KeySpec("facility.post_quota", _("Helper posts per facility kind"), _("posts"), _quota),
    KeySpec("retirement.scheme", _("Statutory retirement ages"), _("months"), _retirement),
    KeySpec("eligibility.working_age_min", _("Lowest working age"), _("years"), _positive_int),
    KeySpec("eligibility.urban_older_age", _("Age from which urban residents count as older"), _("years"), _ages),
    KeySpec(
        "eligibility.rural_family_planning_age",
        _("Age from which rural family-planning household members qualify"),
        _("years"),
        _ages,
    ),
    KeySpec(
        "eligibility.long_unemployed_years",
        _("Registered unemployment that counts as long-term"),
        _("years"),
        _positive_int,
    ),
    KeySpec(
        "recruitment.local_placement",
        _("Local placement: where the applicant must be registered, relative to the post"),
        _("level"),
        _local_rule,
    ),
    KeySpec("eldercare.group_mapping", _("Archive groups from the elder categories"), _("categories"), _group_mapping),
    KeySpec("eldercare.advanced_age", _("Age from which an elder counts as advanced age"), _("years"), _positive_int),
    KeySpec("capability.adjustments", _("Capability assessment adjustments"), _("rules"), _capability),
    KeySpec("capability.validity_months", _("Validity of a capability assessment"), _("months"), _positive_int),
    KeySpec("emergency.escalation", _("Emergency acknowledgement deadlines per level"), _("minutes"), _escalation),
    KeySpec("emergency.followup_hours", _("Follow-up visit after an emergency within"), _("hours"), _positive_int),
    KeySpec(
        "confirmation.calls_per_township",
        _("Visits sampled per township each month for a call"),
        _("visits"),
        _positive_int,
    ),
    KeySpec("confirmation.link_days", _("Family confirmation links expire after"), _("days"), _positive_int),
    KeySpec("people.default_female_track", _("Default retirement track for women"), _("track"), _female_track),
]
_CALENDAR_YEARS = range(2019, 2041)

KEYS: dict[str, KeySpec] = {spec.key: spec for spec in _SPECS}
for _year in _CALENDAR_YEARS:
    KEYS[f"calendar.{_year}"] = KeySpec(
        f"calendar.{_year}", _("Statutory holidays and adjusted working days"), _("dates"), _calendar
    )


def check_value(key: str, value: Any) -> None:
    """Raise ``InvalidValue`` (or ``KeyError`` for an unknown key) when ``value`` does not fit."""
    KEYS[key].check(value)
