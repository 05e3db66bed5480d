"""S4: an ID number held by a person out of the actor's reach is refused without naming the person or
their county, and the case is routed to the county that holds the person."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from zhulao.core.exceptions import DomainError
from zhulao.core.models import AuditEvent
from zhulao.eldercare.models import Notification
from zhulao.people import services
from zhulao.people.models import Person
from zhulao.people.services import routing
from zhulao.people.tests import factories as f
from zhulao.people.tests.test_views import _form_post

pytestmark = pytest.mark.usefixtures("policy")

NUMBER = f.id_number(date(1970, 5, 6), seq=132)


@pytest.fixture
def resident(regions):
    """A resident of 东山村, 芗城区 (county A)."""
    return f.make_person(regions["village_a"], name="刘红", id_number=NUMBER)


def test_s4_a_number_held_in_another_county_is_refused_without_the_name_or_the_county(
    regions, resident, village_b, civil_affairs_a, civil_affairs_b
):
    # when: a 龙文区 village employer registers a resident of 竹田村 with that number
    with pytest.raises(DomainError) as refused:
        f.make_person(regions["village_b"], actor=village_b, id_number=NUMBER, name="刘红")
    # then: told only that the number cannot be used
    message = str(refused.value)
    assert (refused.value.code, refused.value.field) == ("id_number_unavailable", "id_number")
    for hint in ("刘红", "芗城区", "东山村", "浦南镇", regions["village_a"].code, resident.id_number_masked):
        assert hint not in message
    assert Person.objects.count() == 1
    # and the holding county's staff get the case, the other county's do not
    (note,) = Notification.objects.filter(kind=routing.HELD_ELSEWHERE)
    assert note.user == civil_affairs_a
    assert resident.id_number_masked in note.title
    assert note.url == reverse("people:person_detail", args=[resident.public_id])
    assert not Notification.objects.filter(user=civil_affairs_b).exists()
    event = AuditEvent.objects.get(action="person." + routing.HELD_ELSEWHERE)
    assert (event.region_code, event.actor) == (resident.region_id, village_b)


def test_s4_an_update_to_a_number_held_elsewhere_is_routed_too(regions, resident, village_b, civil_affairs_a):
    # given: a person of 竹田村
    mine = f.make_person(regions["village_b"], actor=village_b, name="张三")
    data = f.person_data(regions["village_b"], name="张三", id_number=NUMBER)
    # when
    with pytest.raises(DomainError) as refused:
        services.person_update(actor=village_b, person=mine, data=data)
    # then
    assert refused.value.code == "id_number_unavailable"
    assert "刘红" not in str(refused.value)
    assert Notification.objects.filter(user=civil_affairs_a, kind=routing.HELD_ELSEWHERE).count() == 1
    mine.refresh_from_db()
    assert mine.id_number != NUMBER


def test_s4_a_duplicate_in_reach_still_names_the_person(regions, resident, village_a, civil_affairs_a):
    # when: the village that holds the resident enters the number again
    with pytest.raises(DomainError) as refused:
        f.make_person(regions["village_a2"], actor=civil_affairs_a, id_number=NUMBER, name="刘红")
    # then: a useful message, nothing routed
    assert refused.value.code == "duplicate_person"
    assert "刘红" in str(refused.value)
    assert not Notification.objects.filter(kind=routing.HELD_ELSEWHERE).exists()


def test_s4_the_person_form_of_another_county_shows_only_the_neutral_message(
    regions, resident, village_b, civil_affairs_a, client_for
):
    # when
    response = client_for(village_b).post(
        reverse("people:person_create"), _form_post(id_number=NUMBER, region=regions["village_b"].code, name="刘红")
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert str(routing.unavailable().message) in html
    assert "已登记(刘红)" not in html
    assert "芗城区" not in html
    assert Notification.objects.filter(user=civil_affairs_a).count() == 1


def test_s4_without_a_notifier_the_case_is_still_audited(regions, resident, village_b, monkeypatch):
    # given: no app registered a notifier
    monkeypatch.setattr("zhulao.core.notify.NOTIFIERS", [])
    # when
    with pytest.raises(DomainError):
        f.make_person(regions["village_b"], actor=village_b, id_number=NUMBER)
    # then
    assert AuditEvent.objects.filter(action="person." + routing.HELD_ELSEWHERE).count() == 1
    assert not Notification.objects.exists()


def test_s4_anonymous_form_does_not_reach_the_person_form(db):
    assert Client().post(reverse("people:person_create"), _form_post()).status_code == 302
