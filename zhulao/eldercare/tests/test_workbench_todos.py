"""What users meet first: open emergencies top the workbench with the time left (S16), a helper's home is
their day (S14), and the village committee is told which elders have no helper (S13)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhulao.accounts import services as account_services
from zhulao.core.selectors import workbench_todos
from zhulao.core.testing.fixtures import PASSWORD
from zhulao.eldercare.services import emergencies
from zhulao.eldercare.tests import factories as f

DAY = date(2026, 11, 10)
TZ = ZoneInfo(settings.TIME_ZONE)
WORKBENCH = reverse("core:workbench")
MY_DAY = reverse("eldercare:my_day")


@pytest.fixture
def elder(policy, regions, village_a, helper_a):
    with f.on(DAY):
        archive = f.make_elder(regions["village_a"], actor=village_a, name="柯阿公")
    f.pair(archive, helper_a, actor=village_a, day=DAY - timedelta(days=70))
    return archive


@pytest.fixture
def fall(elder, helper_a):
    """The helper reports a fall at 10:00: the village must acknowledge it within the policy's 60 minutes."""
    with f.on(DAY):
        return emergencies.emergency_report(
            actor=helper_a, archive=elder, kind="fall", occurred_at=datetime.combine(DAY, time(9, 50), tzinfo=TZ)
        )


def _kinds(user, day=DAY, at=time(10, 0)):
    with f.on(day, at):
        return [g.kind for g in workbench_todos(user=user)]


def _group(user, kind, at=time(10, 0)):
    with f.on(DAY, at), translation.override("en"):
        return next(g for g in workbench_todos(user=user) if g.kind == kind)


def test_s16_open_emergency_is_the_village_employers_first_todo_with_the_time_left(fall, village_a):
    # given an open fall at the village level (reported 10:00, due by 11:00)
    # when the village employer opens the workbench at 10:48
    kinds = _kinds(village_a, at=time(10, 48))
    group = _group(village_a, "emergencies", at=time(10, 48))
    # then it comes first, naming the elder and the minutes left
    assert kinds[0] == "emergencies"
    assert group.count == 1
    assert "柯阿公" in group.items[0]["label"]
    assert group.items[0]["note"] == "12\xa0minutes left to acknowledge"
    assert not group.items[0]["urgent"]


def test_s16_an_emergency_past_its_deadline_shows_how_long_overdue(fall, village_a, township_a):
    # when the deadline has passed by 20 minutes (the ladder has not run yet)
    group = _group(village_a, "emergencies", at=time(11, 20))
    # then
    assert group.items[0]["note"] == "overdue by 20\xa0minutes"
    assert group.items[0]["urgent"]


def test_s16_the_township_watches_the_village_level_and_other_villages_do_not(
    fall, township_a, village_b, civil_affairs_a, civil_affairs_b, helper_a
):
    assert _kinds(township_a)[0] == "emergencies"
    assert _kinds(civil_affairs_a)[0] == "emergencies"  # may acknowledge (need.handle) in its county
    assert "emergencies" not in _kinds(village_b)
    assert "emergencies" not in _kinds(civil_affairs_b)
    # the helper reported it: the ladder now expects the village, not the helper
    assert "emergencies" not in _kinds(helper_a)


def test_s16_once_escalated_to_the_township_the_village_no_longer_has_the_todo(fall, village_a, township_a):
    # given the village missed its deadline and the ladder moved the emergency up
    with f.on(DAY, time(11, 1)):
        assert emergencies.emergency_escalate_due() == 1
    # then the township acts, and the village (below it) does not
    assert _kinds(township_a, at=time(11, 2))[0] == "emergencies"
    assert "emergencies" not in _kinds(village_a, at=time(11, 2))


def test_s16_an_acknowledged_emergency_stays_a_todo_until_closed(fall, village_a):
    with f.on(DAY, time(10, 5)):
        emergencies.emergency_acknowledge(actor=village_a, emergency=fall)
    group = _group(village_a, "emergencies", at=time(10, 10))
    assert group.items[0]["note"] == "acknowledged, to close"
    with f.on(DAY, time(10, 30)):
        emergencies.emergency_close(actor=village_a, emergency=fall, outcome="无大碍")
    assert "emergencies" not in _kinds(village_a, at=time(10, 40))


