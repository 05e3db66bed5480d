"""Visit plans: calendar periods, the strictest rule, due / overdue, emergencies, coverage.

Rules come from the POLICY.md §6.3 seed shape of ``eldercare.visit_rules``; the 24-hour
emergency window is passed in as the caller would.
"""

import ast
import inspect
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhulao.rules import visits as visits_module
from zhulao.rules.visits import (
    FOLLOWUP_ONLY,
    Period,
    VisitRule,
    coverage,
    due_status,
    followup_status,
    period_bounds,
    required_visits,
    rules_from_mapping,
)

SEED = {
    "left_behind": {"visits": 1, "period": "month"},
    "widowed_childless": {"visits": 1, "period": "month"},
    "empty_nest": {"visits": 1, "period": "month"},
}
CITE = "eldercare.visit_rules (3506, 2020-01-01, CONFIRMED; POLICY §6.3)"
RULES = rules_from_mapping(SEED, cite=CITE)
MONTHLY = RULES["left_behind"]
WEEKLY = VisitRule("high_risk", 1, Period.WEEK)
CST = timezone(timedelta(hours=8))
HOURS = 24


# --- the module itself ----------------------------------------------------------------------


def test_module_is_pure():
    tree = ast.parse(inspect.getsource(visits_module))
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m.startswith("django")]


# --- rules ----------------------------------------------------------------------------------


def test_rules_from_the_seed_mapping():
    assert set(RULES) == set(SEED)
    assert VisitRule("left_behind", 1, Period.MONTH, CITE) == MONTHLY
    assert MONTHLY.period is Period.MONTH


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"x": {"visits": 1}}, "missing 'period'"),
        ({"x": {"period": "month"}}, "missing 'visits'"),
        ({"x": {"visits": 1, "period": "year"}}, "period 'year'"),
        ({"x": {"visits": 0, "period": "month"}}, "positive integer"),
        ({"x": {"visits": True, "period": "month"}}, "positive integer"),
        ({"x": 1}, "must be a mapping"),
    ],
)
def test_rules_from_mapping_rejects_bad_rules(mapping, message):
    with pytest.raises(ValueError, match=message):
        rules_from_mapping(mapping)


def test_strictest_rule_is_the_shortest_period_then_the_most_visits():
    rules = {
        "a": VisitRule("a", 3, Period.QUARTER),
        "b": VisitRule("b", 1, Period.MONTH),
        "c": VisitRule("c", 2, Period.MONTH),
        "d": VisitRule("d", 1, Period.WEEK),
    }
    assert required_visits(["a", "b"], rules) == rules["b"]
    assert required_visits(["a", "b", "c"], rules) == rules["c"]
    assert required_visits(["c", "d", "a"], rules) == rules["d"]
    assert required_visits(["a", "unknown"], rules) == rules["a"]
    assert required_visits(["unknown"], rules) is None
    assert required_visits([], rules) is None


def test_equal_rules_pick_a_stable_category():
    assert required_visits(["left_behind", "empty_nest"], RULES) == required_visits(
        ["empty_nest", "left_behind"], RULES
    )


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "period", "bounds"),
    [
        (date(2025, 1, 31), Period.MONTH, (date(2025, 1, 1), date(2025, 1, 31))),
        (date(2025, 2, 1), Period.MONTH, (date(2025, 2, 1), date(2025, 2, 28))),
        (date(2024, 2, 10), Period.MONTH, (date(2024, 2, 1), date(2024, 2, 29))),
        (date(2000, 2, 29), Period.MONTH, (date(2000, 2, 1), date(2000, 2, 29))),
        (date(2100, 2, 15), Period.MONTH, (date(2100, 2, 1), date(2100, 2, 28))),
        (date(2025, 12, 31), Period.MONTH, (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2026, 1, 1), Period.MONTH, (date(2026, 1, 1), date(2026, 1, 31))),
        # 2025-03-02 is a Sunday, 2025-03-03 a Monday
        (date(2025, 3, 2), Period.WEEK, (date(2025, 2, 24), date(2025, 3, 2))),
        (date(2025, 3, 3), Period.WEEK, (date(2025, 3, 3), date(2025, 3, 9))),
        (date(2025, 12, 31), Period.WEEK, (date(2025, 12, 29), date(2026, 1, 4))),
        (date(2025, 3, 31), Period.QUARTER, (date(2025, 1, 1), date(2025, 3, 31))),
        (date(2025, 4, 1), Period.QUARTER, (date(2025, 4, 1), date(2025, 6, 30))),
        (date(2025, 9, 30), Period.QUARTER, (date(2025, 7, 1), date(2025, 9, 30))),
        (date(2025, 12, 31), Period.QUARTER, (date(2025, 10, 1), date(2025, 12, 31))),
    ],
)
def test_period_bounds(day, period, bounds):
    assert period_bounds(day, period) == bounds


