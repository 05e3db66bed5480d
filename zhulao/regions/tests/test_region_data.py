"""Plain tests of the Zhangzhou reference data (no Django needed: run with ``-p no:django``)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from zhulao.regions.data import zhangzhou as z

CODE12 = re.compile(r"^\d{12}$")
COUNTY6 = {code[:6] for code, _ in z.COUNTIES}


def _kind_by_number(code12: str) -> str:
    number = int(code12[6:9])
    if 1 <= number <= 99:
        return "subdistrict"
    if 100 <= number <= 199:
        return "town"
    if 200 <= number <= 299:
        return "township"
    assert number >= 400, code12
    return "other"


def test_province_and_city() -> None:
    assert z.PROVINCE == ("350000000000", "福建省")
    assert z.CITY == ("350600000000", "漳州市")


def test_counties() -> None:
    assert len(z.COUNTIES) == 11
    assert z.COUNTIES[0] == ("350602000000", "芗城区")
    assert z.COUNTIES[-1] == ("350629000000", "华安县")
    codes = [code for code, _ in z.COUNTIES]
    assert len(set(codes)) == 11
    for code in codes:
        assert CODE12.match(code)
        assert code.startswith("3506")
        assert code.endswith("000000")


def test_township_counts_match_policy() -> None:
    # POLICY 5.2: "The table has 146 units, 122 of them real 镇/乡/街道".
    assert len(z.TOWNSHIPS) == 146
    kinds = Counter(kind for _, _, kind in z.TOWNSHIPS)
    assert kinds == {"subdistrict": 14, "town": 85, "township": 23, "other": 24}
    assert kinds["subdistrict"] + kinds["town"] + kinds["township"] == 122


def test_township_codes_are_valid_unique_and_in_a_county() -> None:
    codes = [code for code, _, _ in z.TOWNSHIPS]
    assert len(set(codes)) == len(codes)
    names = [name for _, name, _ in z.TOWNSHIPS]
    assert len(set(names)) == len(names)
    for code, name, kind in z.TOWNSHIPS:
        assert CODE12.match(code), code
        assert code.endswith("000"), code
        assert code[:6] in COUNTY6, code
        assert code[6:9] != "000", code
        assert name, code
        assert kind in z.TOWNSHIP_KINDS
        assert kind == _kind_by_number(code), (code, name, kind)


def test_township_names_match_kind_suffix() -> None:
    for _, name, kind in z.TOWNSHIPS:
        if kind == "subdistrict":
            assert name.endswith("街道"), name
        elif kind == "town":
            assert name.endswith("镇"), name
        elif kind == "township":
            assert name.endswith("乡"), name


def test_every_county_has_townships() -> None:
    per_county = Counter(code[:6] for code, _, _ in z.TOWNSHIPS)
    assert set(per_county) == COUNTY6
    assert per_county["350623"] == 25  # 漳浦县
    assert per_county["350626"] == 7  # 东山县


def test_known_townships() -> None:
    by_code = {code: (name, kind) for code, name, kind in z.TOWNSHIPS}
    assert by_code["350623100000"] == ("绥安镇", "town")
    assert by_code["350604001000"] == ("石码街道", "subdistrict")
    assert by_code["350604201000"] == ("隆教畲族乡", "township")
    assert by_code["350629400000"] == ("福建土楼(华安)旅游区", "other")


def test_aliases() -> None:
    assert len(z.ALIASES) == 3
    township_codes = {code for code, _, _ in z.TOWNSHIPS}
    county_codes = {code for code, _ in z.COUNTIES}
    mapping = {old: new for old, new, _ in z.ALIASES}
    assert mapping == {
        "350681000000": "350604000000",
        "350625000000": "350605000000",
        "350681100000": "350604001000",
    }
    for old, new, note in z.ALIASES:
        assert CODE12.match(old)
        assert CODE12.match(new)
        assert note
        assert old not in county_codes
        assert old not in township_codes
        assert new in county_codes or new in township_codes


def test_urban_rural_classes() -> None:
    assert set(z.URBAN_RURAL_CLASSES) == {"111", "112", "121", "122", "123", "210", "220"}
    assert z.URBAN_RURAL_CLASSES["111"] == "主城区"
    assert z.URBAN_RURAL_CLASSES["220"] == "村庄"
    assert [c for c in z.URBAN_RURAL_CLASSES if z.is_urban(c)] == ["111", "112", "121", "122", "123"]
    assert not z.is_urban("210")
    with pytest.raises(ValueError, match="城乡分类代码"):
        z.is_urban("999")


def test_min_wage_tiers() -> None:
    assert set(z.MIN_WAGE_TIER_2022) == COUNTY6
    assert {code for code, tier in z.MIN_WAGE_TIER_2022.items() if tier == 2} == {"350602", "350603"}
    assert Counter(z.MIN_WAGE_TIER_2022.values()) == {2: 2, 3: 9}


def test_synthetic_villages_are_deterministic() -> None:
    for code, _, kind in z.TOWNSHIPS:
        first = z.synthetic_villages(code, kind)
        assert first == z.synthetic_villages(code, kind)
        # The 9-digit form gives the same result as the 12-digit form.
        assert first == z.synthetic_villages(code[:9], kind)


def test_synthetic_villages_follow_the_rules() -> None:
    all_codes: list[str] = []
    other_sizes: set[int] = set()
    for code, _, kind in z.TOWNSHIPS:
        code9 = code[:9]
        units = z.synthetic_villages(code, kind)
        codes = [c for c, _, _ in units]
        names = [n for _, n, _ in units]
        stems = [n.removesuffix("社区").removesuffix("村") for n in names]
        all_codes.extend(codes)
        assert len(set(codes)) == len(codes)
        assert len(set(stems)) == len(stems), names
        for unit_code, name, class_code in units:
            assert CODE12.match(unit_code)
            assert unit_code.startswith(code9)
            assert unit_code[9:] != "000"
            assert class_code in z.URBAN_RURAL_CLASSES
            assert len(stems[names.index(name)]) == 2
            if name.endswith("村"):
                assert int(unit_code[9:]) >= 200
            else:
                assert name.endswith("社区")
                assert 1 <= int(unit_code[9:]) < 200
        classes = [c for _, _, c in units]
        communities = [u for u in units if u[1].endswith("社区")]
        villages = [u for u in units if u[1].endswith("村")]
        if kind == "subdistrict":
            assert 3 <= len(units) <= 6
            assert not villages
            assert set(classes) <= {"111", "112"}
        elif kind == "town":
            assert 2 <= len(communities) <= 3
            assert {c for _, _, c in communities} == {"121"}
            assert 5 <= len(villages) <= 10
            assert {c for _, _, c in villages} <= {"220", "122"}
            assert any(c.startswith("2") for c in classes)
        elif kind == "township":
            assert [(c[9:], cls) for c, _, cls in communities] == [("001", "210")]
            assert 4 <= len(villages) <= 8
            assert {c for _, _, c in villages} == {"220"}
        else:
            assert len(units) <= 2
            assert set(classes) <= {"123", "220"}
            other_sizes.add(len(units))
    assert len(set(all_codes)) == len(all_codes)
    assert other_sizes  # at least one "other" unit exists


def test_synthetic_villages_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="township code"):
        z.synthetic_villages("3506231", "town")
    with pytest.raises(ValueError, match="township code"):
        z.synthetic_villages("350623100001", "town")
    with pytest.raises(ValueError, match="kind"):
        z.synthetic_villages("350623100", "village")
