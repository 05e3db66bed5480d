"""Visit coverage (S14) says who was not visited and why, stays bounded at city scale, exports to Excel; and
counts the month's emergency follow-ups (S16) made within the policy's hours, checked against the records."""

from __future__ import annotations

import importlib
from datetime import date, datetime, time, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from zhulao import policy as policy_values
from zhulao.core.models import AuditEvent
from zhulao.eldercare import selectors
from zhulao.eldercare.models import ElderArchive, Emergency, Visit
from zhulao.eldercare.services import emergencies
from zhulao.eldercare.tests import factories as f
from zhulao.regions.models import Region
from zhulao.rules import visits as visit_rules

pytestmark = pytest.mark.usefixtures("policy")

COVERAGE_VIEWS = importlib.import_module("zhulao.eldercare.views.coverage")  # the name is shadowed by the view

COVERAGE = reverse("eldercare:coverage")
EXPORT = reverse("eldercare:coverage_export")
TZ = ZoneInfo(settings.TIME_ZONE)
ON = date(2025, 2, 20)  # the day the figures are judged (at its end: it lies in the past)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _emergency(helper, archive, day: date, hour: int) -> Emergency:
    with f.on(day, time(hour)):
        return emergencies.emergency_report(actor=helper, archive=archive, kind="fall", occurred_at=_at(day, hour))


@pytest.fixture
def other_helper(make_user):
    return make_user("helper", "village_a2", username="helper_west")


@pytest.fixture
def month_of_emergencies(regions, township_a, helper_a, other_helper, make_user):
    """Emergencies around February 2025 in the two villages of township A (and one in township B)."""
    east, west = regions["village_a"], regions["village_a2"]

    def elder(village, helper, name, categories=("left_behind",), actor=township_a):
        archive = f.make_elder(village, actor=actor, categories=list(categories), name=name)
        f.pair(archive, helper, actor=actor, day=date(2025, 1, 1))
        return archive

    in_time = elder(east, helper_a, "及时")
    _emergency(helper_a, in_time, date(2025, 2, 3), 10)
    f.visit(helper_a, in_time, date(2025, 2, 4), at=time(9))  # within 24 hours
    late = elder(east, helper_a, "迟到")
    _emergency(helper_a, late, date(2025, 2, 5), 10)
    f.visit(helper_a, late, date(2025, 2, 8))  # three days later: made, not in time
    missed = elder(west, other_helper, "未访")
    _emergency(other_helper, missed, date(2025, 2, 10), 9)  # never visited: the deadline has passed
    pending = elder(west, other_helper, "待访")
    _emergency(other_helper, pending, ON, 8)  # its 24 hours run past the end of the judged day
    earlier = elder(east, helper_a, "上月")
    _emergency(helper_a, earlier, date(2025, 1, 28), 10)  # last month: not in February's figures
    f.visit(helper_a, earlier, date(2025, 1, 29))
    no_rule = elder(east, helper_a, "低保", categories=("dibao",))  # no visit rule, yet a follow-up is due
    _emergency(helper_a, no_rule, date(2025, 2, 12), 15)
    f.visit(helper_a, no_rule, date(2025, 2, 12), at=time(17))
    outside_helper = make_user("helper", "village_b", username="helper_outside")
    outside = elder(regions["village_b"], outside_helper, "外镇", actor=None)
    _emergency(outside_helper, outside, date(2025, 2, 11), 10)
    return {"in_time": in_time, "late": late, "missed": missed, "pending": pending, "no_rule": no_rule}


def _hand_count(region: Region, on: date) -> dict[str, tuple[int, int]]:
    """Follow-ups due and made in time, per village and in total, straight from the records: emergencies of
    active archives in the month of ``on`` up to its end; due once a visit followed or 24 hours passed; in
    time when a submitted visit is dated from the emergency's day to its deadline's day."""
    hours = int(policy_values.value("emergency.followup_hours", region=region, on=on))
    end = datetime.combine(on, time.max, tzinfo=TZ)
    counts: dict[str, list[int]] = {"total": [0, 0]}
    rows = Emergency.objects.filter(
        region__code__startswith=region.prefix, archive__status="active", occurred_at__lte=end
    ).filter(occurred_at__gte=datetime.combine(on.replace(day=1), time.min, tzinfo=TZ))
    for emergency in rows:
        day = emergency.occurred_at.astimezone(TZ).date()
        deadline = emergency.occurred_at + timedelta(hours=hours)
        visits = Visit.objects.filter(
            archive=emergency.archive, submitted_at__isnull=False, visit_date__gte=day, visit_date__lte=on
        )
        due = visits.exists() or end > deadline
        in_time = visits.filter(visit_date__lte=deadline.astimezone(TZ).date()).exists()
        for key in ("total", emergency.region_id):
            row = counts.setdefault(key, [0, 0])
            row[0] += int(due)
            row[1] += int(due and in_time)
    return {k: (v[0], v[1]) for k, v in counts.items()}


