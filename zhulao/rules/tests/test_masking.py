"""Masking of personal data for display, and the count of ID numbers a viewer can still rebuild."""

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhulao.rules.idcard import age_on, make_id_number, parse_id_number
from zhulao.rules.masking import (
    MIN_ID_CANDIDATES,
    id_candidates,
    mask_bank_account,
    mask_id_number,
    mask_name,
    mask_phone,
)

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("35060219900101123X", "350602************"),
        ("35060219900101123x", "350602************"),
        ("350602 19900101 123X", "350602************"),
        ("130503670401001", "130503*********"),
        ("350602********123X", "350602************"),  # a value masked under the old rule
        ("3506021990010112", "350602**********"),
        ("12345678901", "***********"),
        ("1234567890", "**********"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("0596-2345678", "059****5678"),
        ("12345678", "123*5678"),
        ("1234567", "*******"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("6222020200112233445", "****3445"),
        ("6222 0202 0011 2233 445", "****3445"),
        ("12345", "****2345"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_bank_account(value, masked):
    assert mask_bank_account(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三丰", "张*丰"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧**娜"),
        ("买买提·艾力", "买****力"),
        ("李", "李"),
        (" 张三 ", "张*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


# ------------------------------------------------------------------------------- candidates (S2)

addresses = st.text(alphabet="0123456789", min_size=6, max_size=6)
births = st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def _sex(number: str) -> str:
    return "M" if int(number[16]) % 2 else "F"


def test_s2_the_old_mask_beside_the_birth_date_gives_the_number_back():
    # given the example: old mask, birth date shown, region and sex visible
    number = make_id_number("350602", date(1948, 3, 2), 952)
    old = number[:6] + "********" + number[-4:]
    # then one number is left; with the birth year instead, a few dozen (the check digit cuts ~11x)
    assert id_candidates(old, today=TODAY, birth_date=date(1948, 3, 2)) == 1
    assert id_candidates(old, today=TODAY, birth_year=1948, sex="F", region_code="350602") == 34


def test_s2_region_birth_date_and_sex_leave_500_so_the_date_is_not_shown_without_unmask():
    number = make_id_number("350602", date(1948, 3, 2), 952)
    masked = mask_id_number(number)
    assert masked == "350602************"
    assert id_candidates(masked, today=TODAY, birth_date=date(1948, 3, 2), sex="F") == 500
    # a birth year: 366 days (1948 is a leap year) x 500 sequences
    assert id_candidates(masked, today=TODAY, birth_year=1948, sex="F") == 183_000
    # a month: 31 x 500
    assert id_candidates(masked, today=TODAY, birth_month=(1948, 3), sex="F") == 15_500


def test_s2_the_full_number_is_one_candidate_and_contradictions_are_none():
    number = make_id_number("350602", date(1990, 1, 1), 123)
    assert id_candidates(number, today=TODAY) == 1
    assert id_candidates(number, today=TODAY, birth_year=1991) == 0
    assert id_candidates(number, today=TODAY, sex="F") == 0
    assert id_candidates(number, today=TODAY, region_code="350603") == 0


def test_s2_a_legacy_15_digit_mask_is_counted_too():
    assert id_candidates("350602" + "*" * 9, today=TODAY, birth_year=1948, sex="F") == 183_000
    assert id_candidates("350602480302952", today=TODAY) == 1


def test_s2_bad_patterns_are_refused():
    with pytest.raises(ValueError, match="15 or 18"):
        id_candidates("350602***", today=TODAY)
    with pytest.raises(ValueError, match="6 digits"):
        id_candidates("*" * 18, today=TODAY, region_code="35")


@settings(max_examples=25, deadline=None)
@given(address=addresses, born=births, seq=sequences)
def test_s2_the_new_mask_with_birth_year_age_sex_and_region_leaves_at_least_1000(address, born, seq):
    # given what a role without unmask sees: the mask, the birth year, the age today, sex and region
    number = make_id_number(address, born, seq)
    # when
    left = id_candidates(
        mask_id_number(number),
        today=TODAY,
        birth_year=born.year,
        ages=[(age_on(born, TODAY), TODAY)],
        sex=_sex(number),
        region_code=address,
    )
    # then
    assert left >= MIN_ID_CANDIDATES


@settings(max_examples=30, deadline=None)
@given(
    address=addresses,
    born=births,
    seq=sequences,
    hidden=st.sets(st.integers(min_value=0, max_value=17), min_size=1, max_size=3),
    facts=st.sets(st.sampled_from(["year", "sex", "region", "age"])),
)
def test_s2_the_count_equals_brute_force_and_always_includes_the_true_number(address, born, seq, hidden, facts):
    # given a real number with up to three characters hidden and some facts visible
    number = make_id_number(address, born, seq)
    pattern = "".join("*" if i in hidden else c for i, c in enumerate(number))
    kwargs = {
        "birth_year": born.year if "year" in facts else None,
        "sex": _sex(number) if "sex" in facts else None,
        "region_code": address if "region" in facts else None,
        "ages": [(age_on(born, TODAY), TODAY)] if "age" in facts else [],
    }
    # when every filling of the hidden characters is tried
    positions = sorted(hidden)
    alphabets = ["0123456789X" if i == 17 else "0123456789" for i in positions]
    brute = 0
    for fill in itertools.product(*alphabets):
        chars = list(number)
        for i, c in zip(positions, fill, strict=True):
            chars[i] = c
        candidate = "".join(chars)
        try:
            parsed = parse_id_number(candidate, today=TODAY)
        except ValueError:
            continue
        if parsed.birth_date < date(TODAY.year - 120, 1, 1):
            continue
        if kwargs["birth_year"] is not None and parsed.birth_date.year != kwargs["birth_year"]:
            continue
        if kwargs["sex"] is not None and parsed.sex != kwargs["sex"]:
            continue
        if kwargs["region_code"] is not None and parsed.address_code != kwargs["region_code"]:
            continue
        if kwargs["ages"] and age_on(parsed.birth_date, TODAY) != kwargs["ages"][0][0]:
            continue
        brute += 1
    # then
    counted = id_candidates(pattern, today=TODAY, **kwargs)
    assert counted == brute
    assert counted >= 1


@settings(max_examples=25, deadline=None)
@given(address=addresses, born=births, seq=sequences)
def test_s2_seeing_more_never_leaves_more_candidates(address, born, seq):
    number = make_id_number(address, born, seq)
    masked = mask_id_number(number)
    sex = _sex(number)
    steps = [
        id_candidates(masked, today=TODAY),
        id_candidates(masked, today=TODAY, region_code=address),
        id_candidates(masked, today=TODAY, region_code=address, sex=sex),
        id_candidates(masked, today=TODAY, region_code=address, sex=sex, birth_year=born.year),
        id_candidates(masked, today=TODAY, region_code=address, sex=sex, birth_date=born),
        id_candidates(number, today=TODAY),
    ]
    assert steps == sorted(steps, reverse=True)
    assert steps[-1] == 1
