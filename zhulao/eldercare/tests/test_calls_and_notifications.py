"""Confirmation calls (S14) on their page, notifications of new needs (S17) and overdue visits (S14), the
outbox retries, and the emergency command (S16)."""

from __future__ import annotations

from datetime import date, time, timedelta
from io import StringIO
from unittest.mock import patch

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from zhulao.core import clock
from zhulao.core.exceptions import DomainError
from zhulao.core.models import AuditEvent
from zhulao.eldercare import selectors, services
from zhulao.eldercare.models import ConfirmationCall, Emergency, Notification, OutboxMessage
from zhulao.eldercare.services import confirmations, emergencies, notifications
from zhulao.eldercare.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

CALLS = reverse("eldercare:call_list")
MONTH = date(2025, 2, 1)
PHONE = "13912345678"


def _record_url(call: ConfirmationCall) -> str:
    return reverse("eldercare:call_record", args=[call.visit.public_id])


@pytest.fixture
def township_b(make_user):
    return make_user("township_employer", "township_b", username="township_employer_b")


@pytest.fixture
def calls(regions, village_a, helper_a):
    """Three visits of February 2025 in 东山村, all drawn for a call; the elders have a contact to call."""
    for i in range(3):
        archive = f.make_elder(regions["village_a"], actor=village_a, name=f"老人{i}", born=date(1944, 1, 1 + i))
        services.contact_add(actor=village_a, archive=archive, name=f"家属{i}", relation="女儿", phone=PHONE)
        f.pair(archive, helper_a, actor=village_a, day=date(2025, 1, 1))
        f.visit(helper_a, archive, date(2025, 2, 3 + i))
    assert confirmations.sample_calls(month=MONTH, seed=1) == 3
    return list(ConfirmationCall.objects.order_by("id"))


# ------------------------------------------------------------------------------ the calls page


