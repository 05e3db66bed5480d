"""Elder-care API: the helper's day, a visit through the same services, needs for the township."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from zhulao.core import clock
from zhulao.eldercare import selectors, services
from zhulao.eldercare.models import ConfirmationCall, Emergency, NeedReport
from zhulao.eldercare.services import confirmations, emergencies, notifications
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


# ------------------------------------------------------------------------------ emergencies (S16)


def _post(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def paired_elder(elder, village_a, helper_a):
    services.pairing_assign(actor=village_a, archive=elder, helper=helper_a)
    return elder


def test_s16_an_emergency_is_reported_acknowledged_referred_and_closed_through_the_api(
    paired_elder, helper_a, village_a
):
    # when: the helper reports, the village acts
    reported = _post(_client(helper_a), f"/api/v1/care/archives/{paired_elder.public_id}/emergencies", {"kind": "fall"})
    eid = reported.json()["public_id"]
    village = _client(village_a)
    listed = village.get("/api/v1/care/emergencies").json()
    acknowledged = _post(village, f"/api/v1/care/emergencies/{eid}/acknowledge", {"note": "已电话联系"})
    referred = _post(village, f"/api/v1/care/emergencies/{eid}/refer", {"service": "120"})
    no_outcome = _post(village, f"/api/v1/care/emergencies/{eid}/close", {"outcome": " "})
    closed = _post(village, f"/api/v1/care/emergencies/{eid}/close", {"outcome": "已送医"})
    # then
    assert (reported.status_code, reported.json()["level"]) == (201, "village")
    assert [e["public_id"] for e in listed] == [eid]
    assert acknowledged.json()["acknowledged_at"] is not None
    assert referred.json()["referral_120"] is True
    assert (no_outcome.status_code, no_outcome.json()["code"]) == (400, "outcome_required")
    assert closed.json()["outcome"] == "已送医"
    assert village.get("/api/v1/care/emergencies").json() == []
    assert [e["public_id"] for e in village.get("/api/v1/care/emergencies?status=closed").json()] == [eid]
    assert Emergency.objects.get().acknowledged_by == village_a


def test_s16_emergency_api_other_region_is_404_and_wrong_role_403(
    paired_elder, helper_a, village_b, finance_a, make_user
):
    emergency = emergencies.emergency_report(actor=helper_a, archive=paired_elder, kind="fall", occurred_at=clock.now())
    far = _client(village_b)
    assert _post(far, f"/api/v1/care/emergencies/{emergency.public_id}/acknowledge").status_code == 404
    assert far.get("/api/v1/care/emergencies").json() == []
    assert (
        _post(far, f"/api/v1/care/archives/{paired_elder.public_id}/emergencies", {"kind": "fall"}).status_code == 404
    )
    unpaired = make_user("helper", "village_a", username="helper_unpaired")
    url = f"/api/v1/care/archives/{paired_elder.public_id}/emergencies"
    assert _post(_client(unpaired), url, {"kind": "fall"}).status_code == 404
    bad_kind = _post(_client(helper_a), url, {"kind": "flood"})
    assert (bad_kind.status_code, bad_kind.json()["code"]) == (400, "invalid_kind")
    finance = _client(finance_a)
    assert finance.get("/api/v1/care/emergencies").status_code == 403
    assert _post(finance, url, {"kind": "fall"}).status_code == 403
    assert _post(finance, f"/api/v1/care/emergencies/{emergency.public_id}/close", {"outcome": "x"}).status_code == 403
    emergency.refresh_from_db()
    assert (emergency.acknowledged_at, emergency.closed_at) == (None, None)
    assert Emergency.objects.count() == 1


# ------------------------------------------------------------------------------ confirmation calls (S14)


@pytest.fixture
def call(paired_elder, helper_a, village_a):
    services.contact_add(actor=village_a, archive=paired_elder, name="陈女儿", relation="女儿", phone="13912345678")
    visit = services.visit_start(actor=helper_a, archive=paired_elder)
    services.visit_submit(actor=helper_a, visit=visit, services={"meals": 30})
    confirmations.sample_calls(month=visit.visit_date, seed=1)
    return ConfirmationCall.objects.get()


def test_s14_confirmation_calls_are_listed_and_recorded_through_the_api(call, village_a, django_assert_max_num_queries):
    client = _client(village_a)
    month = f"{call.month:%Y-%m}"
    client.get("/api/v1/care/calls", {"month": month})
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/care/calls", {"month": month}).json()
    url = f"/api/v1/care/calls/{call.visit.public_id}/record"
    recorded = _post(client, url, {"result": "unreachable"})
    uncorrected = _post(client, url, {"result": "confirmed"})
    corrected = _post(client, url, {"result": "confirmed", "note": "次日回拨确认"})
    assert [c["elder"] for c in listed] == ["陈阿婆"]
    assert listed[0]["contacts"] == [{"name": "陈女儿", "relation": "女儿", "phone_masked": "139****5678"}]
    assert recorded.json()["result"] == "unreachable"
    assert (uncorrected.status_code, uncorrected.json()["code"]) == (400, "correction_note_required")
    assert (corrected.json()["result"], corrected.json()["called_by"]) == ("confirmed", str(village_a))
    bad_month = client.get("/api/v1/care/calls", {"month": "2025-13"})
    assert (bad_month.status_code, bad_month.json()["code"]) == (400, "invalid_month")
    assert bad_month.json()["field"] == "month"


def test_s14_confirmation_call_api_other_region_404_wrong_role_403(call, village_b, helper_a, civil_affairs_a):
    url = f"/api/v1/care/calls/{call.visit.public_id}/record"
    month = {"month": f"{call.month:%Y-%m}"}
    assert _client(village_b).get("/api/v1/care/calls", month).json() == []
    assert _post(_client(village_b), url, {"result": "confirmed"}).status_code == 404
    assert _client(helper_a).get("/api/v1/care/calls", month).status_code == 403
    assert [c["result"] for c in _client(civil_affairs_a).get("/api/v1/care/calls", month).json()] == [""]
    assert _post(_client(civil_affairs_a), url, {"result": "confirmed"}).status_code == 403
    call.refresh_from_db()
    assert call.result == ""


# ------------------------------------------------------------------------------ notifications


def test_notifications_api_lists_counts_and_marks_only_ones_own(paired_elder, helper_a, village_a, township_a):
    # given: the village is alerted to an emergency; the helper has a notification of its own
    emergencies.emergency_report(actor=helper_a, archive=paired_elder, kind="fall", occurred_at=clock.now())
    theirs = notifications.notify(user=helper_a, kind="test", title="给助老员")
    client = _client(village_a)
    # when / then
    assert client.get("/api/v1/care/notifications/unread-count").json() == {"unread": 1}
    [note] = client.get("/api/v1/care/notifications").json()
    assert (note["kind"], note["read"]) == ("emergency", False)
    assert _post(client, "/api/v1/care/notifications/read", {"ids": [theirs.pk]}).json() == {"marked": 0}
    assert _post(client, "/api/v1/care/notifications/read", {"ids": [note["id"]]}).json() == {"marked": 1}
    assert client.get("/api/v1/care/notifications/unread-count").json() == {"unread": 0}
    assert client.get("/api/v1/care/notifications?unread=true").json() == []
    assert _client(helper_a).get("/api/v1/care/notifications/unread-count").json() == {"unread": 1}
    assert _client(township_a).get("/api/v1/care/notifications").json() == []


# ------------------------------------------------------------------------------ coverage (S14)


def test_s14_coverage_api_gives_the_figures_of_a_region_and_its_children(
    regions, paired_elder, township_a, civil_affairs_a
):
    township = _client(township_a).get("/api/v1/care/coverage").json()
    village = _client(township_a).get("/api/v1/care/coverage", {"region": regions["village_a"].code}).json()
    county = _client(civil_affairs_a).get("/api/v1/care/coverage").json()
    total, _children = selectors.coverage(user=township_a, region=regions["township_a"], on=clock.today())
    assert (township["region"], township["due"], township["visited"]) == ("350602100000", total.due, total.visited)
    assert township["not_visited"] == 1
    assert [c["region"] for c in township["children"]] == [regions["village_a"].code]
    assert (village["region"], village["due"], village["children"]) == (regions["village_a"].code, 1, [])
    assert [c["region"] for c in county["children"]] == ["350602100000"]


def test_s14_coverage_api_other_region_404_wrong_role_403(regions, paired_elder, township_a, finance_a):
    other = _client(township_a).get("/api/v1/care/coverage", {"region": regions["township_b"].code})
    assert (other.status_code, other.json()["code"]) == (404, "not_found")
    assert _client(township_a).get("/api/v1/care/coverage", {"region": "junk"}).status_code == 404
    assert _client(finance_a).get("/api/v1/care/coverage").status_code == 403
