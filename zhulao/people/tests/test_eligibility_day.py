"""S4 + masking: judging eligibility on a chosen day needs the unmask permission (the age criterion flips on
the birthday, so free choice of the day would reveal the birth date by bisection)."""

from datetime import timedelta

import pytest

from zhulao.core import clock
from zhulao.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]


def _url(person, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/persons/{person.public_id}/eligibility" + (f"?{query}" if query else "")


def test_s4_village_may_judge_today_only(client, regions, village_a):
    # given a person in the village's scope
    person = make_person(regions["village_a"])
    client.force_login(village_a)
    # when the village asks for today, then for another day
    today = client.get(_url(person))
    other = client.get(_url(person, on=(clock.today() - timedelta(days=400)).isoformat()))
    # then today is answered and another day is refused without saying anything about the person
    assert today.status_code == 200
    assert other.status_code == 403
    assert other.json()["code"] == "day_needs_unmask"


def test_s4_before_birth_is_not_an_oracle_for_the_village(client, regions, village_a):
    # given a person; a day before the birth and a day after it
    person = make_person(regions["village_a"])
    client.force_login(village_a)
    before = client.get(_url(person, on=(person.birth_date - timedelta(days=1)).isoformat()))
    after = client.get(_url(person, on=(person.birth_date + timedelta(days=1)).isoformat()))
    # then both get the same refusal
    assert before.status_code == after.status_code == 403
    assert before.json() == after.json()


def test_s4_civil_affairs_may_choose_the_day(client, regions, civil_affairs_a):
    person = make_person(regions["village_a"])
    client.force_login(civil_affairs_a)
    ok = client.get(_url(person, on=(clock.today() - timedelta(days=30)).isoformat()))
    before = client.get(_url(person, on=(person.birth_date - timedelta(days=1)).isoformat()))
    assert ok.status_code == 200
    assert before.status_code == 400
    assert before.json()["field"] == "on"


def test_s4_page_hides_the_day_and_refuses_it_for_the_village(client, regions, village_a):
    person = make_person(regions["village_a"])
    client.force_login(village_a)
    detail = client.get(person.get_absolute_url())
    fragment = client.get(
        f"/people/{person.public_id}/eligibility/?on={(clock.today() - timedelta(days=400)).isoformat()}"
    )
    assert 'name="on"' not in detail.content.decode()
    assert fragment.status_code == 200
    assert "day_needs_unmask" not in fragment.content.decode()
    assert "今天以外的日期" in fragment.content.decode() or "another day than today" in fragment.content.decode()
