"""Activities cadence (S18) and facility operation figures with a before/after comparison (S3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO, StringIO
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.eldercare.selectors import operations as selectors
from zhulao.eldercare.selectors.operations import OperationFigures, change
from zhulao.eldercare.services import operations
from zhulao.eldercare.tests.factories import make_elder
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


# ------------------------------------------------------------------------------------ cadence across month/year ends


def _welfare(actor, facility, day: date) -> None:
    operations.activity_record(actor=actor, facility=facility, kind="weekly_welfare", held_on=day, title="义诊")


def _week(result, year: int, week: int) -> dict:
    return next(w for w in result["weeks"] if (w["year"], w["week"]) == (year, week))


def test_s18_cadence_a_week_straddling_two_months_counts_for_both(station, civil_affairs_a):
    # given: the week Mon 2026-01-26 … Sun 2026-02-01 (ISO 2026-W05) has its public-welfare activity on Jan 27
    with patch("zhulao.core.clock.today", return_value=date(2026, 3, 15)):
        _welfare(civil_affairs_a, station, date(2026, 1, 27))
        # when
        january = operations.cadence(facility=station, month_start=date(2026, 1, 1))
        february = operations.cadence(facility=station, month_start=date(2026, 2, 1))
    # then: February's first week is that week, and it is met there too
    assert february["weeks"][0]["start"] == date(2026, 1, 26)
    assert _week(february, 2026, 5)["welfare"]
    assert _week(january, 2026, 5)["welfare"]
    assert not _week(february, 2026, 6)["welfare"]
    assert february["every_week_status"] == "missed"
    assert (2026, 5) not in {(w["year"], w["week"]) for w in february["missed_weeks"]}


def test_s18_cadence_iso_week_53_and_week_1_across_the_year_end(station, civil_affairs_a):
    # given: 2026 has 53 ISO weeks; W53 runs Mon 2026-12-28 … Sun 2027-01-03; welfare on 2027-01-02 only
    with patch("zhulao.core.clock.today", return_value=date(2027, 2, 10)):
        _welfare(civil_affairs_a, station, date(2027, 1, 2))
        # when
        december = operations.cadence(facility=station, month_start=date(2026, 12, 1))
        january = operations.cadence(facility=station, month_start=date(2027, 1, 1))
    # then: the same week (2026, 53) in both months, in calendar order, and met in both
    assert [(w["year"], w["week"]) for w in december["weeks"]][-1] == (2026, 53)
    assert [(w["year"], w["week"]) for w in january["weeks"]][:2] == [(2026, 53), (2027, 1)]
    assert _week(december, 2026, 53)["welfare"]
    assert _week(january, 2026, 53)["welfare"]
    assert not _week(january, 2027, 1)["welfare"]


def test_s18_cadence_week_1_that_starts_in_december(station, civil_affairs_a):
    # given: ISO 2026-W01 runs Mon 2025-12-29 … Sun 2026-01-04; welfare on 2026-01-03
    with patch("zhulao.core.clock.today", return_value=date(2026, 2, 1)):
        _welfare(civil_affairs_a, station, date(2026, 1, 3))
        december = operations.cadence(facility=station, month_start=date(2025, 12, 1))
    # then: December's last week is 2026-W01 (not sorted before W49), and it is met
    assert [(w["year"], w["week"]) for w in december["weeks"]] == [
        (2025, 49),
        (2025, 50),
        (2025, 51),
        (2025, 52),
        (2026, 1),
    ]
    assert december["weeks"][-1]["welfare"]


def test_s18_cadence_in_the_current_month_is_pending_not_missed(station, civil_affairs_a, today):
    # given: today is 2026-06-30 and June has a daily activity each day but nothing else yet
    june = date(2026, 6, 1)
    for i in range(30):
        operations.activity_record(
            actor=civil_affairs_a, facility=station, kind="daily", held_on=june + timedelta(days=i), title="健身操"
        )
    # when
    result = operations.cadence(facility=station, month_start=june)
    july = operations.cadence(facility=station, month_start=date(2026, 7, 1))
    # then: the weeks that ended without public welfare are missed; the theme is still pending today
    assert result["every_day_status"] == "met"
    assert result["every_week_status"] == "missed"
    assert len(result["missed_weeks"]) == 4  # the week of June 29 has not ended
    assert result["theme_status"] == "pending"
    assert (july["every_day_status"], july["every_week_status"], july["theme_status"]) == ("pending",) * 3


def test_s18_cadence_lists_the_missing_days(station, civil_affairs_a, today):
    operations.activity_record(
        actor=civil_affairs_a, facility=station, kind="daily", held_on=date(2026, 5, 1), title="健身操"
    )
    result = operations.cadence(facility=station, month_start=date(2026, 5, 1))
    assert result["every_day_status"] == "missed"
    assert result["missing_days"][0] == date(2026, 5, 2)
    assert len(result["missing_days"]) == 30
    assert result["theme_status"] == "missed"  # May is over


# ------------------------------------------------------------------------------------ participants and photo


def test_s18_activity_refuses_elders_and_helpers_from_elsewhere(station, civil_affairs_a, regions, make_user, today):
    outsider = make_elder(regions["village_b"], name="林阿公")
    with pytest.raises(DomainError) as elder_error:
        operations.activity_record(
            actor=civil_affairs_a, facility=station, kind="daily", held_on=today, title="x", elders=[outsider]
        )
    helper_b = make_user("helper", "village_b")
    with pytest.raises(DomainError) as helper_error:
        operations.activity_record(
            actor=civil_affairs_a, facility=station, kind="daily", held_on=today, title="x", helpers=[helper_b]
        )
    assert (elder_error.value.code, helper_error.value.code) == ("elder_outside_facility", "not_a_helper")
    assert not station.activities.exists()


def test_s18_photo_is_reencoded_without_its_metadata(station, civil_affairs_a, settings, tmp_path, today):
    # given: a JPEG carrying EXIF (a phone's GPS position would be there)
    settings.MEDIA_ROOT = str(tmp_path)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    raw = BytesIO()
    Image.new("RGB", (16, 16), (0, 128, 0)).save(raw, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0001.JPG", raw.getvalue(), content_type="image/jpeg")
    # when
    activity = operations.activity_record(
        actor=civil_affairs_a, facility=station, kind="daily", held_on=today, title="书法", photo=upload
    )
    # then
    with Image.open(activity.photo.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert activity.photo.name.endswith(".jpg")


# ------------------------------------------------------------------------------------ figures per child region


def test_s3_breakdown_per_village_equals_a_direct_count(policy, regions, civil_affairs_a, township_a, today):
    # given: two stations in 东山村 (one open), one in 西山村 (closed all month), a service center in the township
    east = [posts_factories.make_facility(civil_affairs_a, regions["village_a"], name=f"东山{n}") for n in range(2)]
    west = posts_factories.make_facility(civil_affairs_a, regions["village_a2"], name="西山")
    center = posts_factories.make_facility(civil_affairs_a, regions["township_a"], kind="service_center", name="中心")
    june = date(2026, 6, 1)
    operations.day_logs_record(
        actor=civil_affairs_a, facility=east[0], hours={june: Decimal(6), june.replace(day=2): Decimal(8)}
    )
    operations.day_logs_record(actor=civil_affairs_a, facility=west, hours={june: Decimal(0)})
    operations.day_logs_record(actor=civil_affairs_a, facility=center, hours={june: Decimal(10)})
    # when
    rows = selectors.operation_breakdown(user=township_a, region=regions["township_a"], start=june, end=today)
    # then
    by_code = {(r.region.code, r.own): r.figures for r in rows}
    assert by_code[(regions["township_a"].code, True)].operating == 1
    assert (
        by_code[(regions["village_a"].code, False)].facilities,
        by_code[(regions["village_a"].code, False)].operating,
    ) == (2, 1)
    assert by_code[(regions["village_a"].code, False)].avg_daily_hours == Decimal("7.00")
    assert by_code[(regions["village_a2"].code, False)].operating == 0
    for (code, own), figures in by_code.items():
        if own:
            continue
        direct = operations.operation_figures(user=township_a, prefix=code, start=june, end=today)
        assert (figures.facilities, figures.operating, figures.avg_daily_hours) == (
            direct.facilities,
            direct.operating,
            direct.avg_daily_hours,
        )
    closed = selectors.facilities_not_open(user=township_a, prefix=regions["township_a"].prefix, start=june, end=today)
    assert {f.name for f in closed["rows"]} == {"东山1", "西山"}


def test_s3_change_in_points_and_per_cent(today):
    before = OperationFigures(date(2026, 1, 1), date(2026, 3, 31), 50, 30, Decimal("5.00"))
    after = OperationFigures(date(2026, 4, 1), date(2026, 6, 30), 50, 43, Decimal("8.00"))
    assert change(before, after).rate_points == Decimal("26.0")
    assert change(before, after).hours_percent == Decimal("60.0")
    empty = OperationFigures(date(2026, 1, 1), date(2026, 3, 31), 0, 0, None)
    assert (change(empty, after).rate_points, change(empty, after).hours_percent) == (None, None)


def test_s3_operation_figures_command_prints_one_line(station, civil_affairs_a, today):
    # given: closed 10 days before 2026-06-10, open 8 h after
    operations.day_logs_record(
        actor=civil_affairs_a,
        facility=station,
        hours={date(2026, 5, 31) - timedelta(days=i): Decimal(0) for i in range(10)},
    )
    operations.day_logs_record(
        actor=civil_affairs_a,
        facility=station,
        hours={date(2026, 6, 10) + timedelta(days=i): Decimal(8) for i in range(10)},
    )
    out = StringIO()
    # when
    call_command("operation_figures", "--region", "350602", "--pivot", "2026-06-10", "--days", "30", stdout=out)
    # then
    line = out.getvalue().strip()
    assert "\n" not in line
    assert line.startswith("operation 350602 2026-05-01..2026-05-31: 1 facilities, 0 operating (0.0%)")
    assert "rate 0.0% -> 100.0% (+100.0 pp)" in line


def test_s18_photo_is_scaled_down_and_a_bomb_is_refused(station, civil_affairs_a, settings, tmp_path, today):
    # given
    settings.MEDIA_ROOT = str(tmp_path)
    big = BytesIO()
    Image.new("RGB", (4000, 1000), (0, 0, 255)).save(big, format="PNG")
    # when
    activity = operations.activity_record(
        actor=civil_affairs_a,
        facility=station,
        kind="daily",
        held_on=today,
        title="合影",
        photo=SimpleUploadedFile("wide.png", big.getvalue()),
    )
    # then
    with Image.open(activity.photo.path) as stored:
        assert stored.size == (operations.PHOTO_LONG_SIDE, operations.PHOTO_LONG_SIDE // 4)
    with patch.object(operations, "PHOTO_MAX_PIXELS", 1000), pytest.raises(DomainError) as exc:
        operations.activity_record(
            actor=civil_affairs_a,
            facility=station,
            kind="daily",
            held_on=today,
            title="合影",
            photo=SimpleUploadedFile("wide.png", big.getvalue()),
        )
    assert exc.value.code == "photo_invalid"
