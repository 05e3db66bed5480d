"""Elder-care API: the helper's day, a visit through the same services, needs for the township."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from zhulao.eldercare import services
from zhulao.eldercare.models import NeedReport
from zhulao.people.tests import factories as people_factories


@pytest.fixture
def elder(policy, regions, village_a):
    person = people_factories.make_person(
        regions["village_a"], id_number=people_factories.id_number(date(1940, 3, 3)), name="陈阿婆"
    )
    return services.archive_create(actor=village_a, person=person, categories=["left_behind"])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_s15_helper_records_a_visit_through_the_api(elder, helper_a, village_a, township_a):
    # given: the elder is paired with the helper
    services.pairing_assign(actor=village_a, archive=elder, helper=helper_a)
    client = _client(helper_a)
    # when
    day = client.get("/api/v1/care/today").json()
    started = client.post(f"/api/v1/care/archives/{elder.public_id}/visits", {}, content_type="application/json")
    visit_id = started.json()["public_id"]
    submitted = client.post(
        f"/api/v1/care/visits/{visit_id}/submit",
        {"services": {"cleaning": 30, "meals": 20}, "new_needs": ["屋顶漏雨，需要维修"]},
        content_type="application/json",
    )
    # then
    assert [d["name"] for d in day] == [elder.person.name]
    assert started.status_code == 201
    assert submitted.status_code == 200
    assert submitted.json()["submitted"] is True
    needs = _client(township_a).get("/api/v1/care/needs").json()
    assert [n["description"] for n in needs] == ["屋顶漏雨，需要维修"]
    handled = _client(township_a).post(
        f"/api/v1/care/needs/{needs[0]['public_id']}/handle",
        {"note": "已联系村委维修"},
        content_type="application/json",
    )
    assert handled.json()["status"] == "handled"


def test_s15_an_unpaired_helper_gets_404_and_staff_get_403(elder, helper_a, civil_affairs_a):
    response = _client(helper_a).post(
        f"/api/v1/care/archives/{elder.public_id}/visits", {}, content_type="application/json"
    )
    assert response.status_code == 404
    assert _client(civil_affairs_a).get("/api/v1/care/today").status_code == 403


def test_s17_needs_of_another_region_are_404(elder, helper_a, village_a, make_user):
    services.pairing_assign(actor=village_a, archive=elder, helper=helper_a)
    visit = services.visit_start(actor=helper_a, archive=elder)
    services.visit_submit(actor=helper_a, visit=visit, services={"safety": 15}, new_needs=["需要助浴"])
    other = make_user("township_employer", "township_b", username="township_other")
    needs = _client(other).get("/api/v1/care/needs").json()
    assert needs == []
    need = NeedReport.objects.get()
    response = _client(other).post(
        f"/api/v1/care/needs/{need.public_id}/handle", {"note": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
