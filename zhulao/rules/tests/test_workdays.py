"""Working-day arithmetic for public-notice periods."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhulao.rules.workdays import WorkCalendar, add_working_days, working_days_between

NO_HOLIDAYS = WorkCalendar(holidays=frozenset(), adjusted_workdays=frozenset())

# 2025 National Day + Mid-Autumn: 1–8 October off; Sunday 28 Sept and Saturday 11 Oct worked.
NATIONAL_DAY_2025 = WorkCalendar(
    holidays=frozenset(date(2025, 10, d) for d in range(1, 9)),
    adjusted_workdays=frozenset({date(2025, 9, 28), date(2025, 10, 11)}),
)


def test_five_days_from_a_monday_end_on_friday():
    assert add_working_days(date(2025, 6, 9), 5, NO_HOLIDAYS) == date(2025, 6, 13)


def test_one_day_from_a_working_day_is_that_day():
    assert add_working_days(date(2025, 6, 9), 1, NO_HOLIDAYS) == date(2025, 6, 9)


def test_counting_from_a_weekend_starts_on_monday():
    assert add_working_days(date(2025, 6, 7), 1, NO_HOLIDAYS) == date(2025, 6, 9)
    assert add_working_days(date(2025, 6, 7), 5, NO_HOLIDAYS) == date(2025, 6, 13)


def test_five_days_from_the_thursday_before_national_day_2025():
    # Thu 25 Sep (1), Fri 26 (2), Sat 27 off, Sun 28 adjusted working day (3), Mon 29 (4), Tue 30 (5)
    assert add_working_days(date(2025, 9, 25), 5, NATIONAL_DAY_2025) == date(2025, 9, 30)


def test_a_period_running_into_national_day_2025_skips_the_holiday():
    # ... Tue 30 Sep (5), 1–8 Oct holidays, Thu 9 (6), Fri 10 (7), Sat 11 adjusted (8), Mon 13 (9)
    start = date(2025, 9, 25)
    assert add_working_days(start, 6, NATIONAL_DAY_2025) == date(2025, 10, 9)
    assert add_working_days(start, 8, NATIONAL_DAY_2025) == date(2025, 10, 11)
    assert add_working_days(start, 9, NATIONAL_DAY_2025) == date(2025, 10, 13)
    assert add_working_days(date(2025, 10, 1), 1, NATIONAL_DAY_2025) == date(2025, 10, 9)


def test_is_working_day():
    assert NATIONAL_DAY_2025.is_working_day(date(2025, 9, 28))  # Sunday, adjusted
    assert not NATIONAL_DAY_2025.is_working_day(date(2025, 10, 1))  # Wednesday, holiday
    assert not NATIONAL_DAY_2025.is_working_day(date(2025, 9, 27))  # Saturday
    assert NATIONAL_DAY_2025.is_working_day(date(2025, 10, 9))


def test_working_days_between():
    assert working_days_between(date(2025, 9, 25), date(2025, 10, 13), NATIONAL_DAY_2025) == 9
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 8), NATIONAL_DAY_2025) == 0
    assert working_days_between(date(2025, 6, 9), date(2025, 6, 9), NO_HOLIDAYS) == 1
    assert working_days_between(date(2025, 6, 10), date(2025, 6, 9), NO_HOLIDAYS) == 0


@pytest.mark.parametrize("n", [0, -1])
def test_n_must_be_positive(n):
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2025, 6, 9), n, NO_HOLIDAYS)


def test_a_day_cannot_be_both_holiday_and_adjusted_workday():
    day = date(2025, 9, 28)
    with pytest.raises(ValueError, match="both holidays"):
        WorkCalendar(holidays=frozenset({day}), adjusted_workdays=frozenset({day}))


day_range = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def calendars(draw):
    holidays = draw(st.frozensets(day_range, max_size=40))
    weekend = [d for d in draw(st.frozensets(day_range, max_size=10)) if d.weekday() >= 5]
    return WorkCalendar(holidays=holidays, adjusted_workdays=frozenset(weekend) - holidays)


@given(start=day_range, n=st.integers(min_value=1, max_value=30), calendar=calendars())
def test_result_is_a_working_day_and_counts_back_to_n(start, n, calendar):
    end = add_working_days(start, n, calendar)
    assert calendar.is_working_day(end)
    assert end >= start
    # n working days from start to end, and end is the n-th (not a later one)
    assert working_days_between(start, end, calendar) == n
    assert working_days_between(start, end - timedelta(days=1), calendar) == n - 1
