"""Statutory retirement age after the 2025 reform (渐进式延迟法定退休年龄).

Basis: 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》 (in force 2025-01-01) and
国发〔2024〕18号. See POLICY.md section 3.

For each track the statutory age is the original age plus a delay: one extra month for every
``months_per_step`` months of birth after the reform start, capped at ``max_delay_months``.
The figures are policy data: they come in through :class:`RetirementScheme` (stored in the
dated policy table as JSON, see :meth:`RetirementScheme.from_mapping`), never as literals
here.

Which track applies to a woman (50 = worker post, 55 = cadre/technical post) cannot be read
from the ID number; the caller stores it per person.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from zhulao.rules.dates import add_months, full_years_between

__all__ = [
    "Retirement",
    "RetirementScheme",
    "RetirementTrack",
    "TrackRule",
    "is_before_retirement",
    "months_to_retirement",
    "statutory_retirement",
    "years_to_retirement",
]


class RetirementTrack(StrEnum):
    """Retirement category: men, women with original age 50 (工人), women with 55 (干部)."""

    MALE = "male"
    FEMALE_50 = "female50"
    FEMALE_55 = "female55"


@dataclass(frozen=True)
class TrackRule:
    """Parameters of one track: original age, months of birth per extra month, delay cap."""

    original_age_years: int
    months_per_step: int
    max_delay_months: int

    def __post_init__(self) -> None:
        if self.original_age_years <= 0:
            raise ValueError("original_age_years must be positive")
        if self.months_per_step <= 0:
            raise ValueError("months_per_step must be positive")
        if self.max_delay_months < 0:
            raise ValueError("max_delay_months must not be negative")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TrackRule:
        """Build a rule from ``{"original_age_years": .., "months_per_step": .., "max_delay_months": ..}``."""
        try:
            return cls(
                original_age_years=_as_int(data["original_age_years"], "original_age_years"),
                months_per_step=_as_int(data["months_per_step"], "months_per_step"),
                max_delay_months=_as_int(data["max_delay_months"], "max_delay_months"),
            )
        except KeyError as exc:
            raise ValueError(f"track rule is missing {exc.args[0]!r}") from None

    def to_mapping(self) -> dict[str, int]:
        """The JSON-able form read by :meth:`from_mapping`."""
        return {
            "original_age_years": self.original_age_years,
            "months_per_step": self.months_per_step,
            "max_delay_months": self.max_delay_months,
        }


def _as_int(value: object, name: str) -> int:
    """Accept ints (not bools, not floats) from JSON."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return value


@dataclass(frozen=True)
class RetirementScheme:
    """The reform's parameters: its start date and one :class:`TrackRule` per track.

    ``tracks`` is stored as a read-only mapping and must cover every
    :class:`RetirementTrack`.
    """

    reform_start: date
    tracks: Mapping[RetirementTrack, TrackRule] = field(hash=False)

    def __post_init__(self) -> None:
        tracks = {RetirementTrack(key): rule for key, rule in self.tracks.items()}
        missing = [t.value for t in RetirementTrack if t not in tracks]
        if missing:
            raise ValueError(f"retirement scheme has no rule for: {', '.join(missing)}")
        object.__setattr__(self, "tracks", MappingProxyType(tracks))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RetirementScheme:
        """Build a scheme from its JSON-able form, as stored in the dated policy table::

            {"reform_start": "2025-01-01",
             "tracks": {"male": {"original_age_years": 60, "months_per_step": 4, "max_delay_months": 36},
                        "female50": {...}, "female55": {...}}}

        ``reform_start`` may be an ISO date string or a ``date``. Raises ``ValueError`` on
        missing keys, unknown tracks or non-integer values.
        """
        try:
            raw_start = data["reform_start"]
            raw_tracks = data["tracks"]
        except KeyError as exc:
            raise ValueError(f"retirement scheme is missing {exc.args[0]!r}") from None
        if isinstance(raw_start, date):
            reform_start = raw_start
        elif isinstance(raw_start, str):
            reform_start = date.fromisoformat(raw_start)
        else:
            raise ValueError(f"reform_start must be an ISO date, got {raw_start!r}")
        if not isinstance(raw_tracks, Mapping):
            raise ValueError("tracks must be a mapping of track name to rule")
        tracks: dict[RetirementTrack, TrackRule] = {}
        for key, rule in raw_tracks.items():
            try:
                track = RetirementTrack(key)
            except ValueError:
                raise ValueError(f"unknown retirement track {key!r}") from None
            if not isinstance(rule, Mapping):
                raise ValueError(f"rule for track {key!r} must be a mapping")
            tracks[track] = TrackRule.from_mapping(rule)
        return cls(reform_start=reform_start, tracks=tracks)

    def to_mapping(self) -> dict[str, Any]:
        """The JSON-able form read by :meth:`from_mapping`."""
        return {
            "reform_start": self.reform_start.isoformat(),
            "tracks": {track.value: rule.to_mapping() for track, rule in self.tracks.items()},
        }

    def rule(self, track: RetirementTrack) -> TrackRule:
        """The rule for ``track``."""
        return self.tracks[track]


