"""Statutory retirement after the 2025 reform: every anchor point of POLICY.md §3, and properties."""

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhulao.rules.retirement import (
    RetirementScheme,
    RetirementTrack,
    TrackRule,
    is_before_retirement,
    months_to_retirement,
    statutory_retirement,
    years_to_retirement,
)

# The values cited in POLICY.md §3, in the JSON form the dated policy table stores.
POLICY_SCHEME_DATA: dict[str, Any] = {
    "reform_start": "2025-01-01",
    "tracks": {
        "male": {"original_age_years": 60, "months_per_step": 4, "max_delay_months": 36},
        "female50": {"original_age_years": 50, "months_per_step": 2, "max_delay_months": 60},
        "female55": {"original_age_years": 55, "months_per_step": 4, "max_delay_months": 36},
    },
}
SCHEME = RetirementScheme.from_mapping(POLICY_SCHEME_DATA)

MALE = RetirementTrack.MALE
F50 = RetirementTrack.FEMALE_50
F55 = RetirementTrack.FEMALE_55


# Retirement months not given in the POLICY table were computed by hand as
# birth month + statutory age (e.g. 1976-08 + 62y11m = 2039-07).
@pytest.mark.parametrize(
    ("track", "birth_year", "birth_month", "years", "months", "retires"),
    [
        (MALE, 1964, 12, 60, 0, (2024, 12)),
        (MALE, 1965, 1, 60, 1, (2025, 2)),
        (MALE, 1965, 4, 60, 1, (2025, 5)),
        (MALE, 1965, 5, 60, 2, (2025, 7)),
        (MALE, 1976, 8, 62, 11, (2039, 7)),
        (MALE, 1976, 9, 63, 0, (2039, 9)),
        (F50, 1975, 1, 50, 1, (2025, 2)),
        (F50, 1975, 3, 50, 2, (2025, 5)),
        (F50, 1984, 11, 55, 0, (2039, 11)),
        (F55, 1970, 1, 55, 1, (2025, 2)),
        (F55, 1981, 9, 58, 0, (2039, 9)),
    ],
)
@pytest.mark.parametrize("birth_day", [1, 15, 28])
def test_policy_anchor_points(track, birth_year, birth_month, years, months, retires, birth_day):
    # when
    result = statutory_retirement(date(birth_year, birth_month, birth_day), track, SCHEME)
    # then
    assert result.age_months == years * 12 + months
    assert result.delay_months == result.age_months - SCHEME.tracks[track].original_age_years * 12
    assert (result.retire_year, result.retire_month) == retires
    assert result.retirement_date == date(retires[0], retires[1], birth_day)


@pytest.mark.parametrize(
    ("track", "birth_year", "birth_month"),
    [(MALE, 1990, 1), (MALE, 2000, 6), (F50, 1990, 1), (F55, 1990, 12)],
)
def test_later_births_get_the_final_age(track, birth_year, birth_month):
    rule = SCHEME.tracks[track]
    result = statutory_retirement(date(birth_year, birth_month, 1), track, SCHEME)
    assert result.delay_months == rule.max_delay_months


def test_retirement_date_is_the_birthday_clamped_to_month_end():
    # born 31 Aug 1966 (n = 20 → 5 months' delay): 60y5m lands in January 2027 (31 days)
    assert statutory_retirement(date(1966, 8, 31), MALE, SCHEME).retirement_date == date(2027, 1, 31)
    # born 31 Mar 1975, female50: n = 3 → 2 months → 50y2m in May 2025; born 31 Dec 1974 → Feb 2025
    assert statutory_retirement(date(1975, 3, 31), F50, SCHEME).retirement_date == date(2025, 5, 31)
    assert statutory_retirement(date(1974, 12, 31), F50, SCHEME).retirement_date == date(2024, 12, 31)
    # born 31 Jan 1965, man: 60y1m → February 2025, clamped to the 28th
    assert statutory_retirement(date(1965, 1, 31), MALE, SCHEME).retirement_date == date(2025, 2, 28)


