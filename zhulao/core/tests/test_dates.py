"""The one ``YYYY-MM`` month parser (S14, S18): good months, bad text, months out of range."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError

from zhulao.core.commands import month_option
from zhulao.core.dates import parse_month
from zhulao.core.exceptions import DomainError


@pytest.mark.parametrize(("raw", "month"), [("2025-02", date(2025, 2, 1)), (" 2026-12 ", date(2026, 12, 1))])
def test_s14_a_month_is_its_first_day(raw, month):
    assert parse_month(raw) == month


def test_s14_an_empty_month_is_the_default_or_refused():
    # given / when / then
    assert parse_month("", default=date(2025, 3, 17)) == date(2025, 3, 1)
    with pytest.raises(DomainError) as refused:
        parse_month("")
    assert refused.value.code == "invalid_month"


BAD = ["June", "2025", "2025-2", "2025-02-01", "25-02", "2025/02", "2025-13", "2025-00", "0000-05"]


@pytest.mark.parametrize("raw", BAD)
def test_s14_bad_or_out_of_range_months_are_refused_naming_the_field(raw):
    with pytest.raises(DomainError) as refused:
        parse_month(raw, default=date(2025, 3, 1), field="start")
    assert (refused.value.code, refused.value.field) == ("invalid_month", "start")
    assert "YYYY-MM" in str(refused.value)


def test_s14_the_command_option_is_a_clear_command_error():
    assert month_option(None, "month") is None
    assert month_option("2025-02", "month") == date(2025, 2, 1)
    with pytest.raises(CommandError, match="--month: .*YYYY-MM"):
        month_option("2025-13", "month")
