"""The elder-care indicators (S19) come from the records: each figure equals a direct count; scoped to the
user's region; the page answers allowed / wrong role (403) / a region outside the scope (404)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from zhulao import policy as policy_values
from zhulao.eldercare.models import ElderArchive, ServiceRecord, Visit
from zhulao.eldercare.selectors import archives as archive_selectors
from zhulao.eldercare.selectors import indicators as selectors
from zhulao.eldercare.services import emergencies, operations
from zhulao.eldercare.tests import factories as f
from zhulao.posts.tests import factories as posts_factories

pytestmark = pytest.mark.usefixtures("policy")

PAGE = reverse("eldercare:indicators")
START, END = date(2025, 1, 1), date(2025, 3, 31)


@pytest.fixture
def records(regions, township_a, helper_a, civil_affairs_a, make_user):
    """Three elders in township A (two paired, visited), one in township B; needs, an emergency, an activity
    and opening logs in the first quarter of 2025."""
    east = regions["village_a"]
    left = f.make_elder(east, actor=township_a, categories=["left_behind", "dibao"], name="甲")
    alone = f.make_elder(east, actor=township_a, categories=["living_alone", "tekun"], name="乙")
    f.make_elder(regions["village_a2"], actor=township_a, categories=["empty_nest"], name="丙")
    other_helper = make_user("helper", "village_b", username="helper_b")
    outside = f.make_elder(regions["village_b"], categories=["left_behind"], name="丁")
    for archive in (left, alone):
        f.pair(archive, helper_a, actor=township_a, day=date(2024, 12, 1))
    f.pair(outside, other_helper, day=date(2024, 12, 1))
    f.visit(helper_a, left, date(2025, 1, 10), services_given={"cleaning": 30, "meals": 20}, needs=["屋顶漏雨"])
    f.visit(helper_a, left, date(2025, 2, 10), services_given={"cleaning": 15})
    f.visit(helper_a, alone, date(2025, 2, 11), services_given={"medical": 40})
    f.visit(helper_a, alone, date(2025, 4, 2))  # after the period
    f.visit(other_helper, outside, date(2025, 2, 12))  # another township
    with f.on(date(2025, 3, 3), time(9)):
        emergency = emergencies.emergency_report(
            actor=helper_a, archive=left, kind="fall", occurred_at=f_at(date(2025, 3, 3))
        )
        emergencies.emergency_refer(actor=helper_a, emergency=emergency, service="120")
    with f.on(date(2025, 3, 20)):
        station = posts_factories.make_facility(civil_affairs_a, east, kind="home_care_station")
        operations.activity_record(
            actor=civil_affairs_a, facility=station, kind="monthly_theme", held_on=date(2025, 3, 15), title="健康讲座"
        )
        operations.day_logs_record(
            actor=civil_affairs_a,
            facility=station,
            hours={date(2025, 3, 1): Decimal(8), date(2025, 3, 2): Decimal(0), date(2025, 3, 3): Decimal(6)},
        )
    return {"left": left, "alone": alone, "station": station}


def f_at(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=ZoneInfo(settings.TIME_ZONE))


def test_s19_indicators_equal_direct_counts_of_the_records(records, regions, township_a):
    # when
    with f.on(date(2025, 4, 10)):
        result = selectors.indicators(user=township_a, region=regions["township_a"], start=START, end=END)
    # then: every figure is what a direct count of the township's rows gives
    in_township = ElderArchive.objects.filter(region__code__startswith="350602100")
    assert result.archives == in_township.count() == 3
    assert (result.paired, result.helpers) == (2, 1)
    visits = Visit.objects.filter(
        region__code__startswith="350602100", submitted_at__isnull=False, visit_date__range=(START, END)
    )
    assert (result.visits, result.elders_visited) == (visits.count(), 2) == (3, 2)
    services = {s["kind"]: (s["count"], s["minutes"]) for s in result.services}
    assert services["cleaning"] == (2, 45)
    assert services["meals"] == (1, 20)
    assert services["medical"] == (1, 40)
    assert sum(c for c, _m in services.values()) == ServiceRecord.objects.filter(visit__in=visits).count()
    assert result.needs == {"reported": 1, "handled": 0, "open_now": 1}
    assert result.emergencies["reported"] == 1
    assert result.emergencies["referral_120"] == 1
    assert {a["kind"]: a["count"] for a in result.activities}["monthly_theme"] == 1
    assert result.operation is not None
    assert (result.operation.facilities, result.operation.operating) == (1, 1)
    assert result.operation.avg_daily_hours == Decimal("7.00")
    groups = dict(result.groups)
    assert (groups["托底"], groups["困境"], groups["重点保障"]) == (2, 0, 3)  # 低保 + 特困; none; 留守, 独居, 空巢
    # the same groups as the archive page derives one elder at a time
    mapping = policy_values.value("eldercare.group_mapping", region="350602100000", on=END)
    advanced = int(policy_values.value("eldercare.advanced_age", region="350602100000", on=END))
    expected: Counter[str] = Counter()
    for archive in in_township.select_related("person"):
        expected.update(
            archive_selectors.groups_of(
                archive_selectors.categories_of(archive, on=END, advanced_age=advanced), mapping
            )
        )
    assert groups == {g: expected[g] for g in groups}


def test_s19_another_township_sees_only_its_own(records, regions, make_user):
    township_b = make_user("township_employer", "township_b")
    with f.on(date(2025, 4, 10)):
        result = selectors.indicators(user=township_b, region=regions["township_b"], start=START, end=END)
    assert (result.archives, result.visits, result.paired) == (1, 1, 1)
    assert result.emergencies["reported"] == 0


def test_s19_indicators_page_allowed_wrong_role_and_query_ceiling(
    records, township_a, helper_a, finance_a, client_for, django_assert_max_num_queries
):
    client = client_for(township_a)
    client.get(PAGE)
    with django_assert_max_num_queries(40):
        response = client.get(PAGE, {"start": "2025-01-01", "end": "2025-03-31"})
    assert response.status_code == 200
    assert response.context["f"].visits == 3
    assert client_for(helper_a).get(PAGE).status_code == 403
    assert client_for(finance_a).get(PAGE).status_code == 403


def test_s19_a_region_outside_the_scope_is_404(records, township_a, client_for):
    response = client_for(township_a).get(PAGE, {"township": "350603103000", "start": "2025-01-01"})
    assert response.status_code == 404


def test_s19_the_command_prints_the_figures_of_a_region(records):
    out = StringIO()
    call_command(
        "eldercare_indicators", "--region", "350602100", "--start", "2025-01-01", "--end", "2025-03-31", stdout=out
    )
    line = out.getvalue()
    assert "3 archives" in line
    assert "3 visits" in line
    assert "1 emergencies" in line


def test_s19_indicators_api_gives_the_page_figures_and_refuses_a_wrong_role(records, township_a, finance_a, client_for):
    response = client_for(township_a).get("/api/v1/care/indicators", {"start": "2025-01-01", "end": "2025-03-31"})
    assert response.status_code == 200
    body = response.json()
    assert (body["archives"], body["visits"], body["paired"]) == (3, 3, 2)
    assert body["services"]["cleaning"] == {"count": 2, "minutes": 45}
    assert client_for(township_a).get("/api/v1/care/indicators", {"region": "350603103"}).status_code == 404
    assert client_for(finance_a).get("/api/v1/care/indicators").status_code == 403
    bad = client_for(township_a).get("/api/v1/care/indicators", {"start": "2025-03-01", "end": "2025-01-01"})
    assert (bad.status_code, bad.json()["code"]) == (400, "bad_period")