def test_period_bounds_accepts_the_stored_string():
    assert period_bounds(date(2025, 5, 5), "quarter") == (date(2025, 4, 1), date(2025, 6, 30))


@given(st.dates(min_value=date(1900, 1, 8), max_value=date(2200, 12, 24)), st.sampled_from(list(Period)))
def test_period_contains_the_day_and_starts_where_it_should(day, period):
    start, end = period_bounds(day, period)
    assert start <= day <= end
    if period is Period.WEEK:
        assert start.weekday() == 0
        assert (end - start).days == 6
    elif period is Period.MONTH:
        assert start.day == 1
        assert (start.year, start.month) == (end.year, end.month)
        assert (end + timedelta(days=1)).day == 1
    else:
        assert start.day == 1
        assert start.month in {1, 4, 7, 10}
        assert (end + timedelta(days=1)).month in {1, 4, 7, 10}
        assert (end + timedelta(days=1)).day == 1
    assert period_bounds(start, period) == period_bounds(end, period) == (start, end)


# --- due / overdue --------------------------------------------------------------------------


def test_nothing_done_this_month_is_due_by_the_month_end():
    status = due_status(rule=MONTHLY, visits=[date(2025, 1, 15)], today=date(2025, 2, 10))
    assert (status.period_start, status.period_end) == (date(2025, 2, 1), date(2025, 2, 28))
    assert status.required == 1
    assert status.done_in_period == 0
    assert status.remaining == 1
    assert status.due is True
    assert status.overdue is False
    assert status.previous_done == 1
    assert status.next_due_by == date(2025, 2, 28)
    assert status.cite == CITE
    assert "本月（2025年2月1日至2025年2月28日）应走访1次，已走访0次，尚需1次" in status.reason_zh
    assert "This month (2025-02-01 to 2025-02-28) needs 1 visit(s); 0 done" in status.reason_en


def test_a_visit_this_month_clears_due():
    status = due_status(rule=MONTHLY, visits=[date(2025, 1, 15), date(2025, 2, 3)], today=date(2025, 2, 10))
    assert status.done_in_period == 1
    assert status.due is False
    assert status.overdue is False
    assert "已完成" in status.reason_zh


def test_a_visit_on_the_last_day_of_a_month_counts_for_that_month_only():
    jan31 = [date(2025, 1, 31)]
    in_january = due_status(rule=MONTHLY, visits=jan31, today=date(2025, 1, 31))
    assert in_january.done_in_period == 1
    assert in_january.due is False
    in_february = due_status(rule=MONTHLY, visits=jan31, today=date(2025, 2, 1))
    assert in_february.done_in_period == 0
    assert in_february.due is True
    assert in_february.previous_done == 1
    assert in_february.overdue is False


def test_overdue_when_the_previous_month_had_no_visit():
    status = due_status(rule=MONTHLY, visits=[date(2024, 12, 20)], today=date(2025, 2, 3))
    assert status.previous_done == 0
    assert (status.previous_start, status.previous_end) == (date(2025, 1, 1), date(2025, 1, 31))
    assert status.overdue is True
    assert "上月仅走访0次，少于应走访的1次，已逾期" in status.reason_zh


def test_december_rolls_into_the_next_year():
    status = due_status(rule=MONTHLY, visits=[date(2024, 12, 31)], today=date(2025, 1, 5))
    assert (status.previous_start, status.previous_end) == (date(2024, 12, 1), date(2024, 12, 31))
    assert status.overdue is False
    assert status.done_in_period == 0


