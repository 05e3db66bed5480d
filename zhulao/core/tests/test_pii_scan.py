"""The database scan for ID numbers in clear (S4): what counts as a hit, and what is noise."""

from __future__ import annotations

from datetime import date

from zhulao.core import crypto
from zhulao.core.testing.pii_scan import ids_in_text
from zhulao.rules.idcard import make_id_number

TODAY = date(2026, 12, 4)
NUMBER = make_id_number("350602", date(1980, 3, 15), 123)


def test_s4_an_id_number_at_the_head_of_a_digit_run_is_found(db):
    assert ids_in_text(f"{NUMBER}32", today=TODAY) == [NUMBER]  # a disability certificate number
    assert ids_in_text(f"残疾证号{NUMBER}", today=TODAY) == [NUMBER]
    assert ids_in_text(f'{{"disability_certificate": [null, "{NUMBER}21"]}}', today=TODAY) == [NUMBER]
    assert ids_in_text(f"Z{NUMBER}", today=TODAY) == [NUMBER]


def test_s4_masked_encrypted_invalid_and_digest_values_are_not_hits(db):
    wrong_check = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    assert ids_in_text(NUMBER[:6] + "********" + NUMBER[14:], today=TODAY) == []
    assert ids_in_text(crypto.encrypt(NUMBER), today=TODAY) == []
    assert ids_in_text(wrong_check, today=TODAY) == []
    assert ids_in_text("9" + NUMBER, today=TODAY) == []  # not at the head of its run
    assert ids_in_text("ab" + NUMBER + "cdef" * 12, today=TODAY) == []  # inside a 64-character hex digest
