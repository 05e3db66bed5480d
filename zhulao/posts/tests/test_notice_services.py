"""公示 (S7): the notice period in working days with the holiday calendar, objections, and the hashed archive."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.db import connection

from zhulao.accounts.roles import Role
from zhulao.core import throttle
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent, RateCounter
from zhulao.posts import services
from zhulao.posts.choices import ApplicationStatus, NoticeStatus, ObjectionStatus
from zhulao.posts.models import Objection, PublicNotice
from zhulao.posts.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

S = ApplicationStatus
IP = "203.0.113.7"


@pytest.fixture
def candidate(crew, batch, station, applicant):
    """A qualified applicant for the station's post."""
    return f.qualified(crew, batch, f.open_posts(station)[0], applicant)


@pytest.fixture
def notice(regions, crew, batch, candidate):
    """The notice of county A opened on Monday 2025-09-15 (closes Friday 2025-09-19)."""
    notice = f.open_notice(crew, batch, regions["county_a"])
    candidate.refresh_from_db()
    return notice


def _object(notice, application, *, ip=IP, day=f.NOTICE_OPENS, text="该申请人家中经营商店，并非低保户。", contact=""):
    with f.on(day):
        return services.objection_raise(notice=notice, application=application, text=text, contact=contact, ip=ip)


# --------------------------------------------------------------------------------------- notice_open


def test_s7_hr_opens_a_notice_of_every_qualified_application_of_the_batch_in_its_region(
    regions, crew, batch, station, center, candidate
):
    # given: a second application only reviewed, not qualified
    other = f.eligible_person(regions["village_a"], name="郑丽", born=date(1979, 9, 9))
    reviewed = f.advance(f.submit(crew, batch, f.open_posts(center)[0], other), crew, to=S.REVIEWED)
    # when
    with f.on(f.NOTICE_OPENS):
        notice = services.notice_open(actor=crew.hr, batch=batch, region=regions["county_a"])
    # then
    assert notice.opens_on == date(2025, 9, 15)
    assert notice.closes_on == date(2025, 9, 19)  # the 5th working day, counting the opening Monday
    assert notice.status == NoticeStatus.OPEN
    assert notice.opened_by == crew.hr
    assert "recruitment.notice_period" in notice.period_basis
    assert notice.period_parameter is not None
    assert notice.period_parameter.key == "recruitment.notice_period"
    assert list(notice.applications.all()) == [candidate]
    candidate.refresh_from_db()
    reviewed.refresh_from_db()
    assert candidate.status == S.IN_NOTICE
    assert reviewed.status == S.REVIEWED
    step = candidate.steps.get(to_status=S.IN_NOTICE)
    assert (step.from_status, step.actor) == (S.QUALIFIED, crew.hr)
    event = AuditEvent.objects.get(action="notice.open")
    assert (event.actor, event.object_id) == (crew.hr, str(notice.public_id))
    assert event.changes["candidates"] == [None, 1]


def test_s7_a_notice_needs_a_qualified_application_in_its_region(regions, crew, batch, candidate):
    with pytest.raises(DomainError) as refused, f.on(f.NOTICE_OPENS):
        services.notice_open(actor=crew.hr, batch=batch, region=regions["village_a2"])
    assert refused.value.code == "nothing_to_notice"
    assert not PublicNotice.objects.exists()


def test_s7_only_hr_of_the_region_opens_a_notice(regions, make_user, crew, batch, candidate):
    hr_b = make_user(Role.HR, "county_b", username="hr_b")
    with f.on(f.NOTICE_OPENS):
        with pytest.raises(Forbidden):
            services.notice_open(actor=hr_b, batch=batch, region=regions["county_a"])
        with pytest.raises(Forbidden):
            services.notice_open(actor=crew.reviewer, batch=batch, region=regions["county_a"])
    candidate.refresh_from_db()
    assert candidate.status == S.QUALIFIED


@pytest.mark.parametrize(
    ("opens_on", "closes_on"),
    [
        # Thu 25, Fri 26, (Sat 27 off), Sun 28 adjusted working day, Mon 29, Tue 30
        (date(2025, 9, 25), date(2025, 9, 30)),
        # Tue 30, holidays Oct 1–8, Thu 9, Fri 10, Sat 11 adjusted working day, (Sun 12 off), Mon 13
        (date(2025, 9, 30), date(2025, 10, 13)),
        # opened on a Saturday that is no working day: counting starts on Sun 28 (adjusted working day),
        # Mon 29, Tue 30, then Thu Oct 9 and Fri Oct 10
        (date(2025, 9, 27), date(2025, 10, 10)),
        # opened on an ordinary Saturday: Mon 22 … Fri 26
        (date(2025, 9, 20), date(2025, 9, 26)),
        # across the new year, with both calendars: Mon 29, Tue 30, Wed 31, (Jan 1–3 holidays),
        # Sun Jan 4 adjusted working day, Mon Jan 5
        (date(2025, 12, 29), date(2026, 1, 5)),
    ],
)
def test_s7_the_notice_period_counts_working_days_with_the_holiday_calendar(
    regions, crew, batch, candidate, opens_on, closes_on
):
    with f.on(opens_on):
        notice = services.notice_open(actor=crew.hr, batch=batch, region=regions["county_a"])
    assert (notice.opens_on, notice.closes_on) == (opens_on, closes_on)


