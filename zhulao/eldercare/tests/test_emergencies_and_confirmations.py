"""Emergencies escalate when not acknowledged (S16); families confirm visits by link; notifications go out."""

from __future__ import annotations

from datetime import date, timedelta
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from zhulao.core import clock
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import RateCounter
from zhulao.eldercare import selectors, services
from zhulao.eldercare.choices import EscalationLevel
from zhulao.eldercare.models import Emergency, Notification, OutboxMessage
from zhulao.eldercare.services import confirmations, emergencies, notifications
from zhulao.people.tests import factories as people_factories


@pytest.fixture
def elder(policy, regions, village_a, helper_a):
    person = people_factories.make_person(
        regions["village_a"], id_number=people_factories.id_number(date(1938, 2, 2)), name="陈阿公"
    )
    archive = services.archive_create(actor=village_a, person=person, categories=["living_alone"])
    services.pairing_assign(actor=village_a, archive=archive, helper=helper_a)
    return archive


def test_s16_unacknowledged_emergency_escalates_to_the_township(elder, helper_a, village_a, township_a):
    # given: the helper reports a fall; the village must acknowledge within the policy's minutes
    emergency = emergencies.emergency_report(actor=helper_a, archive=elder, kind="fall", occurred_at=clock.now())
    assert emergency.level == EscalationLevel.VILLAGE
    assert Notification.objects.filter(user=village_a, kind="emergency").exists()
    # when: the deadline passes (clock moved) and the periodic job runs
    later = clock.now() + timedelta(minutes=61)
    with patch("zhulao.core.clock.now", return_value=later):
        moved = emergencies.emergency_escalate_due()
    # then
    emergency.refresh_from_db()
    assert moved == 1
    assert emergency.level == EscalationLevel.TOWNSHIP
    assert Notification.objects.filter(user=township_a, kind="emergency").exists()
    assert [s.action for s in emergency.steps.all()] == ["reported", "escalated"]


def test_s16_acknowledged_emergency_does_not_escalate_and_closing_plans_a_follow_up(elder, helper_a, village_a):
    emergency = emergencies.emergency_report(actor=helper_a, archive=elder, kind="illness", occurred_at=clock.now())
    emergencies.emergency_acknowledge(actor=village_a, emergency=emergency)
    emergencies.emergency_refer(actor=village_a, emergency=emergency, service="120")
    with patch("zhulao.core.clock.now", return_value=clock.now() + timedelta(hours=5)):
        assert emergencies.emergency_escalate_due() == 0
    emergencies.emergency_close(actor=village_a, emergency=emergency, outcome="已送医，无大碍")
    emergency.refresh_from_db()
    assert emergency.referral_120
    assert emergency.closed_at is not None
    assert Notification.objects.filter(user=helper_a, kind="followup").exists()


def test_s16_reporting_needs_the_pairing_or_the_region_and_a_past_time(elder, helper_a, make_user, civil_affairs_b):
    other_helper = make_user("helper", "village_a2", username="helper_other")
    with pytest.raises(Forbidden):
        emergencies.emergency_report(actor=other_helper, archive=elder, kind="fall", occurred_at=clock.now())
    with pytest.raises(Forbidden):
        emergencies.emergency_report(actor=civil_affairs_b, archive=elder, kind="fall", occurred_at=clock.now())
    with pytest.raises(DomainError):
        emergencies.emergency_report(
            actor=helper_a, archive=elder, kind="fall", occurred_at=clock.now() + timedelta(hours=1)
        )
    assert not Emergency.objects.exists()


def test_s16_only_the_ladder_acknowledges(elder, helper_a, make_user):
    emergency = emergencies.emergency_report(actor=helper_a, archive=elder, kind="missing", occurred_at=clock.now())
    stranger = make_user("village_employer", "village_b", username="village_far")
    with pytest.raises(Forbidden):
        emergencies.emergency_acknowledge(actor=stranger, emergency=emergency)


