"""Masking of personal data for display."""

import pytest

from zhulao.rules.masking import mask_bank_account, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("35060219900101123X", "350602********123X"),
        ("35060219900101123x", "350602********123X"),
        ("350602 19900101 123X", "350602********123X"),
        ("130503670401001", "130503*****1001"),
        ("12345678901", "123456*8901"),
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
