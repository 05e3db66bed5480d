"""Resolving dated parameters, and the derived values services pass into ``zhulao.rules``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao.core.exceptions import DomainError
from zhulao.policy.models import PolicyParameter
from zhulao.rules.retirement import RetirementScheme
from zhulao.rules.workdays import WorkCalendar


@dataclass(frozen=True)
class Resolved:
    """A value with where it came from: for 'why' explanations."""

    key: str
    value: Any
    effective_from: date
    region_prefix: str
    source: str
    confidence: str
    parameter_id: int
    document_title: str = ""
    document_number: str = ""
    document_date: date | None = None

    @classmethod
    def of(cls, row: PolicyParameter) -> Resolved:
        return cls(
            row.key,
            row.value,
            row.effective_from,
            row.region_prefix,
            row.source,
            row.confidence,
            row.pk,
            row.document_title,
            row.document_number,
            row.document_date,
        )

    def cite(self) -> str:
        return f"{self.key} = {self.value} ({self.effective_from.isoformat()}, {self.confidence}; {self.source})"


class PolicyMissing(DomainError):
    pass


def _region_code(region: Any) -> str:
    if region is None:
        return ""
    return str(getattr(region, "code", region))


def _candidate_prefixes(code: str) -> list[str]:
    return [""] + [code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n]


def resolve(key: str, *, region: Any = None, on: date | None = None) -> Resolved:
    """The row for ``key`` with the most specific matching prefix and the latest date on or before ``on``."""
    on = on or timezone.localdate()
    code = _region_code(region)
    row = (
        PolicyParameter.objects.filter(key=key, effective_from__lte=on, region_prefix__in=_candidate_prefixes(code))
        .annotate(prefix_len=Length("region_prefix"))
        .order_by("-prefix_len", "-effective_from", "-id")
        .first()
    )
    if row is None:
        raise PolicyMissing(
            "policy_missing",
            _("No value of policy parameter %(key)s applies to region %(region)s on %(date)s.")
            % {"key": key, "region": code or "*", "date": on.isoformat()},
        )
    return Resolved.of(row)


def value(key: str, *, region: Any = None, on: date | None = None) -> Any:
    return resolve(key, region=region, on=on).value


def history(key: str, *, region_prefix: str | None = None) -> list[PolicyParameter]:
    rows = PolicyParameter.objects.filter(key=key).select_related("recorded_by")
    if region_prefix is not None:
        rows = rows.filter(region_prefix=region_prefix)
    return list(rows.order_by("region_prefix", "-effective_from", "-id"))


def min_wage_monthly(*, region: Any, on: date | None = None) -> tuple[Decimal, list[Resolved]]:
    """The legal monthly minimum wage at ``region`` on ``on``, with the two rows that decided it."""
    tier = resolve("min_wage.tier", region=region, on=on)
    tiers = resolve("min_wage.monthly_tiers", region=region, on=on)
    try:
        amount = Decimal(str(tiers.value[str(tier.value)]))
    except KeyError as exc:
        raise PolicyMissing(
            "policy_missing", _("The minimum-wage table has no tier %(tier)s.") % {"tier": tier.value}
        ) from exc
    return amount, [tier, tiers]


def programme_wage(*, region: Any, on: date | None = None) -> tuple[Decimal, list[Resolved]]:
    """The helper's monthly wage: the legal minimum, or the programme override — never below the minimum."""
    minimum, cited = min_wage_monthly(region=region, on=on)
    rule = resolve("programme.wage", region=region, on=on)
    override = rule.value.get("override")
    amount = max(minimum, Decimal(str(override))) if override is not None else minimum
    return amount, [*cited, rule]


def retirement_scheme(*, on: date | None = None) -> RetirementScheme:
    return RetirementScheme.from_mapping(value("retirement.scheme", on=on))


def work_calendar(*, years: range | list[int], region: Any = None) -> WorkCalendar:
    """Holidays and adjusted working days for ``years`` (a missing year is an error, not a guess)."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    for year in years:
        data = value(f"calendar.{year}", region=region, on=date(year, 12, 31))
        holidays.update(date.fromisoformat(d) for d in data["holidays"])
        workdays.update(date.fromisoformat(d) for d in data["workdays"])
    return WorkCalendar(holidays=frozenset(holidays), adjusted_workdays=frozenset(workdays))