def test_s7_a_notice_opened_in_a_year_whose_following_calendar_is_not_loaded_yet_still_opens(
    regions, crew, station, applicant
):
    # given: the seed holds calendars up to 2026; a 2026 batch in spring
    batch = f.publish_batch(
        crew.reviewer, regions["county_a"], f.open_posts(station), opens=date(2026, 3, 2), closes=date(2026, 3, 31)
    )
    application = f.submit(crew, batch, f.open_posts(station)[0], applicant, day=date(2026, 3, 4))
    f.advance(application, crew, to=S.QUALIFIED, day=date(2026, 3, 4))
    # when: opened on Thursday 2026-04-02 (Qingming holidays Apr 4–6)
    notice = f.open_notice(crew, batch, regions["county_a"], day=date(2026, 4, 2))
    # then: Thu 2, Fri 3, (Sat 4 – Mon 6 off), Tue 7, Wed 8, Thu 9
    assert notice.closes_on == date(2026, 4, 9)


# ---------------------------------------------------------------------------------------- objections


def test_s7_anyone_may_object_while_the_notice_is_open_and_the_contact_is_stored_encrypted(notice, candidate):
    # when
    objection = _object(notice, candidate, day=f.NOTICE_CLOSES, contact="13712345678")
    # then
    assert objection.status == ObjectionStatus.OPEN
    assert (objection.notice, objection.application, objection.region) == (notice, candidate, candidate.region)
    assert objection.source_hash
    assert IP not in objection.source_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM posts_objection WHERE id = %s", [objection.pk])
        (stored,) = cursor.fetchone()
    assert "13712345678" not in stored
    assert Objection.objects.get().contact == "13712345678"
    event = AuditEvent.objects.get(action="objection.raise")
    assert event.actor is None
    assert "13712345678" not in json.dumps(event.changes, ensure_ascii=False) + event.object_repr


def test_s7_an_objection_after_the_last_day_is_refused(notice, candidate):
    with pytest.raises(DomainError) as refused:
        _object(notice, candidate, day=date(2025, 9, 20))
    assert refused.value.code == "notice_closed"
    assert not Objection.objects.exists()


def test_s7_an_objection_about_someone_who_is_not_a_candidate_of_the_notice_is_refused(
    regions, crew, batch, center, notice
):
    other = f.eligible_person(regions["village_a"], name="郑丽", born=date(1979, 9, 9))
    not_candidate = f.advance(f.submit(crew, batch, f.open_posts(center)[0], other), crew, to=S.REVIEWED)
    with pytest.raises(DomainError) as refused:
        _object(notice, not_candidate)
    assert refused.value.code == "not_a_candidate"


def test_s7_an_objection_needs_a_text_of_5_to_2000_characters(notice, candidate):
    with pytest.raises(DomainError) as refused:
        _object(notice, candidate, text="不行")
    assert refused.value.code == "text_length"


def test_s7_the_sixth_objection_from_one_address_within_an_hour_is_throttled(notice, candidate):
    # given
    for n in range(5):
        _object(notice, candidate, text=f"第{n + 1}条异议：情况不实。")
    # when / then
    with pytest.raises(Forbidden) as refused:
        _object(notice, candidate, text="第6条异议：情况不实。")
    assert refused.value.code == "throttled"
    assert isinstance(refused.value, throttle.Throttled)
    assert refused.value.retry_after > 0
    assert Objection.objects.count() == 5
    assert RateCounter.objects.get(scope="objection_ip").count == 5  # the one core throttle
    # another address is not throttled
    _object(notice, candidate, ip="198.51.100.20")
    assert Objection.objects.count() == 6


def test_s7_hr_dismisses_an_objection_with_a_reason_and_the_candidate_stays(crew, notice, candidate):
    # given
    objection = _object(notice, candidate)
    # when
    with f.on(date(2025, 9, 17)):
        with pytest.raises(DomainError) as refused:
            services.objection_resolve(actor=crew.hr, objection=objection, uphold=False, resolution="")
        assert refused.value.code == "reason_required"
        services.objection_resolve(
            actor=crew.hr, objection=objection, uphold=False, resolution="经入户核查，低保资格属实"
        )
    # then
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert (objection.resolved_by, objection.resolution) == (crew.hr, "经入户核查，低保资格属实")
    candidate.refresh_from_db()
    assert candidate.status == S.IN_NOTICE
    event = AuditEvent.objects.get(action="objection.resolve")
    assert event.changes["status"] == ["open", ObjectionStatus.DISMISSED]
    # a resolved objection is not decided twice
    with pytest.raises(DomainError) as again, f.on(date(2025, 9, 17)):
        services.objection_resolve(actor=crew.hr, objection=objection, uphold=True, resolution="改判")
    assert again.value.code == "already_resolved"