@dataclass(frozen=True)
class Retirement:
    """A person's statutory retirement: age in months, month of retirement and the exact day.

    ``retire_year``/``retire_month`` is the month in which the person reaches the statutory
    age (the month the official tables list). ``retirement_date`` is the day in that month:
    the birth date plus ``age_months`` months, clamped to the month's last day.
    """

    track: RetirementTrack
    age_months: int
    retire_year: int
    retire_month: int
    retirement_date: date
    delay_months: int

    @property
    def age_years_part(self) -> int:
        """Whole years of the statutory age."""
        return self.age_months // 12

    @property
    def age_months_part(self) -> int:
        """Months beyond the whole years (0..11)."""
        return self.age_months % 12

    @property
    def age_label_zh(self) -> str:
        """E.g. ``"60岁1个月"``, or ``"63岁"`` when there are no extra months."""
        years, months = self.age_years_part, self.age_months_part
        return f"{years}岁{months}个月" if months else f"{years}岁"

    @property
    def age_label_en(self) -> str:
        """E.g. ``"60 years 1 month"``, ``"62 years 11 months"``, or ``"63 years"``."""
        years, months = self.age_years_part, self.age_months_part
        if not months:
            return f"{years} years"
        return f"{years} years {months} month{'s' if months != 1 else ''}"


def statutory_retirement(birth_date: date, track: RetirementTrack, scheme: RetirementScheme) -> Retirement:
    """Compute the statutory retirement of a person born on ``birth_date`` on ``track``.

    With ``age0``, ``N`` and ``max`` from the track's rule and ``by``/``bm`` the birth year and
    month::

        n = (by + age0 - reform_start.year) * 12 + bm - (reform_start.month - 1)
        delay = 0 if n <= 0 else min(ceil(n / N), max)
        age_months = age0 * 12 + delay
        retirement month = birth month + age0 years + delay months

    ``n`` is 1 for someone who reaches the original age in the reform's first month.

    ``retirement_date`` is the day the person reaches the statutory age: ``birth_date``
    plus ``age_months`` months, with the day clamped to the last day of the month (born on
    31 August, retiring in a 30-day month → the 30th). The law fixes the retirement month,
    not the day; using the birthday inside that month is this module's choice, so that
    "before retirement" means "younger than the statutory age".
    """
    rule = scheme.rule(track)
    age0 = rule.original_age_years
    start = scheme.reform_start
    n = (birth_date.year + age0 - start.year) * 12 + birth_date.month - (start.month - 1)
    delay = 0 if n <= 0 else min(math.ceil(n / rule.months_per_step), rule.max_delay_months)
    age_months = age0 * 12 + delay
    retirement_date = add_months(birth_date, age_months)
    return Retirement(
        track=track,
        age_months=age_months,
        retire_year=retirement_date.year,
        retire_month=retirement_date.month,
        retirement_date=retirement_date,
        delay_months=delay,
    )


def is_before_retirement(birth_date: date, track: RetirementTrack, scheme: RetirementScheme, on: date) -> bool:
    """True when ``on`` is before the statutory retirement date (the person is still of working age)."""
    return on < statutory_retirement(birth_date, track, scheme).retirement_date


def years_to_retirement(birth_date: date, track: RetirementTrack, scheme: RetirementScheme, on: date) -> int:
    """Whole years from ``on`` until the retirement date; 0 once it is reached.

    ``years_to_retirement(...) < 5`` is the "less than 5 years from retirement" test of the
    subsidy period rule (POLICY.md §1.4): it holds exactly when the retirement date is
    before the fifth anniversary of ``on``.
    """
    retirement_date = statutory_retirement(birth_date, track, scheme).retirement_date
    if on >= retirement_date:
        return 0
    return full_years_between(on, retirement_date)


def months_to_retirement(birth_date: date, track: RetirementTrack, scheme: RetirementScheme, on: date) -> int:
    """Whole months from ``on`` until the retirement date; 0 once it is reached."""
    retirement_date = statutory_retirement(birth_date, track, scheme).retirement_date
    if on >= retirement_date:
        return 0
    months = (retirement_date.year - on.year) * 12 + retirement_date.month - on.month
    if add_months(on, months) > retirement_date:
        months -= 1
    return months
