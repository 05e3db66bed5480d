"""Accounts tied to their holders' person records (for S20) and earlier placements recorded (S6)."""

from __future__ import annotations

from datetime import date

import pytest

from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.people import eligibility, services
from zhulao.people.tests import factories as f


def test_s20_system_admin_ties_an_account_to_its_holder(policy, regions, system_admin, village_a, client_for):
    person = f.make_person(regions["village_a"])
    response = client_for(system_admin).post(
        "/people/link-account/", {"username": village_a.username, "id_number": person.id_number, "reason": "入职登记"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == village_a
    event = AuditEvent.objects.get(action="person.link_user")
    assert person.id_number not in str(event.changes)


def test_s20_tying_needs_the_user_admin_and_known_records(policy, regions, system_admin, civil_affairs_a, client_for):
    person = f.make_person(regions["village_a"])
    assert client_for(civil_affairs_a).get("/people/link-account/").status_code == 403
    with pytest.raises(Forbidden):
        services.person_link_user(actor=civil_affairs_a, username="x", id_number=person.id_number, reason="r")
    with pytest.raises(DomainError):
        services.person_link_user(actor=system_admin, username="nobody", id_number=person.id_number, reason="r")
    with pytest.raises(DomainError):
        services.person_link_user(
            actor=system_admin, username=system_admin.username, id_number=f.id_number(), reason="r"
        )


def test_s6_an_earlier_placement_counts_toward_the_cap(policy, regions, village_a, client_for):
    person = f.make_person(regions["village_a"])
    url = f"/people/{person.public_id}/external-placements/"
    data = {
        "post_name": "护林员",
        "employer_name": "某镇政府",
        "started_on": "2021-01-01",
        "ended_on": "2023-12-31",
        "first_approved_on": "2021-01-01",
        "source": "省就业信息系统",
    }
    assert client_for(village_a).post(url, data).status_code == 302
    assert client_for(village_a).post(url, {**data, "started_on": "2024-01-01", "ended_on": ""}).status_code == 302
    decision = eligibility.decide(person, on=date(2026, 6, 1))
    assert decision.criterion("placements").status == "failed"
    assert decision.criterion("no_double_post").status == "failed"


def test_s6_earlier_placement_forms_other_region_and_wrong_role(policy, regions, civil_affairs_b, helper_a, client_for):
    person = f.make_person(regions["village_a"])
    url = f"/people/{person.public_id}/external-placements/"
    assert client_for(civil_affairs_b).post(url, {}).status_code == 404
    assert client_for(helper_a).post(url, {}).status_code == 403
