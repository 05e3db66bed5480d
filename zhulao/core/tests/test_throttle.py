"""The one throttle: counters are database rows in fixed windows, shared by every app process."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from zhulao.core import periodic, throttle
from zhulao.core.models import RateCounter

LIMIT = throttle.Limit("test_scope", 3, timedelta(minutes=10))
NOON = datetime(2026, 3, 2, 12, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _at(moment: datetime):
    return mock.patch("zhulao.core.clock.now", return_value=moment)


def test_hits_count_up_in_one_row_per_window_and_key(db):
    # when
    with _at(NOON):
        counts = [throttle.hit(LIMIT, "10.0.0.1") for _ in range(3)]
        other = throttle.hit(LIMIT, "10.0.0.2")
    # then
    assert counts == [1, 2, 3]
    assert other == 1
    assert RateCounter.objects.filter(scope="test_scope").count() == 2
    assert not RateCounter.objects.filter(key__contains="10.0.0").exists()  # a keyed hash, never the address


def test_check_refuses_at_the_limit_with_the_seconds_left_in_the_window(db):
    # given
    with _at(NOON):
        for _ in range(3):
            throttle.hit(LIMIT, "10.0.0.1")
        # when / then
        with pytest.raises(throttle.Throttled) as refused:
            throttle.check(LIMIT, "10.0.0.1")
        throttle.check(LIMIT, "10.0.0.2")  # another key is free
    assert refused.value.code == "throttled"
    assert refused.value.retry_after == 570  # the window is 12:00-12:10
    # when: the next window
    with _at(NOON + timedelta(minutes=10)):
        throttle.check(LIMIT, "10.0.0.1")


def test_hit_or_refuse_counts_the_refused_attempt_too(db):
    with _at(NOON):
        for _ in range(3):
            throttle.hit_or_refuse(LIMIT, throttle.GLOBAL)
        with pytest.raises(throttle.Throttled):
            throttle.hit_or_refuse(LIMIT, throttle.GLOBAL)
        assert throttle.count(LIMIT, throttle.GLOBAL) == 4


def test_clean_deletes_only_old_windows_and_is_a_periodic_job(db):
    # given: a window from three days ago and one from now
    with _at(NOON - timedelta(days=3)):
        throttle.hit(LIMIT, "a")
    with _at(NOON):
        throttle.hit(LIMIT, "a")
        # when
        out = StringIO()
        call_command("clean_rate_counters", stdout=out)
    # then
    assert RateCounter.objects.count() == 1
    assert "deleted: 1" in out.getvalue()
    assert "clean_rate_counters" in [job.command for job in periodic.PERIODIC_JOBS]