def test_s7_an_upheld_objection_rejects_the_candidate_with_the_reason(crew, notice, candidate):
    # given
    objection = _object(notice, candidate)
    # when
    with f.on(date(2025, 9, 17)):
        services.objection_resolve(
            actor=crew.hr, objection=objection, uphold=True, resolution="家庭经营商店，不符合低保条件"
        )
    # then
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    candidate.refresh_from_db()
    assert candidate.status == S.REJECTED
    assert "家庭经营商店，不符合低保条件" in candidate.rejection_reason
    step = candidate.steps.get(to_status=S.REJECTED)
    assert (step.from_status, step.actor) == (S.IN_NOTICE, crew.hr)
    assert "家庭经营商店，不符合低保条件" in step.note


def test_s7_only_hr_of_the_region_resolves_objections(make_user, crew, notice, candidate):
    objection = _object(notice, candidate)
    hr_b = make_user(Role.HR, "county_b", username="hr_b")
    with f.on(date(2025, 9, 17)):
        with pytest.raises(Forbidden):
            services.objection_resolve(actor=hr_b, objection=objection, uphold=True, resolution="属实")
        with pytest.raises(Forbidden):
            services.objection_resolve(actor=crew.reviewer, objection=objection, uphold=True, resolution="属实")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN


# ------------------------------------------------------------------------------------- notice_close


@pytest.mark.parametrize("day", [f.NOTICE_OPENS, f.NOTICE_CLOSES])
def test_s7_a_notice_cannot_be_closed_while_its_period_runs(crew, notice, day):
    with pytest.raises(DomainError) as refused, f.on(day):
        services.notice_close(actor=crew.hr, notice=notice)
    assert refused.value.code == "period_running"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.OPEN
    assert notice.snapshot == notice.snapshot_sha256 == ""


def test_s7_closing_after_the_period_archives_an_allowlisted_snapshot_with_its_sha256(
    regions, crew, batch, center, candidate
):
    # given: a second candidate with a phone and a bank account on record, and an objection
    other = f.eligible_person(
        regions["village_a"],
        name="郑丽",
        born=date(1979, 9, 9),
        phone="13655556666",
        bank_account="6222020200112233445",
    )
    second = f.qualified(crew, batch, f.open_posts(center)[0], other)
    notice = f.open_notice(crew, batch, regions["county_a"])
    second.refresh_from_db()
    _object(notice, second)
    # when
    closed = f.close_notice(crew, notice, day=date(2025, 9, 20))
    # then
    assert closed.status == NoticeStatus.CLOSED
    assert closed.closed_by == crew.hr
    assert closed.snapshot_sha256 == hashlib.sha256(closed.snapshot.encode()).hexdigest()
    content = json.loads(closed.snapshot)
    assert set(content) == {
        "notice",
        "title",
        "region",
        "opens_on",
        "closes_on",
        "period",
        "candidates",
        "objections",
    }
    # the period and its official document (none on record: "as set on this platform"), never the research note
    assert content["period"] == {"days": 5, "unit": "working_day", "document": None}
    assert "UNCONFIRMED" not in closed.snapshot
    assert (content["opens_on"], content["closes_on"], content["objections"]) == ("2025-09-15", "2025-09-19", 1)
    entries = content["candidates"]
    assert [e["application"] for e in entries] == [str(candidate.public_id), str(second.public_id)]
    for entry, application in zip(entries, [candidate, second], strict=True):
        person = application.person
        assert set(entry) == {
            "application",
            "name",
            "sex",
            "age",
            "village",
            "post",
            "id_number",
            "standing",
            "reserve_order",
        }
        assert entry["id_number"] == person.id_number_masked
        assert entry["id_number"] != person.id_number
        assert person.id_number not in closed.snapshot
        assert person.id_number[6:14] not in closed.snapshot  # not even the birth date digits
        assert entry["village"] == "东山村"
    assert "13655556666" not in closed.snapshot
    assert "6222020200112233445" not in closed.snapshot
    assert AuditEvent.objects.get(action="notice.close").changes == {"sha256": [None, closed.snapshot_sha256]}


def test_s7_closing_a_closed_notice_changes_nothing(crew, notice):
    # given
    first = f.close_notice(crew, notice)
    # when
    again = f.close_notice(crew, notice, day=date(2025, 10, 20))
    # then
    stored = PublicNotice.objects.get(pk=notice.pk)
    assert (again.snapshot, again.snapshot_sha256, again.closed_at) == (
        first.snapshot,
        first.snapshot_sha256,
        first.closed_at,
    )
    assert (stored.snapshot_sha256, stored.closed_at) == (first.snapshot_sha256, first.closed_at)
    assert AuditEvent.objects.filter(action="notice.close").count() == 1