def test_week_boundary_sunday_to_monday():
    sunday = date(2025, 3, 9)
    status = due_status(rule=WEEKLY, visits=[sunday], today=date(2025, 3, 10))
    assert status.period_start == date(2025, 3, 10)
    assert status.done_in_period == 0
    assert status.previous_done == 1
    assert status.overdue is False
    assert "本周" in status.reason_zh


def test_quarter_rule_counts_visits_across_the_quarter():
    rule = VisitRule("general", 2, Period.QUARTER)
    status = due_status(rule=rule, visits=[date(2025, 4, 1), date(2025, 6, 30)], today=date(2025, 6, 30))
    assert status.done_in_period == 2
    assert status.due is False
    assert status.overdue is True  # nothing in the first quarter


def test_future_visits_are_ignored():
    status = due_status(rule=MONTHLY, visits=[date(2025, 2, 20)], today=date(2025, 2, 10))
    assert status.done_in_period == 0


def test_previous_period_is_not_judged_before_the_rule_applied():
    status = due_status(rule=MONTHLY, visits=[], today=date(2025, 2, 3), since=date(2025, 1, 20))
    assert status.previous_done is None
    assert status.overdue is False
    assert status.due is True
    judged = due_status(rule=MONTHLY, visits=[], today=date(2025, 2, 3), since=date(2025, 1, 1))
    assert judged.overdue is True


# --- emergencies ----------------------------------------------------------------------------


def at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=CST)


#: A February visit, so the previous month is never short in the March emergency tests.
FEB = date(2025, 2, 15)


def test_emergency_deadline_before_the_period_end_wins():
    status = due_status(
        rule=MONTHLY,
        visits=[FEB, date(2025, 3, 2)],
        today=date(2025, 3, 10),
        emergency_at=at(10, 8),
        emergency_window_hours=HOURS,
        now=at(10, 9),
    )
    assert status.done_in_period == 1
    assert status.due is True
    assert status.overdue is False
    assert status.emergency_deadline == at(11, 8)
    assert status.emergency_visited is False
    assert status.next_due_by == date(2025, 3, 11)
    assert "须在24小时内（2025-03-11 08:00前）走访：尚未走访" in status.reason_zh


def test_period_end_wins_when_it_is_sooner_than_the_emergency_deadline():
    status = due_status(
        rule=MONTHLY,
        visits=[],
        today=date(2025, 3, 31),
        emergency_at=at(31, 20),
        emergency_window_hours=HOURS,
        now=at(31, 21),
    )
    assert status.next_due_by == date(2025, 3, 31)


def test_emergency_deadline_passed_without_a_visit_is_overdue():
    status = due_status(
        rule=MONTHLY,
        visits=[FEB, date(2025, 3, 2)],
        today=date(2025, 3, 12),
        emergency_at=at(10, 8),
        emergency_window_hours=HOURS,
        now=at(12, 9),
    )
    assert status.emergency_visited is False
    assert status.overdue is True
    assert status.due is True
    assert "时限已过" in status.reason_zh


def test_a_visit_after_the_emergency_meets_it():
    status = due_status(
        rule=MONTHLY,
        visits=[FEB, at(10, 15)],
        today=date(2025, 3, 10),
        emergency_at=at(10, 8),
        emergency_window_hours=HOURS,
        now=at(10, 16),
    )
    assert status.emergency_visited is True
    assert status.due is False
    assert status.overdue is False
    assert status.next_due_by == date(2025, 3, 31)


def test_a_visit_before_the_emergency_does_not_meet_it():
    status = due_status(
        rule=MONTHLY,
        visits=[FEB, at(10, 7)],
        today=date(2025, 3, 10),
        emergency_at=at(10, 8),
        emergency_window_hours=HOURS,
        now=at(10, 9),
    )
    assert status.emergency_visited is False
    assert status.due is True


def test_a_dated_visit_on_the_emergency_day_counts():
    status = due_status(
        rule=MONTHLY,
        visits=[FEB, date(2025, 3, 10)],
        today=date(2025, 3, 10),
        emergency_at=at(10, 8),
        emergency_window_hours=HOURS,
        now=at(10, 20),
    )
    assert status.emergency_visited is True


