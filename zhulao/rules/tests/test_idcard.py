"""Resident ID numbers (GB 11643-1999): POLICY.md §4 vectors and MOD 11-2 properties."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhulao.rules.idcard import (
    CHECK_CHARS,
    WEIGHTS,
    IdNumberError,
    age_on,
    check_char,
    is_valid_id_number,
    make_id_number,
    parse_id_number,
    upgrade_15,
)

TODAY = date(2025, 6, 1)

addresses = st.text(alphabet="0123456789", min_size=6, max_size=6)
past_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


def test_weights_are_powers_of_two_mod_11():
    expected = tuple(2 ** (17 - i) % 11 for i in range(17))
    assert expected == WEIGHTS


def test_policy_vector_valid_with_x():
    # when
    parsed = parse_id_number("53010219200508011X", today=TODAY)
    # then
    assert parsed.number == "53010219200508011X"
    assert parsed.birth_date == date(1920, 5, 8)
    assert parsed.sex == "M"  # 17th digit 1 is odd
    assert parsed.address_code == "530102"
    assert (parsed.province_code, parsed.city_code, parsed.county_code) == ("53", "5301", "530102")


def test_policy_vector_wrong_check_digit_expects_x():
    with pytest.raises(IdNumberError) as excinfo:
        parse_id_number("530102192005080119", today=TODAY)
    err = excinfo.value
    assert err.code == "check_digit"
    assert err.expected == "X"
    assert err.message_zh == "校验码错误：第18位应为 X，实际为 9"
    assert err.message_en == "Check digit is wrong: the 18th character should be X, not 9"
    assert str(err) == err.message_en
    assert isinstance(err, ValueError)


def test_policy_vector_female_valid():
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "F"  # 17th digit 2 is even


def test_lower_case_x_and_spaces_are_accepted_and_stored_upper_case():
    parsed = parse_id_number(" 530102 19200508 011x ", today=TODAY)
    assert parsed.number == "53010219200508011X"


def test_15_digit_number_is_upgraded():
    # when
    parsed = parse_id_number("130503670401001", today=TODAY)
    # then
    assert parsed.number.startswith("13050319670401001")
    assert len(parsed.number) == 18
    assert parsed.number[17] == check_char("13050319670401001")
    assert parsed.birth_date == date(1967, 4, 1)
    assert parsed.sex == "M"
    assert is_valid_id_number(parsed.number, today=TODAY)


def test_15_digit_centenarian_sequence_gets_century_18():
    assert upgrade_15("130503670401997").startswith("13050318670401997")


@pytest.mark.parametrize("raw", ["1305036704010", "13050367040100A", "abcdefghijklmno"])
def test_upgrade_15_rejects_non_15_digit_input(raw):
    with pytest.raises(IdNumberError):
        upgrade_15(raw)


def test_31_february_is_rejected():
    first17 = "35060219990231001"
    with pytest.raises(IdNumberError) as excinfo:
        parse_id_number(first17 + check_char(first17), today=TODAY)
    assert excinfo.value.code == "birth_date"
    assert excinfo.value.message_zh == "出生日期 19990231 不是有效日期"
    assert excinfo.value.expected is None


def test_future_birth_date_is_rejected():
    number = make_id_number("350602", date(2099, 1, 1), 1)
    with pytest.raises(IdNumberError) as excinfo:
        parse_id_number(number, today=TODAY)
    assert excinfo.value.code == "future_birth_date"
    assert excinfo.value.message_zh == "出生日期 20990101 晚于今天"


def test_born_today_is_accepted():
    assert is_valid_id_number(make_id_number("350602", TODAY, 2), today=TODAY)


@pytest.mark.parametrize("raw", ["5301021920050801", "53010219200508011X1", "1"])
def test_wrong_length_is_rejected(raw):
    with pytest.raises(IdNumberError) as excinfo:
        parse_id_number(raw, today=TODAY)
    assert excinfo.value.code == "length"
    assert excinfo.value.message_zh == f"身份证号码应为18位（或旧版15位），实际为 {len(raw)} 位"


@pytest.mark.parametrize("raw", ["", "   ", "\t"])
def test_empty_is_rejected(raw):
    with pytest.raises(IdNumberError) as excinfo:
        parse_id_number(raw, today=TODAY)
    assert excinfo.value.code == "empty"


@pytest.mark.parametrize(
    ("raw", "position"),
    [("5301021920A508011X", 11), ("X30102192005080119", 1), ("53010219200508011Y", 18)],
)
def test_letters_are_rejected_and_named(raw, position):
    with pytest.raises(IdNumberError) as excinfo:
        parse_id_number(raw, today=TODAY)
    assert excinfo.value.code == "chars"
    assert f"第{position}位" in excinfo.value.message_zh
    assert f"Character {position}" in excinfo.value.message_en


def test_non_ascii_digits_are_rejected():
    assert not is_valid_id_number("５３0102192005080119", today=TODAY)


def test_make_id_number_rejects_bad_input():
    with pytest.raises(ValueError, match="address_code"):
        make_id_number("3506", date(1990, 1, 1), 1)
    with pytest.raises(ValueError, match="sequence"):
        make_id_number("350602", date(1990, 1, 1), 1000)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1965, 3, 15), date(2025, 3, 14), 59),
        (date(1965, 3, 15), date(2025, 3, 15), 60),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
    ],
)
def test_age_on_counts_full_years(birth, on, age):
    assert age_on(birth, on) == age


def test_age_on_rejects_date_before_birth():
    with pytest.raises(ValueError, match="before start"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


@given(address=addresses, birth=past_dates, sequence=sequences)
def test_exactly_one_check_character_validates(address, birth, sequence):
    first17 = f"{address}{birth:%Y%m%d}{sequence:03d}"
    valid = [c for c in CHECK_CHARS if is_valid_id_number(first17 + c, today=TODAY)]
    assert valid == [check_char(first17)]


@given(address=addresses, birth=past_dates, sequence=sequences)
def test_make_id_number_round_trips(address, birth, sequence):
    number = make_id_number(address, birth, sequence)
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.number == number
    assert parsed.address_code == address
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if sequence % 2 else "F")


@given(
    address=addresses,
    birth=past_dates,
    sequence=sequences,
    position=st.integers(min_value=0, max_value=17),
    data=st.data(),
)
def test_any_single_character_change_is_detected(address, birth, sequence, position, data):
    # given a valid number
    number = make_id_number(address, birth, sequence)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    # when one character is substituted
    changed = number[:position] + replacement + number[position + 1 :]
    # then it is rejected: MOD 11-2 catches every single substitution (the weights are
    # non-zero mod 11 and digit differences are below 11); a date digit may fail earlier
    with pytest.raises(IdNumberError) as excinfo:
        parse_id_number(changed, today=TODAY)
    assert excinfo.value.code in {"check_digit", "birth_date", "future_birth_date"}
