"""Pages of activities (S18) and facility operation (S3): allowed / other region (404) / wrong role (403) for
each page and POST, bad input that keeps what was typed, the photo checks and its scoped view, query ceilings.

The pages run on the real platform day (role assignments start on it); dates are relative to it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zhulao.core import clock
from zhulao.core.models import AuditEvent
from zhulao.eldercare.models import Activity, FacilityDayLog
from zhulao.eldercare.services import operations
from zhulao.eldercare.tests.factories import make_elder
from zhulao.posts.tests.factories import make_facility

pytestmark = pytest.mark.usefixtures("policy")

OPERATION = reverse("eldercare:operation")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def station(regions, civil_affairs_a):
    return make_facility(civil_affairs_a, regions["village_a"], name="东山村居家养老服务站")


@pytest.fixture
def station_b(regions, civil_affairs_b):
    return make_facility(civil_affairs_b, regions["village_b"], name="竹田村幸福院")


@pytest.fixture
def elder(regions):
    return make_elder(regions["village_a"], name="陈阿婆")


def url(name: str, obj, month: date | None = None) -> str:
    base = reverse(f"eldercare:{name}", args=[obj.public_id])
    return f"{base}?month={month:%Y-%m}" if month else base


def image(kind: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def activity_post(**overrides) -> dict:
    data = {"kind": "weekly_welfare", "held_on": clock.today().isoformat(), "title": "义诊", "partner": "卫健部门"}
    data.update(overrides)
    return data


def last_month() -> date:
    return (clock.today().replace(day=1) - timedelta(days=1)).replace(day=1)


# ------------------------------------------------------------------------------------ calendar (S18)


def test_s18_calendar_marks_days_kinds_and_the_three_checks(station, village_a, client_for):
    # given: last month, a daily activity on the 1st and a public-welfare one on the 2nd, no theme
    month = last_month()
    operations.activity_record(actor=village_a, facility=station, kind="daily", held_on=month, title="健身操")
    operations.activity_record(
        actor=village_a, facility=station, kind="weekly_welfare", held_on=month + timedelta(days=1), title="义诊"
    )
    # when
    response = client_for(village_a).get(url("facility_calendar", station, month))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="day-{month:%Y-%m-%d}" data-kinds="daily"' in html
    assert f'data-testid="day-{month + timedelta(days=1):%Y-%m-%d}" data-kinds="weekly_welfare"' in html
    assert re.search(r'data-testid="cadence-every_day" data-status="missed"', html)
    assert re.search(r'data-testid="cadence-theme" data-status="missed"', html)
    assert 'data-testid="activity-new"' in html
    assert html.count('data-testid="activity-') >= 2
    assert 'data-testid="month-next"' in html  # last month: the current month is reachable


def test_s18_calendar_other_region_404_wrong_role_403_reader_without_record_button(
    station, village_b, helper_a, hr_a, client_for
):
    assert client_for(village_b).get(url("facility_calendar", station)).status_code == 404
    assert client_for(helper_a).get(url("facility_calendar", station)).status_code == 403
    # HR may view facilities, not operate them: the calendar without the record button
    response = client_for(hr_a).get(url("facility_calendar", station))
    assert response.status_code == 200
    assert 'data-testid="activity-new"' not in response.content.decode()
    assert 'data-testid="month-next"' not in response.content.decode()  # no month after the current one


def test_s18_calendar_query_count_does_not_grow_with_activities(
    station, village_a, elder, helper_a, client_for, django_assert_max_num_queries
):
    month = last_month()
    for n in range(12):
        operations.activity_record(
            actor=village_a,
            facility=station,
            kind="daily",
            held_on=month + timedelta(days=n),
            title=f"活动{n}",
            elders=[elder],
            helpers=[helper_a],
        )
    client = client_for(village_a)
    with django_assert_max_num_queries(14):
        response = client.get(url("facility_calendar", station, month))
    assert len(response.context["activities"]) == 12


# ------------------------------------------------------------------------------------ record an activity


def test_s18_village_records_an_activity_with_elders_helpers_and_a_photo(
    station, elder, village_a, helper_a, client_for, media
):
    # given
    photo = SimpleUploadedFile("my-family.png", image("PNG"), content_type="image/png")
    data = activity_post(elders=[str(elder.public_id)], helpers=[str(helper_a.pk)], photo=photo)
    # when
    response = client_for(village_a).post(url("activity_create", station), data)
    # then
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.kind, activity.title, activity.partner) == ("weekly_welfare", "义诊", "卫健部门")
    assert list(activity.elders.all()) == [elder]
    assert list(activity.helpers.all()) == [helper_a]
    assert "my-family" not in activity.photo.name
    assert re.fullmatch(r"activities/\d{4}/\d{2}/[0-9a-f]{32}\.png", activity.photo.name)
    assert (media / activity.photo.name).exists()
    assert AuditEvent.objects.filter(action="activity.record").count() == 1


def test_s18_activity_form_other_region_404_wrong_role_403(station, village_b, hr_a, helper_a, client_for):
    assert client_for(village_b).get(url("activity_create", station)).status_code == 404
    assert client_for(village_b).post(url("activity_create", station), activity_post()).status_code == 404
    assert client_for(hr_a).get(url("activity_create", station)).status_code == 403
    assert client_for(hr_a).post(url("activity_create", station), activity_post()).status_code == 403
    assert client_for(helper_a).post(url("activity_create", station), activity_post()).status_code == 403
    assert not Activity.objects.exists()


def test_s18_future_date_keeps_what_was_typed(station, elder, village_a, client_for):
    # given
    tomorrow = clock.today() + timedelta(days=1)
    data = activity_post(held_on=tomorrow.isoformat(), title="重阳节敬老活动", elders=[str(elder.public_id)])
    # when
    response = client_for(village_a).post(url("activity_create", station), data)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-held_on"' in html
    assert 'value="重阳节敬老活动"' in html
    assert f'value="{elder.public_id}" id="elder-{elder.public_id}" checked' in html
    assert not Activity.objects.exists()


def test_s18_an_elder_of_another_village_is_refused(station, village_a, regions, client_for):
    other = make_elder(regions["village_b"], name="林阿公")
    response = client_for(village_a).post(url("activity_create", station), activity_post(elders=[str(other.public_id)]))
    assert response.status_code == 200
    assert 'data-testid="error-elders"' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<?php echo 'not a picture'; ?>"),  # a script named like a picture
        ("photo.gif", None),  # a real image of a refused type (GIF)
    ],
)
def test_s18_photo_of_a_refused_type_is_refused(station, village_a, client_for, name, content):
    content = content if content is not None else image("GIF")
    photo = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client_for(village_a).post(url("activity_create", station), activity_post(photo=photo))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-photo"' in html
    assert 'value="义诊"' in html
    assert not Activity.objects.exists()


def test_s18_photo_over_the_size_limit_is_refused(station, village_a, client_for, settings):
    settings.ACTIVITY_PHOTO_MAX_BYTES = 1000
    photo = SimpleUploadedFile("big.png", image("PNG", (400, 400)) + b"\0" * 2000, content_type="image/png")
    response = client_for(village_a).post(url("activity_create", station), activity_post(photo=photo))
    assert 'data-testid="error-photo"' in response.content.decode()
    assert not Activity.objects.exists()


def test_s18_photo_is_served_only_within_scope(station, village_a, village_b, hr_a, helper_a, client_for):
    # given
    photo = SimpleUploadedFile("a.jpg", image("JPEG"), content_type="image/jpeg")
    activity = operations.activity_record(
        actor=village_a, facility=station, kind="daily", held_on=clock.today(), title="书法", photo=photo
    )
    photo_url = reverse("eldercare:activity_photo", args=[activity.public_id])
    # when
    allowed = client_for(hr_a).get(photo_url)
    # then
    assert allowed.status_code == 200
    assert allowed["Content-Type"] == "image/jpeg"
    assert b"".join(allowed.streaming_content)[:2] == b"\xff\xd8"
    assert client_for(village_b).get(photo_url).status_code == 404
    assert client_for(helper_a).get(photo_url).status_code == 403
    plain = operations.activity_record(
        actor=village_a, facility=station, kind="daily", held_on=clock.today(), title="x"
    )
    assert client_for(village_a).get(reverse("eldercare:activity_photo", args=[plain.public_id])).status_code == 404


def test_s18_elder_search_swaps_the_bounded_list_and_keeps_those_ticked(
    station, village_a, regions, client_for, monkeypatch
):
    # given: four elders, two listed at once
    monkeypatch.setattr("zhulao.eldercare.forms.operations.ELDERS_LISTED", 2)
    ticked = make_elder(regions["village_a"], name="王阿婆", born=date(1944, 1, 1))
    for n, name in enumerate(["陈阿公", "陈阿婆", "李阿婆"]):
        make_elder(regions["village_a"], name=name, born=date(1945, 1, n + 1))
    client = client_for(village_a)
    # when
    full = client.get(url("activity_create", station))
    found = client.get(
        url("activity_create", station), {"q": "陈", "elders": [str(ticked.public_id)]}, HTTP_HX_REQUEST="true"
    )
    # then
    assert 'data-testid="elders-more"' in full.content.decode()
    fragment = found.content.decode()
    assert fragment.startswith('<div id="elder-options"')
    assert f'value="{ticked.public_id}" id="elder-{ticked.public_id}" checked' in fragment
    assert fragment.count('name="elders"') == 3  # the ticked one and the two 陈
    assert "李阿婆" not in fragment


def test_s18_activity_form_query_count_does_not_grow_with_elders(
    station, village_a, regions, helper_a, client_for, django_assert_max_num_queries
):
    for n in range(8):
        make_elder(regions["village_a"], name=f"老人{n}", born=date(1945, 3, n + 1))
    client = client_for(village_a)
    with django_assert_max_num_queries(12):
        response = client.get(url("activity_create", station))
    assert len(response.context["listed"]) == 8


# ------------------------------------------------------------------------------------ opening log (S3)


def _sheet(month: date, values: dict[int, str]) -> dict[str, str]:
    return {f"day_{day:02d}": value for day, value in values.items()}


def test_s3_month_sheet_saves_and_says_how_many_days(station, village_a, client_for):
    # given: last month, the 1st logged at 4 h
    month = last_month()
    operations.day_log_record(actor=village_a, facility=station, day=month, hours_open=Decimal(4))
    client = client_for(village_a)
    # when
    response = client.post(url("opening_log", station, month), _sheet(month, {1: "8", 2: "7.5", 3: "0"}), follow=True)
    # then
    assert response.redirect_chain[-1][0].endswith(f"?month={month:%Y-%m}")
    logs = dict(FacilityDayLog.objects.filter(facility=station).values_list("day", "hours_open"))
    assert logs == {month: Decimal(8), month + timedelta(days=1): Decimal("7.5"), month + timedelta(days=2): 0}
    assert [m.message for m in response.context["messages"]]
    assert 'value="7.50"' in response.content.decode()


def test_s3_month_sheet_bad_value_keeps_everything_typed_and_saves_nothing(station, village_a, client_for):
    month = last_month()
    response = client_for(village_a).post(
        url("opening_log", station, month), _sheet(month, {1: "8", 2: "25", 3: "7.3"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="error-{month + timedelta(days=1):%Y-%m-%d}"' in html
    assert f'data-testid="error-{month + timedelta(days=2):%Y-%m-%d}"' in html  # not a half hour
    assert 'value="8"' in html
    assert 'value="25"' in html
    assert not FacilityDayLog.objects.exists()


def test_s3_month_sheet_future_days_are_disabled_and_ignored(station, village_a, client_for):
    today = clock.today()
    tomorrow = today + timedelta(days=1)
    client = client_for(village_a)
    page = client.get(url("opening_log", station, tomorrow)).content.decode()
    assert re.search(rf'name="day_{tomorrow:%d}"[^>]*disabled', page)
    client.post(url("opening_log", station, tomorrow), {f"day_{tomorrow:%d}": "8"})
    assert not FacilityDayLog.objects.filter(day=tomorrow).exists()


def test_s3_month_sheet_other_region_404_wrong_role_403_reader_read_only(
    station, village_b, helper_a, hr_a, client_for
):
    month = last_month()
    assert client_for(village_b).get(url("opening_log", station)).status_code == 404
    assert client_for(village_b).post(url("opening_log", station, month), _sheet(month, {1: "8"})).status_code == 404
    assert client_for(helper_a).get(url("opening_log", station)).status_code == 403
    reader = client_for(hr_a).get(url("opening_log", station))
    assert reader.status_code == 200
    assert 'data-testid="sheet-save"' not in reader.content.decode()
    assert client_for(hr_a).post(url("opening_log", station, month), _sheet(month, {1: "8"})).status_code == 403
    assert not FacilityDayLog.objects.exists()


def test_s3_month_sheet_query_count(station, village_a, client_for, django_assert_max_num_queries):
    month = last_month()
    operations.day_logs_record(
        actor=village_a, facility=station, hours={month + timedelta(days=i): Decimal(8) for i in range(20)}
    )
    client = client_for(village_a)
    with django_assert_max_num_queries(12):
        response = client.get(url("opening_log", station, month))
    assert response.context["logged_days"] == 20


# ------------------------------------------------------------------------------------ figures (S3)


def _log(actor, facility, first: date, days: int, hours: str) -> None:
    operations.day_logs_record(
        actor=actor, facility=facility, hours={first + timedelta(days=i): Decimal(hours) for i in range(days)}
    )


def test_s3_figures_page_period_children_and_before_after(regions, civil_affairs_a, township_a, client_for):
    # given: two stations of 浦南镇; before the pivot one opens 5 h a day, after it both open 8 h
    one = make_facility(civil_affairs_a, regions["village_a"], name="东山站")
    two = make_facility(civil_affairs_a, regions["village_a2"], name="西山站")
    pivot = clock.today() - timedelta(days=20)
    _log(civil_affairs_a, one, pivot - timedelta(days=10), 10, "5")
    _log(civil_affairs_a, one, pivot, 10, "8")
    _log(civil_affairs_a, two, pivot, 10, "8")
    query = {"start": pivot.isoformat(), "end": (pivot + timedelta(days=9)).isoformat()}
    query |= {"pivot": pivot.isoformat(), "days": "10"}
    # when
    response = client_for(township_a).get(OPERATION, query)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["region"] == regions["township_a"]
    assert response.context["total"]["percent"] == Decimal("100.0")
    assert (response.context["before"]["percent"], response.context["after"]["percent"]) == (50, 100)
    assert response.context["change"].rate_points == Decimal("50.0")
    assert response.context["change"].hours_percent == Decimal("60.0")
    assert 'data-testid="child-350602100200"' in html
    assert 'data-testid="child-350602100201"' in html
    assert response.context["closed"]["count"] == 0


def test_s3_figures_page_lists_facilities_not_open(regions, civil_affairs_a, township_a, client_for):
    # given: a station with no log at all last month
    make_facility(civil_affairs_a, regions["village_a"], name="东山站")
    # when
    response = client_for(township_a).get(OPERATION)
    # then: the default period is last month, and the station counts as not operating
    assert response.context["period"]["start"] == last_month()
    assert response.context["total"]["f"].operating == 0
    assert response.context["closed"]["count"] == 1
    assert "东山站" in response.content.decode()


def test_s3_figures_page_another_region_is_not_shown_and_wrong_role_403(
    regions, civil_affairs_a, civil_affairs_b, helper_a, client_for
):
    make_facility(civil_affairs_a, regions["village_a"], name="东山站")
    # 龙文区 asks for 芗城区: outside its scope, 404; without a choice its own county is shown
    assert client_for(civil_affairs_b).get(OPERATION, {"county": regions["county_a"].code}).status_code == 404
    response = client_for(civil_affairs_b).get(OPERATION)
    assert response.status_code == 200
    assert response.context["region"] == regions["county_b"]
    assert response.context["total"]["f"].facilities == 0
    assert client_for(helper_a).get(OPERATION).status_code == 403


def test_s3_figures_page_query_count_does_not_grow_with_facilities(
    regions, civil_affairs_a, client_for, django_assert_max_num_queries
):
    month = last_month()
    for n in range(6):
        facility = make_facility(civil_affairs_a, regions["village_a" if n % 2 else "village_a2"], name=f"站{n}")
        _log(civil_affairs_a, facility, month, 10, "6")
    client = client_for(civil_affairs_a)
    with django_assert_max_num_queries(27):
        response = client.get(OPERATION)
    assert response.context["total"]["f"].facilities == 6


def test_s3_facility_page_links_to_calendar_and_opening_log_and_menu_has_the_page(station, hr_a, client_for):
    response = client_for(hr_a).get(station.get_absolute_url())
    html = response.content.decode()
    assert url("facility_calendar", station) in html
    assert url("opening_log", station) in html
    assert OPERATION in [item["url"] for item in response.context["nav_items"]]