def test_s16_emergency_page_workbench_shows_it_first_in_words(fall, village_a, client_for):
    with f.on(DAY, time(10, 48)):
        html = client_for(village_a).get(WORKBENCH, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # the first to-do on the page is the emergency, with the time left
    assert html.index('data-todo="emergencies"') == html.index("data-todo=")
    assert "12\xa0minutes left to acknowledge" in html


# ------------------------------------------------------------------------------------------ the helper


def test_s14_a_helper_lands_on_my_day_after_sign_in_and_on_the_home_page(elder, helper_a):
    client = Client()
    # when the helper signs in
    with f.on(DAY):
        response = client.post(reverse("accounts:login"), {"username": helper_a.username, "password": PASSWORD})
        assert response.status_code == 302
        landing = client.get(response["Location"])
        # then the workbench sends them to my day, and so does "/"
        assert landing.status_code == 302
        assert landing["Location"] == MY_DAY
        assert client.get(WORKBENCH)["Location"] == MY_DAY


def test_s14_someone_with_another_role_keeps_the_workbench_and_gets_the_day_counts(
    elder, regions, helper_a, make_user, client_for, village_a
):
    # given a village clerk who is also a helper, paired with two elders: one overdue, one due
    account_services.role_grant(actor=None, user=helper_a, role="village_employer", region=regions["village_a2"])
    helper_a.forget_permissions()
    with f.on(DAY):
        second = f.make_elder(regions["village_a"], actor=village_a, name="柯阿婆")
    f.pair(second, helper_a, actor=village_a, day=DAY - timedelta(days=3))
    # when the workbench is opened
    with f.on(DAY):
        response = client_for(helper_a).get(WORKBENCH, HTTP_ACCEPT_LANGUAGE="en")
        day = client_for(helper_a).get(MY_DAY).context["sections"]
    # then it is shown (no redirect) and carries the same counts as my day, linking to it
    assert response.status_code == 200
    (group,) = [g for g in response.context["todos"] if g.kind == "my_day"]
    assert group.url == MY_DAY
    assert group.count == len(day["overdue"]) + len(day["due"]) == 2
    assert (len(day["overdue"]), len(day["due"])) == (1, 1)
    assert [i["label"] for i in group.items] == ["Overdue: 1", "Due this period: 1"]


def test_s14_a_helper_with_nothing_due_has_no_day_todo(policy, regions, helper_a):
    assert "my_day" not in _kinds(helper_a)


# ------------------------------------------------------------------------------------------ the village


def test_s13_village_is_told_which_elders_have_no_helper(policy, regions, village_a, village_b, township_a):
    # given two elders in the village, one paired
    with f.on(DAY):
        alone = f.make_elder(regions["village_a"], actor=village_a, name="柯阿婆")
        f.make_elder(regions["village_b"], actor=None, name="林阿公")
    # when / then: the village has the unpaired elder to pair; another village does not; the township neither
    group = _group(village_a, "elders_to_pair")
    assert group.count == 1
    assert group.items[0]["url"] == reverse("eldercare:archive_detail", args=[alone.public_id])
    assert "elders_to_pair" not in _kinds(township_a)
    assert _group(village_b, "elders_to_pair").count == 1


# ------------------------------------------------------------------------------------- query ceilings


@pytest.mark.parametrize(
    ("who", "ceiling"), [("village_a", 22), ("township_a", 17), ("civil_affairs_a", 18), ("helper_a", 7)]
)
def test_s16_workbench_query_count_is_bounded_per_role(
    who, ceiling, fall, request, client_for, django_assert_max_num_queries
):
    # given an open emergency (and, for the village, an elder to pair)
    with f.on(DAY):
        f.make_elder(request.getfixturevalue("regions")["village_a"], name="林阿婆")
    client = client_for(request.getfixturevalue(who))
    with f.on(DAY):
        client.get(WORKBENCH)
        # when / then: one or two queries per kind of to-do, whatever the number of records
        with django_assert_max_num_queries(ceiling):
            client.get(WORKBENCH)


def test_s14_village_is_told_which_helpers_have_overdue_elders(elder, helper_a, village_a, village_b):
    # given the elder paired 70 days ago has had no visit: overdue
    # when / then: the village committee sees the helper with the count, linking to coverage
    group = _group(village_a, "helpers_overdue")
    assert group.count == 1
    assert group.items[0]["label"] == f"{helper_a}: 1 overdue"
    assert group.url == reverse("eldercare:coverage")
    assert "helpers_overdue" not in _kinds(village_b)
    # once visited, it goes
    f.visit(helper_a, elder, DAY)
    assert "helpers_overdue" not in _kinds(village_a)
