"""Every policy key has a schema with bounds; the one writer refuses a value outside it with the reason."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from zhulao.core.exceptions import DomainError
from zhulao.eldercare.choices import ARCHIVE_GROUPS, ElderCategory
from zhulao.policy import keys, services
from zhulao.policy.models import PolicyParameter
from zhulao.policy.schema import Int, InvalidValue, Obj, Schema
from zhulao.policy.seed import rows
from zhulao.rules.retirement import RetirementTrack

QUOTA = {"service_center": 2, "home_care_station": 1, "happiness_home": 1}


def _add(key: str, value: Any, **extra: Any) -> PolicyParameter:
    return services.parameter_add(
        actor=extra.pop("actor", None),
        key=key,
        value=value,
        effective_from=extra.pop("effective_from", date(2024, 1, 1)),
        source="test source",
        confidence="CONFIRMED",
        region_prefix=extra.pop("region_prefix", "3506"),
    )


def test_every_key_has_a_schema():
    for key, spec in keys.KEYS.items():
        assert isinstance(spec.schema, Schema), key
        assert spec.schema.describe(), key


@pytest.mark.parametrize(("key", "prefix", "effective_from", "value"), [r[:4] for r in rows()], ids=lambda v: str(v))
def test_every_seeded_row_passes_its_schema(key, prefix, effective_from, value):
    keys.check_value(key, value)


def test_the_schema_enums_follow_the_app_choices():
    assert set(keys.ELDER_CATEGORIES) == set(ElderCategory.values)
    assert keys.ARCHIVE_GROUPS == ARCHIVE_GROUPS
    assert set(keys.RETIREMENT_TRACKS) == {t.value for t in RetirementTrack}


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        pytest.param("facility.post_quota", {**QUOTA, "service_center": 3}, "service_center: 3", id="quota-3"),
        pytest.param("facility.post_quota", {**QUOTA, "happiness_home": 2}, "happiness_home: 2", id="quota-home-2"),
        pytest.param("facility.post_quota", {"service_center": 2}, "home_care_station", id="quota-kind-missing"),
        pytest.param("facility.post_quota", {**QUOTA, "office": 1}, "office", id="quota-unknown-kind"),
        pytest.param("facility.post_quota", {**QUOTA, "service_center": "2"}, "service_center", id="quota-string"),
        pytest.param("placement.max_count", 3, "3", id="max-count-3"),
        pytest.param("placement.max_period_months", 48, "48", id="period-48"),
        pytest.param("min_wage.tier", 5, "5", id="tier-5"),
        pytest.param("min_wage.monthly_tiers", {"1": "99999"}, "1: ", id="wage-too-high"),
        pytest.param("programme.wage", {"basis": "flat", "override": None}, "basis", id="wage-basis"),
        pytest.param("si.pension", {"employer": "0.16", "worker": "0.5"}, "worker", id="worker-rate"),
        pytest.param("si.work_injury", {"employer": "0.002", "worker": "0.01"}, "worker", id="injury-worker"),
        pytest.param("recruitment.notice_period", {"days": 1, "unit": "working_day"}, "days", id="notice-1-day"),
        pytest.param("recruitment.notice_period", {"days": 5, "unit": "week"}, "unit", id="notice-unit"),
        pytest.param("eligibility.urban_older_age", {"male": 50, "female": 90}, "female", id="age-90"),
        pytest.param("eldercare.advanced_age", 40, "40", id="advanced-40"),
        pytest.param("eldercare.visit_rules", {"left_behind": {"visits": 0, "period": "month"}}, "visits", id="0"),
        pytest.param("eldercare.visit_rules", {"aliens": {"visits": 1, "period": "month"}}, "aliens", id="category"),
        pytest.param("eldercare.group_mapping", {"托底": ["tekun", "martians"]}, "martians", id="group-category"),
        pytest.param("emergency.escalation", {"helper": 90, "village": 60, "township": 120}, "level", id="escalation"),
        pytest.param("capability.adjustments", {"risk_event_threshold": 2, "risk_window_days": 30}, "stack", id="cap"),
        pytest.param("recruitment.local_placement", "province", "province", id="local-rule"),
        pytest.param("people.default_female_track", "female60", "female60", id="track"),
        pytest.param("calendar.2027", {"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}, "both", id="cal"),
        pytest.param("confirmation.link_days", True, "True", id="bool-is-not-a-number"),
    ],
)
def test_values_outside_their_schema_are_refused_with_the_reason(db, key, value, reason):
    with pytest.raises(DomainError) as refused:
        _add(key, value)
    assert refused.value.code == "invalid_value"
    assert refused.value.field == "value"
    assert reason in str(refused.value)
    assert not PolicyParameter.objects.exists()


def test_a_quota_within_the_bounds_is_recorded(db):
    row = _add("facility.post_quota", {"service_center": 1, "home_care_station": 1, "happiness_home": 0})
    assert row.value["service_center"] == 1


@given(count=st.integers(min_value=-5, max_value=10))
def test_an_integer_bound_refuses_exactly_the_values_outside_it(count):
    schema = Obj({"service_center": Int(0, 2)})
    if 0 <= count <= 2:
        schema.check({"service_center": count})
    else:
        with pytest.raises(InvalidValue, match="service_center"):
            schema.check({"service_center": count})


def test_the_post_quota_bound_is_what_the_schema_allows():
    for kind, most in keys.POST_QUOTA_BOUNDS.items():
        assert keys.post_quota_bound(kind) == most
        keys.check_value("facility.post_quota", {**QUOTA, kind: most})
        with pytest.raises(InvalidValue):
            keys.check_value("facility.post_quota", {**QUOTA, kind: most + 1})


def test_load_policy_goes_through_the_checked_writer(db, monkeypatch):
    # given: a seed row outside its schema
    from django.core.management import call_command

    bad = ("facility.post_quota", "3506", date(2020, 1, 1), {**QUOTA, "service_center": 3}, "s", "CONFIRMED", "")
    monkeypatch.setattr("zhulao.policy.management.commands.load_policy.rows", lambda: [bad])
    # when / then
    with pytest.raises(DomainError):
        call_command("load_policy", verbosity=0)
    assert not PolicyParameter.objects.exists()


# --- through the form and the API --------------------------------------------------------------------


def test_the_form_refuses_a_quota_of_three_with_the_reason(system_admin, client_for):
    # when
    response = client_for(system_admin).post(
        reverse("policy:add"),
        {
            "key": "facility.post_quota",
            "region_prefix": "3506",
            "effective_from": "2025-07-01",
            "value": json.dumps({**QUOTA, "service_center": 3}),
            "source": "test",
            "confidence": "CONFIRMED",
        },
    )
    # then: the form again, the reason on the value field, nothing written
    assert response.status_code == 200
    error = response.context["form"].errors["value"][0]
    assert "service_center: 3" in error
    assert escape(error) in response.content.decode()
    assert not PolicyParameter.objects.exists()


def test_the_api_refuses_an_out_of_bound_value_with_a_4xx_naming_the_field(system_admin, client_for):
    payload = {
        "key": "placement.max_count",
        "value": 5,
        "effective_from": "2024-01-01",
        "source": "test",
        "confidence": "CONFIRMED",
        "region_prefix": "3506",
    }
    response = client_for(system_admin).post("/api/v1/policy", payload, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "value" in response.content.decode()
    assert not PolicyParameter.objects.exists()
