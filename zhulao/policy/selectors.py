"""Resolving dated parameters, and the derived values services pass into ``zhulao.rules``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import require_action
from zhulao.policy.models import ParameterProposal, PolicyParameter, ProposalStatus
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


@dataclass(frozen=True)
class WouldApply:
    """The value that would apply at one region on one day if a new row were recorded."""

    before: Any  # None when no value applies today
    after: Any
    from_new_row: bool


def resolve_with_new_row(
    key: str, *, codes: list[str], on: date, new_prefix: str, new_value: Any
) -> dict[str, WouldApply]:
    """For each region code: the value in force on ``on``, and the one in force if a row
    (``new_prefix``, effective ``on``, ``new_value``) were added now. Same precedence as :func:`resolve` (the new
    row is the latest recorded); one query for all the codes; writes nothing."""
    rows = list(
        PolicyParameter.objects.filter(key=key, effective_from__lte=on).values_list(
            "region_prefix", "effective_from", "id", "value"
        )
    )
    out: dict[str, WouldApply] = {}
    for code in codes:
        prefixes = set(_candidate_prefixes(code))
        matching = [r for r in rows if r[0] in prefixes]
        best = max(matching, key=lambda r: (len(r[0]), r[1], r[2]), default=None)
        before = best[3] if best is not None else None
        new_wins = code.startswith(new_prefix) and (best is None or len(new_prefix) >= len(best[0]))
        out[code] = WouldApply(before=before, after=new_value if new_wins else before, from_new_row=new_wins)
    return out


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


def _in_scope(user: Any) -> list[ParameterProposal]:
    prefixes = require_action(user, Action.POLICY_EDIT)
    scope = Q(pk__in=[])
    for prefix in prefixes:
        scope |= Q(region_prefix__startswith=prefix)
    return list(ParameterProposal.objects.filter(scope).select_related("proposed_by", "decided_by", "parameter"))


def proposals_for(user: Any, *, decided_limit: int = 20) -> tuple[list[ParameterProposal], list[ParameterProposal]]:
    """The pending proposals inside the user's ``policy.edit`` scope, and the latest decided ones."""
    rows = _in_scope(user)
    pending = [p for p in rows if p.status == ProposalStatus.PENDING]
    decided = [p for p in rows if p.status != ProposalStatus.PENDING][:decided_limit]
    return pending, decided


def get_proposal_for_user(user: Any, proposal_id: int) -> ParameterProposal:
    """One proposal inside the user's scope; 404 outside it (as for every scoped object)."""
    for proposal in _in_scope(user):
        if proposal.pk == proposal_id:
            return proposal
    raise Http404  # outside the scope, or no such proposal