def test_s14_village_lists_the_months_calls_with_who_to_call_masked(
    calls, village_a, client_for, django_assert_max_num_queries
):
    client = client_for(village_a)
    client.get(CALLS)  # the session is settled on a first request
    with django_assert_max_num_queries(14):
        response = client.get(CALLS, {"month": "2025-02"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="call"') == 3
    assert html.count('data-testid="call-form"') == 3
    assert "家属0" in html
    assert PHONE not in html
    assert "139****5678" in html
    assert response.context["waiting"] == 3
    assert [s["visits"] for s in response.context["stats"]] == [3]


def test_s14_the_default_month_is_last_month(calls, village_a, client_for):
    with f.on(date(2025, 3, 5)):
        response = client_for(village_a).get(CALLS)
    assert response.context["month"] == MONTH
    assert response.context["page"].paginator.count == 3


def test_s14_a_bad_month_on_the_page_is_an_error_and_the_default_month_stays(calls, village_a, client_for):
    # when
    with f.on(date(2025, 3, 5)):
        response = client_for(village_a).get(CALLS, {"month": "2025-13"})
    # then
    assert response.status_code == 200
    assert response.context["month"] == MONTH
    assert "YYYY-MM" in response.content.decode()


def test_s14_the_sampling_command_refuses_a_bad_month_clearly(db):
    with pytest.raises(CommandError, match="--month: .*YYYY-MM"):
        call_command("sample_confirmation_calls", "--month", "2025-13", stdout=StringIO())


def test_s14_village_records_a_result_and_the_call_shows_who_and_when(calls, village_a, client_for):
    # when
    response = client_for(village_a).post(_record_url(calls[0]), {"result": "confirmed", "note": "女儿确认"})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{CALLS}?month=2025-02"
    calls[0].refresh_from_db()
    assert (calls[0].result, calls[0].called_by, calls[0].note) == ("confirmed", village_a, "女儿确认")
    html = client_for(village_a).get(CALLS, {"month": "2025-02"}).content.decode()
    assert html.count('data-testid="call-result"') == 1
    assert html.index('data-state="waiting"') < html.index('data-state="done"')  # calls to make first


def test_s14_htmx_gets_the_row_back_and_a_bad_result_keeps_nothing(calls, village_a, client_for):
    client = client_for(village_a)
    bad = client.post(_record_url(calls[1]), {"result": "maybe"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert 'data-testid="call-error"' in bad.content.decode()
    calls[1].refresh_from_db()
    assert calls[1].result == ""
    good = client.post(_record_url(calls[1]), {"result": "unreachable"}, HTTP_HX_REQUEST="true")
    html = good.content.decode()
    assert html.startswith('<li class="list-group-item"')
    assert 'data-state="done"' in html


def test_s14_recording_again_is_a_correction_that_needs_a_note_and_is_audited(calls, village_a):
    call = confirmations.call_record(actor=village_a, call=calls[0], result="unreachable", note="无人接听")
    # a resent form changes nothing
    confirmations.call_record(actor=village_a, call=call, result="unreachable", note="无人接听")
    assert AuditEvent.objects.filter(action__startswith="confirmation.call").count() == 1
    # a correction without a note is refused, and nothing changes
    with pytest.raises(DomainError) as refused:
        confirmations.call_record(actor=village_a, call=call, result="confirmed")
    assert refused.value.code == "correction_note_required"
    call.refresh_from_db()
    assert call.result == "unreachable"
    # with a note it is recorded, and the audit keeps the earlier result
    confirmations.call_record(actor=village_a, call=call, result="confirmed", note="次日回拨，家属确认")
    call.refresh_from_db()
    assert call.result == "confirmed"
    event = AuditEvent.objects.get(action="confirmation.call_correct")
    assert event.changes["result"] == ["unreachable", "confirmed"]
    assert event.reason == "次日回拨，家属确认"


def test_s14_calls_of_another_region_are_404_and_need_the_right_role(
    calls, village_b, township_b, helper_a, civil_affairs_a, client_for
):
    assert client_for(village_b).post(_record_url(calls[0]), {"result": "confirmed"}).status_code == 404
    assert 'data-testid="call"' not in client_for(township_b).get(CALLS, {"month": "2025-02"}).content.decode()
    assert client_for(helper_a).get(CALLS).status_code == 403
    # Civil Affairs sees the calls and the figures, but the village makes the calls
    county = client_for(civil_affairs_a)
    html = county.get(CALLS, {"month": "2025-02"}).content.decode()
    assert html.count('data-testid="call"') == 3
    assert 'data-testid="call-form"' not in html
    assert county.post(_record_url(calls[0]), {"result": "confirmed"}).status_code == 403
    calls[0].refresh_from_db()
    assert calls[0].result == ""


def test_s14_per_helper_figures_equal_monthly_stats(regions, calls, village_a, helper_a, township_a, make_user):
    # given: one call denied, one family confirmation; a second helper's visit in 西山村
    confirmations.call_record(actor=village_a, call=calls[0], result="denied", note="家属说没来")
    token = confirmations.confirmation_issue(actor=helper_a, visit=calls[1].visit)
    confirmations.confirmation_submit(token=token, happened=True, rating=4)
    other = make_user("helper", "village_a2", username="helper_west")
    elder = f.make_elder(regions["village_a2"], name="西山老人")
    f.pair(elder, other, day=date(2025, 1, 1))
    f.visit(other, elder, date(2025, 2, 9))
    # when
    stats = {s["helper_id"]: s for s in selectors.helper_stats(user=township_a, month=MONTH)}
    # then
    assert set(stats) == {helper_a.pk, other.pk}
    for helper in (helper_a, other):
        expected = confirmations.monthly_stats(helper=helper, month=MONTH)
        assert {k: stats[helper.pk][k] for k in expected} == expected
    assert (stats[helper_a.pk]["calls"], stats[helper_a.pk]["calls_denied"], stats[helper_a.pk]["confirmed"]) == (
        3,
        1,
        1,
    )
    assert selectors.helper_stats(user=village_a, month=MONTH)[0]["helper_id"] == helper_a.pk  # its village only


def test_s14_calls_to_make_are_a_to_do_of_the_village_only(calls, village_a, township_a, client_for):
    [group] = [g for g in selectors.todo_groups(village_a) if g.kind == "confirmation_calls"]
    assert (group.count, len(group.items)) == (3, 3)
    assert group.items[0]["url"] == f"{CALLS}?month=2025-02"
    assert all(g.kind != "confirmation_calls" for g in selectors.todo_groups(township_a))
    for call in calls:
        confirmations.call_record(actor=village_a, call=call, result="confirmed")
    assert all(g.kind != "confirmation_calls" for g in selectors.todo_groups(village_a))
    assert CALLS in client_for(village_a).get(reverse("eldercare:archive_list")).content.decode()  # the menu


# ------------------------------------------------------------------------------ notifications


def test_s17_new_needs_notify_the_township_staff_who_handle_them(
    regions, village_a, helper_a, township_a, township_b, civil_affairs_a
):
    # given
    elder = f.make_elder(regions["village_a"], actor=village_a)
    f.pair(elder, helper_a, actor=village_a, day=clock.today() - timedelta(days=3))
    # when: a visit reports two needs
    f.visit(helper_a, elder, clock.today(), needs=["需要助浴", "门锁坏了"])
    # then: the township is told once; the village, the county and another township are not
    [note] = Notification.objects.filter(kind=notifications.NEED)
    assert note.user == township_a
    assert note.url == reverse("eldercare:need_list")
    assert "2" in note.title
    # a visit without needs tells nobody
    f.visit(helper_a, elder, clock.today() - timedelta(days=1))
    assert Notification.objects.filter(kind=notifications.NEED).count() == 1


@pytest.fixture
def overdue(regions, village_a, helper_a):
    """An elder paired since January 2025 with no visit in February: overdue in March."""
    elder = f.make_elder(regions["village_a"], actor=village_a, name="逾期老人")
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 1))
    f.visit(helper_a, elder, date(2025, 1, 20))
    visited = f.make_elder(regions["village_a"], actor=village_a, name="按时老人", born=date(1946, 2, 2))
    f.pair(visited, helper_a, actor=village_a, day=date(2025, 1, 1))
    f.visit(helper_a, visited, date(2025, 1, 25))
    f.visit(helper_a, visited, date(2025, 2, 20))
    return elder


def test_s14_overdue_visits_are_notified_once_a_day(overdue, helper_a, village_a, township_a):
    # when: the daily command runs twice on 12 March
    out = StringIO()
    with f.on(date(2025, 3, 12), time(7)):
        call_command("notify_overdue_visits", stdout=out)
        call_command("notify_overdue_visits", stdout=out)
    # then: the helper hears of one overdue elder, the village committee of the helper; once each
    [mine] = Notification.objects.filter(user=helper_a, kind=notifications.OVERDUE_VISITS)
    assert mine.url == reverse("eldercare:my_day")
    [village] = Notification.objects.filter(user=village_a, kind=notifications.OVERDUE_HELPERS)
    assert str(helper_a) in village.title
    assert not Notification.objects.filter(user=township_a).exists()
    assert out.getvalue().splitlines() == [
        "overdue visits on 2025-03-12: 1 helpers, 1 village users notified",
        "overdue visits on 2025-03-12: 0 helpers, 0 village users notified",
    ]
    # the next day brings the next reminder
    with f.on(date(2025, 3, 13), time(7)):
        assert notifications.notify_overdue_visits(on=date(2025, 3, 13)) == (1, 1)


def test_s14_nobody_is_told_when_nothing_is_overdue(overdue, helper_a):
    with f.on(date(2025, 2, 12)):  # January was visited: nothing is overdue in February
        assert notifications.notify_overdue_visits(on=date(2025, 2, 12)) == (0, 0)
    assert not Notification.objects.exists()


def test_outbox_waits_between_attempts_and_gives_up_after_the_last(regions, helper_a):
    # given: a notification with an email
    helper_a.email = "helper@example.gov.cn"
    helper_a.save()
    notifications.notify(user=helper_a, kind="test", title="测试")
    message = OutboxMessage.objects.get()
    moment = clock.now()
    with patch("zhulao.eldercare.channels.EmailChannel.send", side_effect=OSError("smtp down")):
        for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
            with patch("zhulao.core.clock.now", return_value=moment):
                assert notifications.send_due() == (0, 1)
                # not retried before its next attempt is due
                assert notifications.send_due() == (0, 0)
            message.refresh_from_db()
            assert message.attempts == attempt
            moment = message.next_attempt_at + timedelta(seconds=1)
    # then: failed for good, never tried again
    assert message.status == OutboxMessage.Status.FAILED
    with patch("zhulao.core.clock.now", return_value=moment + timedelta(days=1)):
        assert notifications.send_due() == (0, 0)


def test_outbox_sms_stays_queued_until_a_gateway_is_configured(regions, helper_a):
    OutboxMessage.objects.create(
        channel="sms", to_address="13912345678", subject="s", body="b", next_attempt_at=clock.now()
    )
    assert notifications.send_due() == (0, 1)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "ZHULAO_SMS_GATEWAY" in message.last_error


# ------------------------------------------------------------------------------ the emergency command (S16)


@pytest.fixture
def emergency(regions, village_a, helper_a):
    elder = f.make_elder(regions["village_a"], actor=village_a, name="摔倒老人")
    f.pair(elder, helper_a, actor=village_a)
    return emergencies.emergency_report(actor=helper_a, archive=elder, kind="fall", occurred_at=clock.now())


def _run(*args: str) -> str:
    out = StringIO()
    call_command("emergency", *args, stdout=out)
    return out.getvalue()


def test_s16_the_emergency_command_acts_as_the_named_user(emergency, village_a):
    eid, user = str(emergency.public_id), village_a.username
    assert "now acknowledged" in _run("acknowledge", eid, "--user", user, "--note", "已电话联系")
    _run("refer", eid, "--user", user, "--service", "120")
    assert "now closed" in _run("close", eid, "--user", user, "--note", "已送医")
    emergency.refresh_from_db()
    assert (emergency.acknowledged_by, emergency.referral_120, emergency.outcome) == (village_a, True, "已送医")
    assert [s.actor for s in emergency.steps.exclude(action="reported")] == [village_a] * 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["acknowledge", "--user", "village_employer_village_b"], "No such emergency"),
        (["acknowledge", "--user", "finance_county_a"], None),
        (["acknowledge", "--user", "nobody"], "No active user"),
        (["close", "--user", "village_employer_village_a"], None),
        (["refer", "--user", "village_employer_village_a"], "--service"),
    ],
)
def test_s16_the_emergency_command_refuses_what_the_pages_refuse(
    emergency, village_a, village_b, finance_a, args, message
):
    act, *rest = args
    with pytest.raises(CommandError, match=message):
        _run(act, str(emergency.public_id), *rest)
    emergency.refresh_from_db()
    assert (emergency.acknowledged_at, emergency.closed_at, emergency.referral_120) == (None, None, False)


def test_s16_emergency_pages_are_forbidden_to_roles_without_them(emergency, finance_a, client_for):
    client = client_for(finance_a)
    assert client.get(reverse("emergencies:list")).status_code == 403
    assert client.get(emergency.get_absolute_url()).status_code == 403
    assert Emergency.objects.get().acknowledged_at is None