def test_s16_followup_figures_equal_a_direct_count_of_the_records(regions, civil_affairs_a, month_of_emergencies):
    # given: the emergencies of February (fixture)
    township = regions["township_a"]
    # when
    total, children = selectors.coverage(user=civil_affairs_a, region=township, on=ON)
    # then: the figures, per village and in total, are the hand count
    figures = {"total": (total.followups_due, total.followups_in_time)}
    figures.update({r.region.code: (r.followups_due, r.followups_in_time) for r in children})
    assert figures == _hand_count(township, ON)
    assert figures["total"] == (4, 2)  # in time + no rule; late; missed (pending and last month left out)
    assert total.due == 5  # the regular visits: the elder without a visit rule is in the follow-ups only
    assert figures[regions["village_a2"].code] == (1, 0)
    assert total.followup_share == pytest.approx(0.5)


def test_s16_followups_roll_up_to_the_county_and_city(regions, civil_affairs_city, month_of_emergencies):
    county, children = selectors.coverage(user=civil_affairs_city, region=regions["county_a"], on=ON)
    city, counties = selectors.coverage(user=civil_affairs_city, region=regions["city"], on=ON)
    assert [(r.region.code, r.followups_due, r.followups_in_time) for r in children] == [
        (regions["township_a"].code, 4, 2)
    ]
    assert (county.followups_due, county.followups_in_time) == (4, 2)
    assert (city.followups_due, city.followups_in_time) == (5, 2)  # and township B's, never visited
    assert sum(r.followups_due for r in counties) == city.followups_due


def test_s16_a_pending_followup_becomes_due_when_its_hours_have_passed(regions, civil_affairs_a, month_of_emergencies):
    # the emergency of the 20th at 08:00 is judged on the 21st at 09:00, past its 24 hours
    total, _ = selectors.coverage(
        user=civil_affairs_a, region=regions["township_a"], on=date(2025, 2, 21), now=_at(date(2025, 2, 21), 9)
    )
    assert (total.followups_due, total.followups_in_time) == (5, 2)


def test_s16_not_visited_elder_with_a_late_followup_is_flagged_and_listed_first(
    regions, civil_affairs_a, month_of_emergencies
):
    total, _ = selectors.coverage(user=civil_affairs_a, region=regions["township_a"], on=ON)
    missed = month_of_emergencies["missed"]
    assert missed.pk in total.followup_overdue
    assert total.not_visited[0] == missed.pk
    assert month_of_emergencies["pending"].pk not in total.followup_overdue  # its hours are not over
    assert "overdue" in total.statuses[missed.pk].reason_en


def test_s16_an_elder_without_a_visit_rule_is_due_only_the_followup(regions, township_a, helper_a):
    # given: a 低保 elder (no regular visit rule) falls on 10 February at 08:00
    elder = f.make_elder(regions["village_a"], actor=township_a, categories=["dibao"], name="低保老人")
    f.pair(elder, helper_a, actor=township_a, day=date(2025, 1, 1))
    _emergency(helper_a, elder, date(2025, 2, 10), 8)
    # when / then: the follow-up is due on the helper's day, overdue after the policy's hours
    with f.on(date(2025, 2, 10), time(12)):
        [item] = selectors.my_day(helper=helper_a, on=date(2025, 2, 10))
        assert selectors.overdue_by_helper(on=date(2025, 2, 10)) == {}
    assert (item.status.category, item.status.due, item.status.overdue) == (visit_rules.FOLLOWUP_ONLY, True, False)
    with f.on(date(2025, 2, 11), time(9)):
        [late] = selectors.my_day(helper=helper_a, on=date(2025, 2, 11))
        assert selectors.overdue_by_helper(on=date(2025, 2, 11)) == {helper_a: [elder]}
    assert late.status.overdue
    f.visit(helper_a, elder, date(2025, 2, 11), at=time(10))
    with f.on(date(2025, 2, 11), time(11)):
        [done] = selectors.my_day(helper=helper_a, on=date(2025, 2, 11))
    assert not done.status.due


# ------------------------------------------------------------------------------ the page


