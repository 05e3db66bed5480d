"""Activities cadence (S18) and facility operation figures with a before/after comparison (S3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest

from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.eldercare.services import operations
from zhulao.posts.tests import factories as posts_factories


@pytest.fixture
def today():
    with patch("zhulao.core.clock.today", return_value=date(2026, 6, 30)):
        yield date(2026, 6, 30)


@pytest.fixture
def station(policy, regions, civil_affairs_a, today):
    return posts_factories.make_facility(civil_affairs_a, regions["village_a"], kind="home_care_station")


def test_s3_operating_rate_and_hours_before_and_after(station, civil_affairs_a, regions, today):
    # given: closed in the 10 days before 2026-06-10, open 8 h a day after it
    for i in range(1, 11):
        operations.day_log_record(
            actor=civil_affairs_a, facility=station, day=date(2026, 6, 10) - timedelta(days=i), hours_open=Decimal(0)
        )
    for i in range(10):
        operations.day_log_record(
            actor=civil_affairs_a, facility=station, day=date(2026, 6, 10) + timedelta(days=i), hours_open=Decimal(8)
        )
    # when
    before, after = operations.before_after(user=civil_affairs_a, prefix="350602", pivot=date(2026, 6, 10), days=10)
    # then
    assert (before.facilities, before.operating, before.operating_rate) == (1, 0, Decimal(0))
    assert (after.operating, after.operating_rate, after.avg_daily_hours) == (1, Decimal(1), Decimal("8.00"))


def test_s3_day_log_bad_input(station, civil_affairs_a, civil_affairs_b, today):
    operations.day_log_record(actor=civil_affairs_a, facility=station, day=today, hours_open=Decimal(6))
    with pytest.raises(DomainError):
        operations.day_log_record(actor=civil_affairs_a, facility=station, day=today, hours_open=Decimal(6))
    with pytest.raises(DomainError):
        operations.day_log_record(
            actor=civil_affairs_a, facility=station, day=today + timedelta(days=1), hours_open=Decimal(6)
        )
    with pytest.raises(DomainError):
        operations.day_log_record(actor=civil_affairs_a, facility=station, day=date(2026, 6, 1), hours_open=Decimal(25))
    with pytest.raises(Forbidden):
        operations.day_log_record(actor=civil_affairs_b, facility=station, day=date(2026, 6, 2), hours_open=Decimal(6))


def test_s18_cadence_every_day_every_week_and_a_theme(station, civil_affairs_a, today):
    month = date(2026, 6, 1)
    for i in range(30):
        operations.activity_record(
            actor=civil_affairs_a, facility=station, kind="daily", held_on=month + timedelta(days=i), title="健身操"
        )
    for monday in (date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15), date(2026, 6, 22), date(2026, 6, 29)):
        operations.activity_record(
            actor=civil_affairs_a,
            facility=station,
            kind="weekly_welfare",
            held_on=monday,
            title="义诊",
            partner="乡镇卫生院",
        )
    result = operations.cadence(facility=station, month_start=month)
    assert result["every_day"]
    assert result["every_week"]
    assert not result["theme"]
    operations.activity_record(
        actor=civil_affairs_a, facility=station, kind="monthly_theme", held_on=month, title="端午主题活动"
    )
    assert operations.cadence(facility=station, month_start=month)["theme"]


def test_s3_month_sheet_adds_corrects_and_keeps(station, civil_affairs_a, today):
    # given: one day already logged
    operations.day_log_record(actor=civil_affairs_a, facility=station, day=date(2026, 6, 1), hours_open=Decimal(4))
    sheet = {date(2026, 6, 1): Decimal(8), date(2026, 6, 2): Decimal(8), date(2026, 6, 3): Decimal(0)}
    # when
    result = operations.day_logs_record(actor=civil_affairs_a, facility=station, hours=sheet)
    again = operations.day_logs_record(actor=civil_affairs_a, facility=station, hours=sheet)
    # then
    assert result == {"added": 2, "changed": 1, "unchanged": 0}
    assert again == {"added": 0, "changed": 0, "unchanged": 3}
    logs = dict(station.day_logs.values_list("day", "hours_open"))
    assert logs == sheet


@pytest.mark.parametrize(
    ("day", "hours", "code"),
    [(date(2026, 7, 1), Decimal(8), "future_date"), (date(2026, 6, 2), Decimal(25), "invalid_hours")],
)
def test_s3_month_sheet_with_one_bad_day_saves_nothing(station, civil_affairs_a, today, day, hours, code):
    sheet = {date(2026, 6, 1): Decimal(8), day: hours}
    with pytest.raises(DomainError) as exc:
        operations.day_logs_record(actor=civil_affairs_a, facility=station, hours=sheet)
    assert exc.value.code == code
    assert day.isoformat() in str(exc.value)
    assert not station.day_logs.exists()


def test_s3_month_sheet_out_of_scope_is_refused(station, make_user, today):
    other = make_user("village_employer", "village_b")
    with pytest.raises(Forbidden):
        operations.day_logs_record(actor=other, facility=station, hours={date(2026, 6, 1): Decimal(8)})