def test_outbox_sends_email_and_retries_failures(elder, helper_a, village_a):
    village_a.email = "village@example.gov.cn"
    village_a.save()
    emergencies.emergency_report(actor=helper_a, archive=elder, kind="fire", occurred_at=clock.now())
    message = OutboxMessage.objects.get()
    # a failing channel keeps the message and retries later
    with patch("zhulao.eldercare.channels.EmailChannel.send", side_effect=OSError("smtp down")):
        assert notifications.send_due() == (0, 1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "smtp down" in message.last_error
    with patch("zhulao.core.clock.now", return_value=clock.now() + timedelta(hours=1)):
        assert notifications.send_due() == (1, 0)
    assert len(mail.outbox) == 1


def _submitted_visit(elder, helper_a):
    visit = services.visit_start(actor=helper_a, archive=elder)
    return services.visit_submit(actor=helper_a, visit=visit, services={"meals": 30})


def test_family_confirms_a_visit_once_without_login(elder, helper_a):
    visit = _submitted_visit(elder, helper_a)
    token = confirmations.confirmation_issue(actor=helper_a, visit=visit)
    client = Client()
    page = client.get(f"/v/{token}/")
    assert page.status_code == 200
    assert "陈阿公" not in page.content.decode()  # the family page masks the name
    response = client.post(f"/v/{token}/", {"happened": "1", "rating": "5", "comment": "很好"})
    assert 'data-testid="confirmed"' in response.content.decode()
    visit.confirmation.refresh_from_db()
    assert (visit.confirmation.happened, visit.confirmation.rating) == (True, 5)
    with pytest.raises(DomainError):
        confirmations.confirmation_submit(token=token, happened=True, rating=4)


def test_family_link_expires_and_bad_tokens_are_throttled(elder, helper_a):
    visit = _submitted_visit(elder, helper_a)
    token = confirmations.confirmation_issue(actor=helper_a, visit=visit)
    with patch("zhulao.core.clock.now", return_value=clock.now() + timedelta(days=8)), pytest.raises(DomainError):
        confirmations.lookup(token, ip="10.0.0.1")
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.CONFIRMATION_LOOKUP_FAILS_PER_IP_PER_HOUR):
        assert client.get("/v/not-a-token/").status_code == 404
    throttled = client.get(f"/v/{token}/")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    # the count is a row of the one core throttle, shared by every process
    limit = settings.CONFIRMATION_LOOKUP_FAILS_PER_IP_PER_HOUR
    assert RateCounter.objects.filter(scope="confirmation_ip", count=limit).count() == 1


def test_only_the_visits_helper_shares_the_link(elder, helper_a, make_user):
    visit = _submitted_visit(elder, helper_a)
    other = make_user("helper", "village_a", username="helper_two")
    with pytest.raises(Forbidden):
        confirmations.confirmation_issue(actor=other, visit=visit)
    assert confirmations.qr_svg("https://example.gov.cn/v/abc/").startswith("<svg")


def test_emergency_pages_allowed_other_region_404(elder, helper_a, village_a, civil_affairs_b, client_for):
    emergency = emergencies.emergency_report(actor=helper_a, archive=elder, kind="fall", occurred_at=clock.now())
    assert client_for(village_a).get(emergency.get_absolute_url()).status_code == 200
    assert client_for(helper_a).get("/care/emergencies/").status_code == 200
    assert client_for(civil_affairs_b).get(emergency.get_absolute_url()).status_code == 404
    response = client_for(village_a).post(f"{emergency.get_absolute_url()}acknowledge/")
    assert response.status_code == 302
    emergency.refresh_from_db()
    assert emergency.acknowledged_by == village_a
    assert client_for(helper_a).get(f"/care/emergencies/report/{elder.public_id}/").status_code == 200
    assert client_for(civil_affairs_b).get(f"/care/emergencies/report/{elder.public_id}/").status_code == 404


