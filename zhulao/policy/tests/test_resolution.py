"""Resolving dated policy parameters: the official anchors, prefix and date precedence, writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhulao.accounts.models import User
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.policy import selectors, services
from zhulao.policy.models import Confidence, PolicyParameter
from zhulao.rules.retirement import RetirementTrack

XIANGCHENG_VILLAGE = "350602100200"  # 芗城区, tier 2
ZHANGPU_VILLAGE = "350623100200"  # 漳浦县, tier 3
LONGWEN_VILLAGE = "350603103200"  # 龙文区
TEST_KEY = "eligibility.working_age_min"  # a whole-number key the seed sets only everywhere ("")


def _add(
    key: str = TEST_KEY,
    *,
    value: Any,
    effective_from: date,
    region_prefix: str = "",
    actor: User | None = None,
    source: str = "test source",
    confidence: str = Confidence.CONFIRMED,
    note: str = "",
) -> PolicyParameter:
    return services.parameter_add(
        actor=actor,
        key=key,
        value=value,
        effective_from=effective_from,
        source=source,
        confidence=confidence,
        region_prefix=region_prefix,
        note=note,
    )


# --- the anchors (POLICY §2.1) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "on", "expected"),
    [
        pytest.param(XIANGCHENG_VILLAGE, date(2022, 5, 1), Decimal("1960"), id="xiangcheng-2022"),
        pytest.param(ZHANGPU_VILLAGE, date(2022, 5, 1), Decimal("1810"), id="zhangpu-2022"),
        pytest.param(XIANGCHENG_VILLAGE, date(2020, 6, 1), Decimal("1720"), id="xiangcheng-2020"),
        pytest.param(ZHANGPU_VILLAGE, date(2020, 6, 1), Decimal("1570"), id="zhangpu-2020"),
    ],
)
def test_minimum_wage_anchors(policy, region, on, expected):
    # when
    amount, cited = selectors.min_wage_monthly(region=region, on=on)
    # then
    assert amount == expected
    assert {r.key for r in cited} == {"min_wage.tier", "min_wage.monthly_tiers"}


def test_minimum_wage_changes_on_the_day_the_2022_notice_takes_effect(policy):
    assert selectors.min_wage_monthly(region=XIANGCHENG_VILLAGE, on=date(2022, 3, 31))[0] == Decimal("1720")
    assert selectors.min_wage_monthly(region=XIANGCHENG_VILLAGE, on=date(2022, 4, 1))[0] == Decimal("1960")


def test_minimum_wage_before_2020_is_missing_not_guessed(policy):
    with pytest.raises(selectors.PolicyMissing) as exc:
        selectors.min_wage_monthly(region=XIANGCHENG_VILLAGE, on=date(2019, 12, 31))
    assert exc.value.code == "policy_missing"


def test_programme_wage_defaults_to_the_minimum_wage(policy):
    amount, cited = selectors.programme_wage(region=ZHANGPU_VILLAGE, on=date(2022, 5, 1))
    assert amount == Decimal("1810")
    assert "programme.wage" in {r.key for r in cited}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)))
def test_xiangcheng_minimum_wage_is_never_below_zhangpu(policy, on):
    xiangcheng, _ = selectors.min_wage_monthly(region=XIANGCHENG_VILLAGE, on=on)
    zhangpu, _ = selectors.min_wage_monthly(region=ZHANGPU_VILLAGE, on=on)
    assert xiangcheng >= zhangpu


# --- precedence --------------------------------------------------------------------------------------


def test_most_specific_prefix_wins_over_a_later_general_value(db):
    # given: a county value from 2020, then a later city-wide value from 2021
    _add(value=20, region_prefix="350602", effective_from=date(2020, 1, 1))
    _add(value=18, region_prefix="3506", effective_from=date(2021, 1, 1))
    # when
    xiangcheng = selectors.resolve(TEST_KEY, region=XIANGCHENG_VILLAGE, on=date(2022, 1, 1))
    longwen = selectors.resolve(TEST_KEY, region=LONGWEN_VILLAGE, on=date(2022, 1, 1))
    # then
    assert (xiangcheng.value, xiangcheng.region_prefix) == (20, "350602")
    assert (longwen.value, longwen.region_prefix) == (18, "3506")


def test_a_region_outside_every_prefix_falls_back_to_everywhere(db):
    _add(value=16, effective_from=date(2020, 1, 1))
    _add(value=18, region_prefix="3506", effective_from=date(2020, 1, 1))
    assert selectors.value(TEST_KEY, region="350100000000", on=date(2022, 1, 1)) == 16


def test_latest_effective_date_on_or_before_the_day_wins(db):
    # given
    _add(value=16, effective_from=date(2020, 1, 1))
    _add(value=18, effective_from=date(2023, 1, 1))
    # then
    assert selectors.value(TEST_KEY, region=XIANGCHENG_VILLAGE, on=date(2022, 12, 31)) == 16
    assert selectors.value(TEST_KEY, region=XIANGCHENG_VILLAGE, on=date(2023, 1, 1)) == 18
    with pytest.raises(selectors.PolicyMissing):
        selectors.value(TEST_KEY, region=XIANGCHENG_VILLAGE, on=date(2019, 12, 31))


def test_a_correction_recorded_later_for_the_same_date_wins(db):
    # given: a value, then a correction of it for the same day
    _add(value=16, effective_from=date(2020, 1, 1))
    correction = _add(value=17, effective_from=date(2020, 1, 1), note="typo in the first entry")
    # when
    resolved = selectors.resolve(TEST_KEY, region=XIANGCHENG_VILLAGE, on=date(2021, 1, 1))
    # then
    assert resolved.value == 17
    assert resolved.parameter_id == correction.pk
    assert len(selectors.history(TEST_KEY)) == 2


def test_resolution_works_on_codes_without_region_rows(db):
    # given: no Region rows at all
    _add(value=21, region_prefix="350623", effective_from=date(2020, 1, 1))
    # then
    assert selectors.value(TEST_KEY, region="350623999999", on=date(2021, 1, 1)) == 21


# --- history is never edited --------------------------------------------------------------------------


def test_a_stored_value_cannot_be_saved_again(db):
    row = _add(value=16, effective_from=date(2020, 1, 1))
    row.value = 99
    with pytest.raises(PermissionError):
        row.save()
    row.refresh_from_db()
    assert row.value == 16


def test_a_stored_value_cannot_be_deleted(db):
    row = _add(value=16, effective_from=date(2020, 1, 1))
    with pytest.raises(PermissionError):
        row.delete()
    assert PolicyParameter.objects.filter(pk=row.pk).exists()


def test_stored_values_cannot_be_changed_or_deleted_in_bulk(db):
    row = _add(value=16, effective_from=date(2020, 1, 1))
    with pytest.raises(PermissionError):
        PolicyParameter.objects.filter(pk=row.pk).update(value=99)
    with pytest.raises(PermissionError):
        PolicyParameter.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.value == 16


# --- the programme wage ---------------------------------------------------------------------------------


def test_programme_wage_override_below_the_minimum_wage_is_refused(policy):
    with pytest.raises(DomainError) as exc:
        _add(
            "programme.wage",
            value={"basis": "min_wage_monthly", "override": "1900"},
            region_prefix="350602",
            effective_from=date(2022, 5, 1),
        )
    assert exc.value.code == "below_min_wage"
    assert exc.value.field == "value"


def test_city_wide_programme_wage_override_below_any_county_minimum_is_refused(policy):
    # given: 1850 is above 漳浦县's 1810 but below 芗城区's 1960 in 2022
    with pytest.raises(DomainError) as exc:
        _add(
            "programme.wage",
            value={"basis": "min_wage_monthly", "override": "1850"},
            region_prefix="3506",
            effective_from=date(2022, 5, 1),
        )
    assert exc.value.code == "below_min_wage"


def test_programme_wage_override_above_the_minimum_is_paid(policy):
    # given
    _add(
        "programme.wage",
        value={"basis": "min_wage_monthly", "override": "2100"},
        region_prefix="350602",
        effective_from=date(2022, 5, 1),
    )
    # when
    xiangcheng, cited = selectors.programme_wage(region=XIANGCHENG_VILLAGE, on=date(2022, 6, 1))
    zhangpu, _ = selectors.programme_wage(region=ZHANGPU_VILLAGE, on=date(2022, 6, 1))
    # then
    assert xiangcheng == Decimal("2100")
    assert cited[-1].region_prefix == "350602"
    assert zhangpu == Decimal("1810")


# --- invalid values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        pytest.param("min_wage.monthly_tiers", ["2030", "1960"], "invalid_value", id="tiers-not-a-mapping"),
        pytest.param("si.pension", {"employer": "0.16"}, "invalid_value", id="rates-missing-worker"),
        pytest.param("programme.wage", {"override": "2000"}, "invalid_value", id="wage-without-basis"),
        pytest.param("placement.max_count", -1, "invalid_value", id="negative-count"),
        pytest.param("min_wage.monthly_tiers", {"1": "-5"}, "invalid_value", id="negative-amount"),
        pytest.param("si.pension", {"employer": "1.5", "worker": "0.08"}, "invalid_value", id="rate-above-1"),
        pytest.param("calendar.2025", {"holidays": ["2025-13-01"], "workdays": []}, "invalid_value", id="bad-date"),
        pytest.param("min_wage.bonus", 100, "unknown_key", id="unknown-key"),
    ],
)
def test_invalid_values_are_refused(db, key, value, code):
    with pytest.raises(DomainError) as exc:
        _add(key, value=value, effective_from=date(2024, 1, 1))
    assert exc.value.code == code
    assert not PolicyParameter.objects.exists()


@pytest.mark.parametrize("source", ["", "   "])
def test_every_value_needs_a_source(db, source):
    with pytest.raises(DomainError) as exc:
        _add(value=16, effective_from=date(2024, 1, 1), source=source)
    assert exc.value.code == "source_required"
    assert not PolicyParameter.objects.exists()


def test_unknown_confidence_is_refused(db):
    with pytest.raises(DomainError) as exc:
        _add(value=16, effective_from=date(2024, 1, 1), confidence="MAYBE")
    assert exc.value.code == "invalid_confidence"


# --- who may add ---------------------------------------------------------------------------------------


def test_system_admin_adds_a_value_for_the_city_and_it_is_audited(system_admin):
    # when
    row = _add(value=18, region_prefix="3506", effective_from=date(2024, 1, 1), actor=system_admin)
    # then
    assert row.recorded_by == system_admin
    event = AuditEvent.objects.get(action="policy.add", object_id=str(row.pk))
    assert event.actor == system_admin
    assert event.region_code == "350600000000"
    assert event.changes["value"] == [None, 18]


def test_system_admin_cannot_add_a_value_wider_than_own_scope(system_admin):
    with pytest.raises(Forbidden) as exc:
        _add(value=18, region_prefix="", effective_from=date(2024, 1, 1), actor=system_admin)
    assert exc.value.code == "out_of_scope"
    assert not PolicyParameter.objects.exists()


def test_system_admin_cannot_add_a_value_for_another_city(system_admin):
    with pytest.raises(Forbidden):
        _add(value=18, region_prefix="3501", effective_from=date(2024, 1, 1), actor=system_admin)


def test_civil_affairs_cannot_edit_policy(civil_affairs_a):
    with pytest.raises(Forbidden) as exc:
        _add(value=18, region_prefix="350602", effective_from=date(2024, 1, 1), actor=civil_affairs_a)
    assert exc.value.code == "forbidden"
    assert not PolicyParameter.objects.exists()


# --- derived values ---------------------------------------------------------------------------------


def test_retirement_scheme_before_the_2025_reform_is_the_1978_one(policy):
    scheme = selectors.retirement_scheme(on=date(2024, 12, 31))
    assert scheme.reform_start == date(1978, 6, 2)
    assert scheme.rule(RetirementTrack.MALE).original_age_years == 60
    assert scheme.rule(RetirementTrack.MALE).max_delay_months == 0


def test_retirement_scheme_from_2025_is_the_reform(policy):
    scheme = selectors.retirement_scheme(on=date(2025, 6, 1))
    assert scheme.reform_start == date(2025, 1, 1)
    assert scheme.rule(RetirementTrack.MALE).max_delay_months == 36
    assert scheme.rule(RetirementTrack.FEMALE_50).max_delay_months == 60


def test_work_calendar_2025_knows_national_day_and_the_adjusted_sunday(policy):
    calendar = selectors.work_calendar(years=[2025])
    assert not calendar.is_working_day(date(2025, 10, 1))
    assert calendar.is_working_day(date(2025, 9, 28))  # a Sunday worked (调休上班)
    assert not calendar.is_working_day(date(2025, 9, 27))  # an ordinary Saturday


def test_work_calendar_for_a_year_without_data_is_an_error(policy):
    with pytest.raises(selectors.PolicyMissing):
        selectors.work_calendar(years=[2030])


def test_loading_the_policy_twice_adds_nothing(policy):
    from django.core.management import call_command

    before = PolicyParameter.objects.count()
    call_command("load_policy", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert PolicyParameter.objects.count() == before