def test_age_labels():
    assert statutory_retirement(date(1965, 1, 1), MALE, SCHEME).age_label_zh == "60岁1个月"
    assert statutory_retirement(date(1965, 1, 1), MALE, SCHEME).age_label_en == "60 years 1 month"
    assert statutory_retirement(date(1976, 8, 1), MALE, SCHEME).age_label_en == "62 years 11 months"
    assert statutory_retirement(date(1990, 1, 1), MALE, SCHEME).age_label_zh == "63岁"
    assert statutory_retirement(date(1990, 1, 1), MALE, SCHEME).age_label_en == "63 years"


def test_is_before_retirement_switches_on_the_retirement_date():
    birth = date(1965, 5, 10)  # 60y2m → 2025-07-10
    assert is_before_retirement(birth, MALE, SCHEME, date(2025, 7, 9))
    assert not is_before_retirement(birth, MALE, SCHEME, date(2025, 7, 10))


def test_years_and_months_to_retirement():
    birth = date(1965, 5, 10)  # retires 2025-07-10
    assert years_to_retirement(birth, MALE, SCHEME, date(2020, 7, 10)) == 5
    assert years_to_retirement(birth, MALE, SCHEME, date(2020, 7, 11)) == 4
    assert years_to_retirement(birth, MALE, SCHEME, date(2030, 1, 1)) == 0
    assert months_to_retirement(birth, MALE, SCHEME, date(2025, 5, 10)) == 2
    assert months_to_retirement(birth, MALE, SCHEME, date(2025, 5, 11)) == 1
    assert months_to_retirement(birth, MALE, SCHEME, date(2025, 7, 10)) == 0


def test_scheme_round_trips_through_mapping():
    assert SCHEME.to_mapping() == POLICY_SCHEME_DATA
    assert RetirementScheme.from_mapping(SCHEME.to_mapping()) == SCHEME
    assert SCHEME.tracks[MALE] == TrackRule(60, 4, 36)


def test_scheme_parameters_drive_the_result():
    # a different (hypothetical) scheme must change the result: nothing is hard-coded
    data = {**POLICY_SCHEME_DATA, "reform_start": "2026-01-01"}
    later = RetirementScheme.from_mapping(data)
    assert statutory_retirement(date(1965, 1, 1), MALE, later).age_months == 60 * 12


@pytest.mark.parametrize(
    "data",
    [
        {"tracks": POLICY_SCHEME_DATA["tracks"]},
        {"reform_start": "2025-01-01", "tracks": {"male": POLICY_SCHEME_DATA["tracks"]["male"]}},
        {"reform_start": "2025-01-01", "tracks": {**POLICY_SCHEME_DATA["tracks"], "female60": {}}},
        {
            "reform_start": "2025-01-01",
            "tracks": {
                **POLICY_SCHEME_DATA["tracks"],
                "male": {"original_age_years": "60", "months_per_step": 4, "max_delay_months": 36},
            },
        },
        {
            "reform_start": "2025-01-01",
            "tracks": {**POLICY_SCHEME_DATA["tracks"], "male": {"original_age_years": 60}},
        },
    ],
)
def test_bad_scheme_data_is_rejected(data):
    with pytest.raises(ValueError, match="missing|no rule|unknown|integer"):
        RetirementScheme.from_mapping(data)


def test_scheme_tracks_are_read_only():
    with pytest.raises(TypeError):
        SCHEME.tracks[MALE] = TrackRule(65, 1, 0)  # type: ignore[index]


births = st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31))
tracks = st.sampled_from(list(RetirementTrack))


@given(birth=births, track=tracks)
def test_age_stays_between_original_and_final_age(birth, track):
    rule = SCHEME.tracks[track]
    result = statutory_retirement(birth, track, SCHEME)
    assert rule.original_age_years * 12 <= result.age_months
    assert result.age_months <= rule.original_age_years * 12 + rule.max_delay_months
    assert is_before_retirement(birth, track, SCHEME, result.retirement_date) is False


@given(a=births, b=births, track=tracks)
def test_later_birth_never_retires_earlier_or_younger(a, b, track):
    earlier, later = sorted((a, b))
    first = statutory_retirement(earlier, track, SCHEME)
    second = statutory_retirement(later, track, SCHEME)
    assert first.retirement_date <= second.retirement_date
    assert first.age_months <= second.age_months
