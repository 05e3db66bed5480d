"""Policy pages: looking values up, each key's history, adding a dated value."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from zhulao.policy.models import PolicyParameter

LIST = reverse("policy:list")
ADD = reverse("policy:add")


def _row(response, key: str):
    return next(row for row in response.context["rows"] if row["key"] == key)


def _add_form(**overrides: str) -> dict[str, str]:
    data = {
        "key": "eligibility.working_age_min",
        "region_prefix": "3506",
        "effective_from": "2024-01-01",
        "value": "18",
        "source": "漳州市 test notice",
        "confidence": "CONFIRMED",
        "note": "",
    }
    data.update(overrides)
    return data


def test_civil_affairs_looks_up_the_2022_minimum_wage_of_xiangcheng(policy, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get(LIST, {"region": "350602", "on": "2022-05-01"})
    # then
    assert response.status_code == 200
    assert _row(response, "min_wage.tier")["resolved"].value == 2
    assert _row(response, "min_wage.monthly_tiers")["resolved"].value["2"] == "1960"
    assert "1960" in response.content.decode()


def test_lookup_on_an_earlier_day_shows_the_values_then(policy, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(LIST, {"region": "350602", "on": "2020-06-01"})
    html = response.content.decode()
    assert "1720" in html
    assert "1960" not in html


def test_helper_cannot_see_policy_parameters(policy, helper_a, client_for):
    assert client_for(helper_a).get(LIST).status_code == 403


def test_history_page_lists_every_value_of_a_key(policy, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(reverse("policy:history", args=["min_wage.monthly_tiers"]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2


def test_history_of_an_unknown_key_is_404(civil_affairs_a, client_for):
    assert client_for(civil_affairs_a).get(reverse("policy:history", args=["no.such.key"])).status_code == 404


def test_system_admin_adds_a_value_and_lands_on_its_history(system_admin, client_for):
    # when
    response = client_for(system_admin).post(ADD, _add_form())
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("policy:history", args=["eligibility.working_age_min"])
    row = PolicyParameter.objects.get(key="eligibility.working_age_min")
    assert (row.value, row.region_prefix, row.recorded_by) == (18, "3506", system_admin)


def test_civil_affairs_cannot_add_a_value(civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).post(ADD, _add_form(region_prefix="350602"))
    assert response.status_code == 403
    assert not PolicyParameter.objects.exists()


def test_system_admin_cannot_add_a_value_outside_own_city(system_admin, client_for):
    response = client_for(system_admin).post(ADD, _add_form(region_prefix="3501"))
    assert response.status_code == 403
    assert not PolicyParameter.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"value": "{not json"}, "value", id="bad-json"),
        pytest.param({"key": "min_wage.monthly_tiers", "value": json.dumps(["1960"])}, "value", id="bad-shape"),
        pytest.param({"region_prefix": "350"}, "region_prefix", id="prefix-not-a-level"),
        pytest.param({"source": ""}, "source", id="no-source"),
    ],
)
def test_bad_input_shows_a_field_error_and_writes_nothing(overrides, field, system_admin, client_for):
    # when
    response = client_for(system_admin).post(ADD, _add_form(**overrides))
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert escape(form.errors[field][0]) in response.content.decode()
    assert not PolicyParameter.objects.exists()


def test_system_admin_records_the_document_a_value_cites_and_the_history_shows_it(system_admin, client_for):
    # when
    form = _add_form(document_title="《漳州市测试文件》", document_number="漳测〔2024〕1号", document_date="2024-01-01")
    response = client_for(system_admin).post(ADD, form)
    # then: stored without the 《》, and shown on the history page
    assert response.status_code == 302
    row = PolicyParameter.objects.get(key="eligibility.working_age_min")
    document = (row.document_title, row.document_number, row.document_date)
    assert document == ("漳州市测试文件", "漳测〔2024〕1号", date(2024, 1, 1))
    page = client_for(system_admin).get(response["Location"]).content.decode()
    assert "《漳州市测试文件》 漳测〔2024〕1号 2024-01-01" in page


def test_a_document_number_without_a_title_is_refused_and_nothing_is_stored(system_admin, client_for):
    response = client_for(system_admin).post(ADD, _add_form(document_number="漳测〔2024〕1号"))
    assert response.status_code == 200
    assert "document_title" in response.context["form"].errors
    assert not PolicyParameter.objects.filter(key="eligibility.working_age_min").exists()