@pytest.fixture
def february(regions, township_a, helper_a):
    """On 20 February 2025 in 东山村: one elder never paired, one paired but not visited after an emergency of
    the day before (more than 24 hours ago), one visited."""
    east = regions["village_a"]
    f.make_elder(east, actor=township_a, categories=["left_behind"], name="无人结对")
    alone = f.make_elder(east, actor=township_a, categories=["widowed_childless"], name="摔倒老人")
    f.pair(alone, helper_a, actor=township_a, day=date(2025, 1, 1))
    f.visit(helper_a, alone, date(2025, 1, 15))
    _emergency(helper_a, alone, date(2025, 2, 19), 7)
    seen = f.make_elder(east, actor=township_a, categories=["empty_nest"], name="已访老人")
    f.pair(seen, helper_a, actor=township_a, day=date(2025, 1, 1))
    f.visit(helper_a, seen, date(2025, 2, 10))
    return alone


def test_s14_coverage_page_says_why_each_elder_was_not_visited(february, helper_a, township_a, client_for):
    # given
    client = client_for(township_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when
    with f.on(ON, time(12)):
        response = client.get(COVERAGE)
    # then
    html = response.content.decode()
    missed = response.context["missed"]
    assert [m.archive.person.name for m in missed] == ["摔倒老人", "无人结对"]  # the late follow-up first
    fallen, unpaired = missed
    assert (fallen.helper, fallen.last_visit, fallen.followup_overdue) == (helper_a, date(2025, 1, 15), True)
    assert (unpaired.helper, unpaired.last_visit, unpaired.followup_overdue) == (None, None, False)
    assert html.count('data-testid="missed"') == 2
    assert 'data-testid="no-helper"' in html
    assert 'data-testid="followup-overdue"' in html
    assert "needs 1 visit(s)" in html  # the rule's reason, in the page language
    assert "the deadline has passed with no visit" in html
    assert "应走访" not in html
    assert response.context["total"].followups_due == 1


def test_s14_coverage_page_gives_the_reason_in_chinese_by_default(february, township_a, client_for):
    with f.on(ON, time(12)):
        html = client_for(township_a).get(COVERAGE).content.decode()
    assert "应走访1次" in html
    assert "needs 1 visit(s)" not in html


def _elders(region: Region, helper, n: int) -> None:
    for i in range(n):
        archive = f.make_elder(region, categories=["left_behind"], name=f"老人{i}", born=date(1950, 1, 1 + i))
        if i % 2:
            f.pair(archive, helper, day=date(2025, 1, 1))


@pytest.mark.parametrize("n", [3, 12])
def test_s14_coverage_page_is_paginated_with_a_bounded_query_count(
    regions, helper_a, civil_affairs_a, client_for, django_assert_max_num_queries, monkeypatch, n
):
    # given: n elders not visited; 5 per page
    monkeypatch.setattr(COVERAGE_VIEWS, "PAGE_SIZE", 5)
    _elders(regions["village_a"], helper_a, n)
    client = client_for(civil_affairs_a)
    client.get(COVERAGE)  # the session and the language are settled on a first request
    # when / then: the same ceiling for 3 and 12 elders
    with f.on(ON), django_assert_max_num_queries(24):
        response = client.get(COVERAGE, {"page": "3"})
    assert response.context["page"].paginator.count == n
    assert len(response.context["missed"]) == (2 if n == 12 else 3)  # page 3 of 12 holds 2; 3 fit on one


def test_s14_coverage_export_lists_everyone_not_visited_masked_and_audited(
    february, township_a, client_for, monkeypatch
):
    monkeypatch.setattr(COVERAGE_VIEWS, "PAGE_SIZE", 1)  # the export is not paged
    with f.on(ON, time(12)):
        response = client_for(township_a).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["摔倒老人", "无人结对"]
    full_ids = {a.person.id_number for a in ElderArchive.objects.select_related("person")}
    assert not full_ids & {cell for row in rows for cell in row}  # only masked ID numbers
    assert all("*" in r[1] for r in rows[1:])
    event = AuditEvent.objects.get(action="coverage.export")
    assert (event.actor, event.changes["rows"]) == (township_a, [None, 2])


def test_s14_coverage_export_of_another_region_holds_nobody_and_needs_archive_view(
    february, civil_affairs_b, finance_a, client_for
):
    with f.on(ON, time(12)):
        outside = client_for(civil_affairs_b).get(EXPORT, {"county": "350602000000"})  # out of scope: 404
        response = client_for(civil_affairs_b).get(EXPORT)
        forbidden = client_for(finance_a).get(EXPORT)
    assert outside.status_code == 404
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only
    assert forbidden.status_code == 403
