"""Activities (S18) and facility operation (S3) over the API: the same services, the same {"code", "message"}."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from zhulao.core import clock
from zhulao.eldercare.models import Activity, FacilityDayLog
from zhulao.eldercare.services import operations
from zhulao.eldercare.tests.factories import make_elder
from zhulao.posts.tests.factories import make_facility

pytestmark = pytest.mark.usefixtures("policy")


@pytest.fixture
def station(regions, civil_affairs_a):
    return make_facility(civil_affairs_a, regions["village_a"], name="东山站")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _last_month() -> date:
    return (clock.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def _activity(**overrides) -> dict:
    return {"kind": "daily", "held_on": clock.today().isoformat(), "title": "健身操"} | overrides


# ------------------------------------------------------------------------------------ activities (S18)


def test_s18_api_records_an_activity_with_elders_and_helpers(station, regions, village_a, helper_a):
    # given
    elder = make_elder(regions["village_a"])
    body = _activity(kind="weekly_welfare", partner="志愿团体", elder_ids=[str(elder.public_id)])
    body["helper_ids"] = [str(helper_a.public_id)]
    # when
    response = _client(village_a).post(
        f"/api/v1/care/facilities/{station.public_id}/activities", body, content_type="application/json"
    )
    # then
    assert response.status_code == 201
    assert response.json()["elders"] == 1
    assert response.json()["helpers"] == 1
    assert Activity.objects.get().partner == "志愿团体"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "party"}, "invalid_kind"),
        ({"held_on": "2999-01-01"}, "future_date"),
        ({"title": " "}, "title_required"),
        ({"elder_ids": ["00000000-0000-0000-0000-000000000001"]}, "elder_outside_facility"),
        ({"helper_ids": ["00000000-0000-0000-0000-000000000001"]}, "not_a_helper"),
    ],
)
def test_s18_api_refuses_bad_activities_with_a_code(station, village_a, overrides, code):
    response = _client(village_a).post(
        f"/api/v1/care/facilities/{station.public_id}/activities",
        _activity(**overrides),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not Activity.objects.exists()


def test_s18_api_activity_other_region_404_wrong_role_403(station, village_b, hr_a):
    path = f"/api/v1/care/facilities/{station.public_id}/activities"
    assert _client(village_b).post(path, _activity(), content_type="application/json").status_code == 404
    forbidden = _client(hr_a).post(path, _activity(), content_type="application/json")
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "forbidden"


def test_s18_api_cadence_of_a_month(station, village_a, hr_a, helper_a, village_b):
    # given: last month, a daily activity on the 1st only
    month = _last_month()
    operations.activity_record(actor=village_a, facility=station, kind="daily", held_on=month, title="健身操")
    path = f"/api/v1/care/facilities/{station.public_id}/cadence?month={month:%Y-%m}"
    # when
    response = _client(hr_a).get(path)
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["month"] == f"{month:%Y-%m}"
    assert body["days"] == {month.isoformat(): ["daily"]}
    assert body["every_day"] == {"met": False, "status": "missed"}
    assert body["theme"]["status"] == "missed"
    assert body["weeks"][0]["start"] <= month.isoformat()
    assert _client(village_b).get(path).status_code == 404
    assert _client(helper_a).get(path).status_code == 403
    bad = _client(hr_a).get(f"/api/v1/care/facilities/{station.public_id}/cadence?month=June")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_month")


# ------------------------------------------------------------------------------------ opening log (S3)


def test_s3_api_month_sheet_put_then_post_and_read(station, village_a, hr_a):
    month = _last_month()
    path = f"/api/v1/care/facilities/{station.public_id}/opening-log/{month:%Y-%m}"
    client = _client(village_a)
    # when
    first = client.put(
        path, {"hours": {month.isoformat(): 8, f"{month:%Y-%m}-02": 7.5}}, content_type="application/json"
    )
    second = client.post(path, {"hours": {month.isoformat(): 6}}, content_type="application/json")
    read = _client(hr_a).get(path)
    # then
    assert first.json() == {"added": 2, "changed": 0, "unchanged": 0}
    assert second.json() == {"added": 0, "changed": 1, "unchanged": 0}
    assert {k: Decimal(v) for k, v in read.json()["hours"].items()} == {
        month.isoformat(): Decimal(6),
        f"{month:%Y-%m}-02": Decimal("7.5"),
    }


@pytest.mark.parametrize(
    ("hours", "code"),
    [
        ({"DAY1": 25}, "invalid_hours"),
        ({"NEXT": 8}, "day_outside_month"),
        ({"DAY1": 8, "2999-01-01": 8}, "day_outside_month"),
    ],
)
def test_s3_api_month_sheet_one_bad_day_saves_nothing(station, village_a, hours, code):
    month = _last_month()
    names = {"DAY1": month.isoformat(), "NEXT": clock.today().replace(day=1).isoformat()}
    body = {"hours": {names.get(k, k): v for k, v in hours.items()}}
    path = f"/api/v1/care/facilities/{station.public_id}/opening-log/{month:%Y-%m}"
    response = _client(village_a).put(path, body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not FacilityDayLog.objects.exists()


def test_s3_api_month_sheet_other_region_404_wrong_role_403(station, village_b, hr_a):
    month = _last_month()
    path = f"/api/v1/care/facilities/{station.public_id}/opening-log/{month:%Y-%m}"
    body = {"hours": {month.isoformat(): 8}}
    assert _client(village_b).put(path, body, content_type="application/json").status_code == 404
    assert _client(hr_a).put(path, body, content_type="application/json").status_code == 403
    assert not FacilityDayLog.objects.exists()


# ------------------------------------------------------------------------------------ figures (S3)


def test_s3_api_operation_figures_with_before_after(
    regions, civil_affairs_a, township_a, helper_a, django_assert_max_num_queries
):
    # given: two stations; before the pivot one opens 5 h, after both open 8 h
    one = make_facility(civil_affairs_a, regions["village_a"], name="东山站")
    two = make_facility(civil_affairs_a, regions["village_a2"], name="西山站")
    pivot = clock.today() - timedelta(days=20)
    for facility, first, hours in ((one, pivot - timedelta(days=10), 5), (one, pivot, 8), (two, pivot, 8)):
        operations.day_logs_record(
            actor=civil_affairs_a,
            facility=facility,
            hours={first + timedelta(days=i): Decimal(hours) for i in range(10)},
        )
    client = _client(township_a)
    # when
    with django_assert_max_num_queries(20):
        response = client.get("/api/v1/care/operation", {"pivot": pivot.isoformat(), "days": 10})
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["region"] == regions["township_a"].code
    assert (body["before"]["operating_rate"], body["after"]["operating_rate"]) == ("0.5000", "1.0000")
    assert (body["change"]["rate_points"], body["change"]["hours_percent"]) == ("50.0", "60.0")
    assert {c["code"] for c in body["children"]} == {regions["village_a"].code, regions["village_a2"].code}
    assert body["helpers_started_on"] == clock.today().isoformat()


def test_s3_api_operation_other_region_404_wrong_role_403_bad_window(regions, township_a, helper_a):
    client = _client(township_a)
    assert client.get("/api/v1/care/operation", {"region": regions["township_b"].code}).status_code == 404
    assert _client(helper_a).get("/api/v1/care/operation").status_code == 403
    bad = client.get("/api/v1/care/operation", {"days": 1000})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_window")
    backwards = client.get("/api/v1/care/operation", {"start": "2026-06-30", "end": "2026-06-01"})
    assert (backwards.status_code, backwards.json()["code"]) == (400, "invalid_period")