def test_monthly_sample_for_confirmation_calls_and_helper_stats(elder, helper_a, village_a):
    visit = _submitted_visit(elder, helper_a)
    token = confirmations.confirmation_issue(actor=helper_a, visit=visit)
    confirmations.confirmation_submit(token=token, happened=True, rating=4)
    month = visit.visit_date.replace(day=1)
    assert confirmations.sample_calls(month=month, seed=1) == 1
    assert confirmations.sample_calls(month=month, seed=1) == 0  # re-running adds nothing
    call = visit.confirmation_call
    confirmations.call_record(actor=village_a, call=call, result="confirmed", note="家属确认")
    stats = confirmations.monthly_stats(helper=helper_a, month=month)
    assert (stats["visits"], stats["confirmed"], stats["rating"], stats["calls_confirmed"]) == (1, 1, 4, 1)


def test_helper_shares_the_family_link_with_a_qr_code(elder, helper_a, make_user, client_for):
    visit = _submitted_visit(elder, helper_a)
    response = client_for(helper_a).post(f"/care/visits/{visit.public_id}/share/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="family-link"' in html
    assert "data:image/svg+xml;base64," in html
    token = html.split("/v/")[1].split("/")[0]
    assert Client().get(f"/v/{token}/").status_code == 200
    other = make_user("helper", "village_a", username="helper_three")
    assert client_for(other).post(f"/care/visits/{visit.public_id}/share/").status_code == 404
    staff = make_user("village_employer", "village_a", username="vil2")
    assert client_for(staff).post(f"/care/visits/{visit.public_id}/share/").status_code == 403


def test_s16_open_emergencies_go_on_top_of_my_day(elder, helper_a, client_for):
    emergencies.emergency_report(actor=helper_a, archive=elder, kind="fall", occurred_at=clock.now())
    html = client_for(helper_a).get("/care/today/").content.decode()
    assert html.index('data-testid="section-emergencies"') < html.index('data-testid="elder-card"')
    # 独居 alone calls for no regular visit, but the emergency makes its follow-up visit due
    assert 'data-testid="section-due"' in html


def test_s16_an_emergency_makes_a_follow_up_visit_due_within_the_policy_hours(policy, regions, village_a, helper_a):
    # given: a left-behind elder already visited this month, then an emergency
    person = people_factories.make_person(
        regions["village_a"], id_number=people_factories.id_number(date(1939, 4, 4)), name="林阿婆"
    )
    archive = services.archive_create(actor=village_a, person=person, categories=["left_behind"])
    yesterday = clock.today() - timedelta(days=1)
    with (
        patch("zhulao.core.clock.today", return_value=yesterday),
        patch("zhulao.core.clock.now", return_value=clock.now() - timedelta(days=1)),
    ):
        services.pairing_assign(actor=village_a, archive=archive, helper=helper_a)
        visit = services.visit_start(actor=helper_a, archive=archive)
        services.visit_submit(actor=helper_a, visit=visit, services={"meals": 20})
    if yesterday.month != clock.today().month:
        pytest.skip("the visit of yesterday lies in last month's period")

    [before] = selectors.my_day(helper=helper_a, on=clock.today())
    assert not before.status.due
    emergencies.emergency_report(actor=helper_a, archive=archive, kind="fall", occurred_at=clock.now())
    # then: a follow-up visit is due again; after the policy's 24 hours without a visit it is overdue
    [after] = selectors.my_day(helper=helper_a, on=clock.today())
    assert after.status.due
    with patch("zhulao.core.clock.now", return_value=clock.now() + timedelta(hours=25)):
        [late] = selectors.my_day(helper=helper_a, on=clock.today())
    assert late.status.overdue


def test_notification_centre_shows_only_ones_own_and_marks_them_read(elder, helper_a, village_a, client_for):
    emergencies.emergency_report(actor=helper_a, archive=elder, kind="fall", occurred_at=clock.now())
    mine = client_for(village_a).get("/care/emergencies/notifications/all/")
    assert mine.status_code == 200
    assert "陈阿公" in mine.content.decode()
    assert "陈阿公" not in client_for(helper_a).get("/care/emergencies/notifications/all/").content.decode()
    assert client_for(village_a).post("/care/emergencies/notifications/read/").status_code == 302
    assert not Notification.objects.filter(user=village_a, read_at__isnull=True).exists()
    assert client_for(village_a).get("/care/emergencies/notifications/read/").status_code == 405