def test_a_late_visit_clears_overdue_but_says_it_was_late():
    status = due_status(
        rule=MONTHLY,
        visits=[FEB, at(13, 10)],
        today=date(2025, 3, 13),
        emergency_at=at(10, 8),
        emergency_window_hours=HOURS,
        now=at(13, 11),
    )
    assert status.emergency_visited is True
    assert status.overdue is False
    assert "已超过时限" in status.reason_zh


@pytest.mark.parametrize(
    ("hours", "now", "message"),
    [(None, datetime(2025, 3, 10, 9, tzinfo=UTC), "emergency_window_hours"), (24, None, "now is required")],
)
def test_emergency_needs_a_window_and_now(hours, now, message):
    with pytest.raises(ValueError, match=message):
        due_status(
            rule=MONTHLY,
            visits=[],
            today=date(2025, 3, 10),
            emergency_at=datetime(2025, 3, 10, 8, tzinfo=UTC),
            emergency_window_hours=hours,
            now=now,
        )


# --- coverage -------------------------------------------------------------------------------


def test_coverage():
    assert coverage(3, 2) == Decimal("0.6667")
    assert coverage(8, 1) == Decimal("0.1250")
    assert coverage(5, 5) == Decimal("1.0000")
    assert coverage(5, 0) == Decimal("0.0000")
    assert coverage(0, 0) is None


@pytest.mark.parametrize(("due", "visited"), [(2, 3), (-1, 0), (1, -1)])
def test_coverage_rejects_impossible_counts(due, visited):
    with pytest.raises(ValueError, match="due_elders|visited"):
        coverage(due, visited)


@given(st.integers(1, 10**6).flatmap(lambda due: st.tuples(st.just(due), st.integers(0, due))))
def test_coverage_is_a_share(pair):
    due, visited = pair
    share = coverage(due, visited)
    assert share is not None
    assert Decimal(0) <= share <= Decimal(1)
    assert share == share.quantize(Decimal("0.0001"))


# --- an emergency of an elder without a regular visit rule ----------------------------------------


def test_s16_followup_only_is_due_until_visited_and_overdue_after_the_window():
    emergency = datetime(2026, 3, 10, 8, 0, tzinfo=CST)
    # within the window, not yet visited: due, not overdue
    status = followup_status(
        visits=[], today=date(2026, 3, 10), emergency_at=emergency, emergency_window_hours=HOURS, now=emergency
    )
    assert (status.category, status.due, status.overdue, status.required) == (FOLLOWUP_ONLY, True, False, 0)
    assert status.next_due_by == date(2026, 3, 11)
    assert "须在24小时内" in status.reason_zh
    # a day and a minute later: overdue
    late = emergency + timedelta(hours=HOURS, minutes=1)
    status = followup_status(
        visits=[], today=late.date(), emergency_at=emergency, emergency_window_hours=HOURS, now=late
    )
    assert (status.due, status.overdue) == (True, True)
    assert "已逾期" in status.reason_zh
    # visited on the emergency's day: nothing due
    status = followup_status(
        visits=[date(2026, 3, 10)], today=late.date(), emergency_at=emergency, emergency_window_hours=HOURS, now=late
    )
    assert (status.due, status.overdue, status.emergency_visited) == (False, False, True)


@given(
    minutes_after=st.integers(min_value=0, max_value=5 * 24 * 60),
    visit_offset=st.one_of(st.none(), st.integers(min_value=-3, max_value=5)),
)
def test_s16_followup_only_due_and_overdue_follow_the_visits_and_the_window(minutes_after, visit_offset):
    emergency = datetime(2026, 3, 10, 8, 0, tzinfo=CST)
    now = emergency + timedelta(minutes=minutes_after)
    visits = [] if visit_offset is None else [date(2026, 3, 10) + timedelta(days=visit_offset)]
    status = followup_status(
        visits=visits, today=now.date(), emergency_at=emergency, emergency_window_hours=HOURS, now=now
    )
    visited_after = any(emergency.date() <= v <= now.date() for v in visits)
    assert status.due is (not visited_after)
    assert status.overdue is (not visited_after and now > emergency + timedelta(hours=HOURS))


def test_s16_followup_only_needs_a_positive_window():
    at = datetime(2026, 3, 10, 8, 0, tzinfo=CST)
    with pytest.raises(ValueError, match="positive integer"):
        followup_status(visits=[], today=at.date(), emergency_at=at, emergency_window_hours=0, now=at)
