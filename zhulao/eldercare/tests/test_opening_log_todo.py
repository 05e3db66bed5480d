"""The workbench reminds whoever runs a facility that yesterday's opening hours are not logged yet (S3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from unittest.mock import patch

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhulao.eldercare.selectors.todos import todo_groups
from zhulao.eldercare.services import operations
from zhulao.posts.choices import FacilityKind
from zhulao.posts.tests import factories as posts_factories

TODAY = date(2026, 6, 30)


@pytest.fixture
def today():
    with patch("zhulao.core.clock.today", return_value=TODAY):
        yield TODAY


@pytest.fixture
def facilities(policy, regions, civil_affairs_a, today):
    station = posts_factories.make_facility(civil_affairs_a, regions["village_a"], kind=FacilityKind.HOME_CARE_STATION)
    center = posts_factories.make_facility(civil_affairs_a, regions["township_a"], kind=FacilityKind.SERVICE_CENTER)
    other = posts_factories.make_facility(civil_affairs_a, regions["village_a2"], kind=FacilityKind.HAPPINESS_HOME)
    return {"station": station, "center": center, "other": other}


def _logs(user):
    return next((g for g in todo_groups(user) if g.kind == "opening_logs"), None)


def test_s3_village_is_reminded_of_its_own_facility_until_yesterday_is_logged(facilities, village_a, today):
    # given: nothing logged
    group = _logs(village_a)
    # then: its station only, with a link to the month's sheet
    assert group is not None
    assert group.count == 1
    assert str(facilities["station"].public_id) in group.items[0]["url"]
    assert group.items[0]["url"].endswith("?month=2026-06")
    # when: yesterday is logged (a closed day counts as logged)
    operations.day_log_record(
        actor=village_a, facility=facilities["station"], day=today - timedelta(days=1), hours_open=Decimal(0)
    )
    # then
    assert _logs(village_a) is None


def test_s3_township_is_reminded_of_its_own_centre_not_of_its_villages(facilities, township_a, today):
    group = _logs(township_a)
    assert group is not None
    assert [i["url"].split("/")[3] for i in group.items] == [str(facilities["center"].public_id)]


def test_s3_no_reminder_above_township_or_for_a_facility_not_operating(
    facilities, civil_affairs_a, village_a, helper_a, today
):
    # county Civil Affairs and helpers get no such to-do
    assert _logs(civil_affairs_a) is None
    assert _logs(helper_a) is None
    # a suspended facility is not reminded
    from zhulao.posts import services as posts_services

    posts_services.facility_set_status(
        actor=civil_affairs_a,
        facility=facilities["station"],
        status="suspended",
        effective_on=today,
        reason="房屋修缮",
    )
    assert _logs(village_a) is None


def test_s3_the_daily_digest_notifies_waiting_to_dos_once_a_day(facilities, village_a, helper_a, today):
    from django.core.management import call_command

    from zhulao.eldercare.models import Notification
    from zhulao.eldercare.services.notifications import TODOS

    # when: the digest runs twice on the same day
    out = StringIO()
    with patch("zhulao.core.clock.now", return_value=datetime(2026, 6, 30, 7, 30, tzinfo=UTC)):
        call_command("notify_todos", stdout=out)
        call_command("notify_todos", stdout=out)
    # then: the village committee (yesterday's opening hours) is told once; the helper has nothing waiting
    notes = Notification.objects.filter(kind=TODOS)
    assert [n.user for n in notes] == [village_a]
    assert notes[0].url == "/"
    label = _("Opening hours to log for yesterday")
    expected = ngettext(
        "%(n)d to-do waits on your workbench: %(kinds)s", "%(n)d to-dos wait on your workbench: %(kinds)s", 1
    ) % {"n": 1, "kinds": f"{label} 1"}
    assert notes[0].title == expected  # in the language the command ran in
    assert "1 users notified" in out.getvalue()
    assert "0 users notified" in out.getvalue()
