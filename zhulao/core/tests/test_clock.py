"""The one clock-freezing helper: inside the block the platform clock stands still, after it runs again."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.utils import timezone

from zhulao.core import clock


def test_frozen_stops_today_and_now_at_the_local_moment_and_lets_go_after():
    # when
    with clock.frozen(date(2025, 2, 3), time(7, 30)):
        today, now = clock.today(), clock.now()
    # then
    assert today == date(2025, 2, 3)
    assert (timezone.localdate(now), timezone.localtime(now).time()) == (date(2025, 2, 3), time(7, 30))
    assert clock.today() != date(2025, 2, 3)


def test_frozen_at_a_moment_gives_its_local_day():
    moment = datetime(2025, 2, 3, 20, 0, tzinfo=UTC)  # 4 February, 04:00 in Zhangzhou
    with clock.frozen_at(moment):
        assert (clock.today(), clock.now()) == (date(2025, 2, 4), moment)
