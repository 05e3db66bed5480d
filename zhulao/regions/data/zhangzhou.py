"""Zhangzhou (漳州市) administrative-division reference data.

Pure Python, no Django imports, so it can be used by migrations, seed commands and plain tests.

Sources (the project's policy research; docs/policy-parameters.md):

* 5.1: the 11 county-level units of 漳州市 (GB/T 2260 / NBS 统计用区划代码).
* 5.2: all 146 township-level units (NBS 2023, cut-off 2023-06-30), 122 of them real 镇/乡/街道,
  the rest farms, forestry farms and development zones.
* 5.3: the 7 城乡分类代码 (urban-rural class codes) of village-level units.
* 2.1: the Fujian minimum-wage tier of each county (2022 notice).

All codes are 12-digit NBS statistical codes: province 2 + city 2 + county 2 + township 3 +
village 3 digits, zero-padded on the right for higher levels.

The village/community (村/居委会) level is NOT part of the official snapshot. ``synthetic_villages``
generates clearly-synthetic demo data with correctly-structured codes instead.
"""

from __future__ import annotations

import random

PROVINCE: tuple[str, str] = ("350000000000", "福建省")
CITY: tuple[str, str] = ("350600000000", "漳州市")

# POLICY 5.1, in the order of the table.
COUNTIES: list[tuple[str, str]] = [
    ("350602000000", "芗城区"),
    ("350603000000", "龙文区"),
    ("350604000000", "龙海区"),
    ("350605000000", "长泰区"),
    ("350622000000", "云霄县"),
    ("350623000000", "漳浦县"),
    ("350624000000", "诏安县"),
    ("350626000000", "东山县"),
    ("350627000000", "南靖县"),
    ("350628000000", "平和县"),
    ("350629000000", "华安县"),
]

# Old 12-digit code -> current 12-digit code -> note (POLICY 5.1 / 5.2), so that old ID numbers
# (GB 11643 address codes) and historical records resolve to current units.
ALIASES: list[tuple[str, str, str]] = [
    ("350681000000", "350604000000", "龙海市 → 龙海区 (撤市设区, 2021 年起统计用区划代码)"),
    ("350625000000", "350605000000", "长泰县 → 长泰区 (撤县设区, 2021 年起统计用区划代码)"),
    ("350681100000", "350604001000", "龙海市石码镇 → 龙海区石码街道 (2021 年起)"),
]

# Township kinds, by the 3-digit township part of the code (POLICY 5.2):
# 001-099 街道, 100-199 镇, 200-299 乡, 400+ farms / forestry farms / development zones.
TOWNSHIP_KINDS: tuple[str, ...] = ("subdistrict", "town", "township", "other")

# POLICY 5.2, all 146 township-level units: (12-digit code, name, kind).
# Names are copied exactly from POLICY.md (NBS 2023). The 24 "other" units are farms, forestry
# farms and development zones that NBS codes at township level.
TOWNSHIPS: list[tuple[str, str, str]] = [
    # 芗城区 350602
    ("350602001000", "东铺头街道", "subdistrict"),
    ("350602002000", "西桥街道", "subdistrict"),
    ("350602003000", "新桥街道", "subdistrict"),
    ("350602004000", "巷口街道", "subdistrict"),
    ("350602005000", "南坑街道", "subdistrict"),
    ("350602006000", "通北街道", "subdistrict"),
    ("350602007000", "芝山街道", "subdistrict"),
    ("350602008000", "石亭街道", "subdistrict"),
    ("350602100000", "浦南镇", "town"),
    ("350602101000", "天宝镇", "town"),
    ("350602400000", "芗城区奶牛场", "other"),
    ("350602402000", "天宝林场", "other"),
    # 龙文区 350603
    ("350603001000", "步文街道", "subdistrict"),
    ("350603002000", "碧湖街道", "subdistrict"),
    ("350603003000", "蓝田街道", "subdistrict"),
    ("350603004000", "朝阳街道", "subdistrict"),
    ("350603005000", "景山街道", "subdistrict"),
    ("350603103000", "郭坑镇", "town"),
    ("350603500000", "蓝田开发区", "other"),
    # 龙海区 350604
    ("350604001000", "石码街道", "subdistrict"),
    ("350604100000", "海澄镇", "town"),
    ("350604101000", "角美镇", "town"),
    ("350604102000", "白水镇", "town"),
    ("350604103000", "浮宫镇", "town"),
    ("350604104000", "程溪镇", "town"),
    ("350604105000", "港尾镇", "town"),
    ("350604106000", "九湖镇", "town"),
    ("350604107000", "颜厝镇", "town"),
    ("350604108000", "榜山镇", "town"),
    ("350604109000", "紫泥镇", "town"),
    ("350604110000", "东园镇", "town"),
    ("350604200000", "东泗乡", "township"),
    ("350604201000", "隆教畲族乡", "township"),
    ("350604400000", "双第华侨农场", "other"),
    ("350604401000", "九龙岭林场", "other"),
    ("350604403000", "良种场", "other"),
    ("350604405000", "林下林场", "other"),
    ("350604501000", "招商局漳州开发区", "other"),
    # 长泰区 350605
    ("350605100000", "武安镇", "town"),
    ("350605101000", "岩溪镇", "town"),
    ("350605102000", "陈巷镇", "town"),
    ("350605103000", "枋洋镇", "town"),
    ("350605200000", "坂里乡", "township"),
    ("350605400000", "国营古农农场", "other"),
    ("350605500000", "长泰经济开发区", "other"),
    ("350605501000", "马洋溪生态旅游区", "other"),
    ("350605502000", "林墩工业区", "other"),
    # 云霄县 350622
    ("350622100000", "云陵镇", "town"),
    ("350622101000", "陈岱镇", "town"),
    ("350622102000", "东厦镇", "town"),
    ("350622103000", "莆美镇", "town"),
    ("350622104000", "列屿镇", "town"),
    ("350622105000", "火田镇", "town"),
    ("350622200000", "下河乡", "township"),
    ("350622201000", "马铺乡", "township"),
    ("350622202000", "和平乡", "township"),
    ("350622500000", "常山华侨经济开发区", "other"),
    ("350622501000", "云陵工业开发区", "other"),
    # 漳浦县 350623
    ("350623100000", "绥安镇", "town"),
    ("350623101000", "旧镇镇", "town"),
    ("350623102000", "佛昙镇", "town"),
    ("350623103000", "赤湖镇", "town"),
    ("350623104000", "杜浔镇", "town"),
    ("350623105000", "霞美镇", "town"),
    ("350623106000", "官浔镇", "town"),
    ("350623107000", "石榴镇", "town"),
    ("350623108000", "盘陀镇", "town"),
    ("350623109000", "长桥镇", "town"),
    ("350623110000", "前亭镇", "town"),
    ("350623111000", "马坪镇", "town"),
    ("350623112000", "深土镇", "town"),
    ("350623113000", "六鳌镇", "town"),
    ("350623114000", "沙西镇", "town"),
    ("350623115000", "古雷镇", "town"),
    ("350623116000", "大南坂镇", "town"),
    ("350623200000", "南浦乡", "township"),
    ("350623201000", "赤岭畲族乡", "township"),
    ("350623202000", "湖西畲族乡", "township"),
    ("350623203000", "赤土乡", "township"),
    ("350623400000", "漳浦盐场", "other"),
    ("350623405000", "南山华侨茶果场", "other"),
    ("350623406000", "中西林场", "other"),
    ("350623408000", "下蔡林场", "other"),
    # 诏安县 350624
    ("350624100000", "南诏镇", "town"),
    ("350624101000", "四都镇", "town"),
    ("350624102000", "梅岭镇", "town"),
    ("350624103000", "桥东镇", "town"),
    ("350624104000", "深桥镇", "town"),
    ("350624105000", "太平镇", "town"),
    ("350624106000", "霞葛镇", "town"),
    ("350624107000", "官陂镇", "town"),
    ("350624108000", "秀篆镇", "town"),
    ("350624109000", "西潭镇", "town"),
    ("350624200000", "金星乡", "township"),
    ("350624202000", "白洋乡", "township"),
    ("350624203000", "建设乡", "township"),
    ("350624204000", "红星乡", "township"),
    ("350624205000", "梅洲乡", "township"),
    ("350624402000", "国营湖内林场", "other"),
    ("350624403000", "岭下溪国有防护林场", "other"),
    ("350624501000", "诏安工业园区", "other"),
    ("350624502000", "诏安金都工业集中区", "other"),
    # 东山县 350626
    ("350626100000", "西埔镇", "town"),
    ("350626101000", "樟塘镇", "town"),
    ("350626102000", "康美镇", "town"),
    ("350626103000", "杏陈镇", "town"),
    ("350626104000", "陈城镇", "town"),
    ("350626105000", "前楼镇", "town"),
    ("350626106000", "铜陵镇", "town"),
    # 南靖县 350627
    ("350627100000", "山城镇", "town"),
    ("350627101000", "丰田镇", "town"),
    ("350627102000", "靖城镇", "town"),
    ("350627103000", "龙山镇", "town"),
    ("350627104000", "金山镇", "town"),
    ("350627105000", "和溪镇", "town"),
    ("350627106000", "奎洋镇", "town"),
    ("350627107000", "梅林镇", "town"),
    ("350627108000", "书洋镇", "town"),
    ("350627109000", "船场镇", "town"),
    ("350627110000", "南坑镇", "town"),
    # 平和县 350628
    ("350628100000", "小溪镇", "town"),
    ("350628101000", "山格镇", "town"),
    ("350628102000", "文峰镇", "town"),
    ("350628103000", "南胜镇", "town"),
    ("350628104000", "坂仔镇", "town"),
    ("350628105000", "安厚镇", "town"),
    ("350628106000", "大溪镇", "town"),
    ("350628107000", "霞寨镇", "town"),
    ("350628108000", "九峰镇", "town"),
    ("350628109000", "芦溪镇", "town"),
    ("350628200000", "五寨乡", "township"),
    ("350628201000", "国强乡", "township"),
    ("350628202000", "崎岭乡", "township"),
    ("350628203000", "长乐乡", "township"),
    ("350628204000", "秀峰乡", "township"),
    ("350628401000", "福建平和工业园区", "other"),
    # 华安县 350629
    ("350629100000", "华丰镇", "town"),
    ("350629101000", "丰山镇", "town"),
    ("350629102000", "沙建镇", "town"),
    ("350629103000", "新圩镇", "town"),
    ("350629104000", "高安镇", "town"),
    ("350629105000", "仙都镇", "town"),
    ("350629200000", "高车乡", "township"),
    ("350629201000", "马坑乡", "township"),
    ("350629203000", "湖林乡", "township"),
    ("350629400000", "福建土楼(华安)旅游区", "other"),
]

# POLICY 5.3. First digit 1 = 城镇 (urban), 2 = 乡村 (rural).
URBAN_RURAL_CLASSES: dict[str, str] = {
    "111": "主城区",
    "112": "城乡结合区",
    "121": "镇中心区",
    "122": "镇乡结合区",
    "123": "特殊区域",
    "210": "乡中心区",
    "220": "村庄",
}


def is_urban(class_code: str) -> bool:
    """Return True for a 城镇 class code (first digit 1), False for 乡村 (first digit 2).

    Raises ValueError for a code that is not one of ``URBAN_RURAL_CLASSES``.
    """
    if class_code not in URBAN_RURAL_CLASSES:
        raise ValueError(f"unknown 城乡分类代码: {class_code!r}")
    return class_code.startswith("1")


# Fujian minimum-wage tier per county, keyed by the current 6-digit county code.
# Source: POLICY.md 2.1, "Zhangzhou tier mapping (2022 table, CONFIRMED)" from 福建省人社厅
# 《关于公布我省最低工资标准的通知》 (effective 2022-04-01): tier 2 = 芗城区、龙文区; tier 3 = the
# other nine. No Zhangzhou area is in tier 1 or 4. POLICY 2.1 infers the same mapping for the
# ~2020-01-01 standard (INFERRED, not confirmed per county). Old codes (350681, 350625) resolve
# through ALIASES.
MIN_WAGE_TIER_2022: dict[str, int] = {
    "350602": 2,  # 芗城区
    "350603": 2,  # 龙文区
    "350604": 3,  # 龙海区
    "350605": 3,  # 长泰区
    "350622": 3,  # 云霄县
    "350623": 3,  # 漳浦县
    "350624": 3,  # 诏安县
    "350626": 3,  # 东山县
    "350627": 3,  # 南靖县
    "350628": 3,  # 平和县
    "350629": 3,  # 华安县
}

# Common Minnan place-name syllables, used only to build SYNTHETIC village/community names.
_SYLLABLES: tuple[str, ...] = (
    "东", "西", "南", "北", "山", "溪", "田", "洋", "坑", "埔",
    "厝", "林", "后", "前", "美", "湖", "坂", "墩", "尾", "头",
    "石", "竹", "梅", "龙", "凤", "新", "顶", "下", "上", "塘",
    "港", "岭", "亭", "浦", "坪", "内", "桥", "井", "寮", "埭",
)  # fmt: skip


def _township_code9(township_code: str) -> str:
    """Normalise a 9-digit or 12-digit (…000) township code to its 9 digits."""
    if len(township_code) == 12 and township_code.isdigit() and township_code.endswith("000"):
        return township_code[:9]
    if len(township_code) == 9 and township_code.isdigit():
        return township_code
    raise ValueError(f"not a township code (9 digits, or 12 digits ending 000): {township_code!r}")


def synthetic_villages(township_code: str, kind: str) -> list[tuple[str, str, str]]:
    """SYNTHETIC DEMO DATA: invent the villages/communities of one township-level unit.

    The official village level (村/居委会) is not in the reference snapshot, so this function
    makes up plausible, correctly-structured units for demos, seeding and tests. The names are
    NOT real places (any match with a real village is a coincidence) and must never be shown as
    official data.

    ``township_code`` is the 9-digit code or the 12-digit code ending in "000"; ``kind`` is one of
    ``TOWNSHIP_KINDS``. Returns ``(12-digit code, name, 城乡分类代码)`` tuples, sorted by code.

    Rules (codes are the township's 9 digits + 3 digits):

    * subdistrict (街道): 3-6 "<XX>社区", codes 001.., class 111 or 112.
    * town (镇): 2-3 "<XX>社区" (居委会), codes 001.., class 121; then 5-10 "<XX>村",
      codes 200.., class 220 (some 122); the first village is always 220.
    * township (乡): 1 "<XX>社区", code 001, class 210; then 4-8 "<XX>村", codes 200.., class 220.
    * other (farms, forestry farms, development zones): 0-2 units, class 123 ("<XX>社区",
      codes 001..) or 220 ("<XX>村", codes 200..); may be empty.

    Deterministic: seeded with ``random.Random(int(<9-digit township code>))``, no global random
    state. Name stems (two syllables) are unique within the township.
    """
    code9 = _township_code9(township_code)
    if kind not in TOWNSHIP_KINDS:
        raise ValueError(f"unknown township kind {kind!r}; expected one of {TOWNSHIP_KINDS}")
    # Not cryptographic: a seeded generator for reproducible demo data.
    rng = random.Random(int(code9))  # noqa: S311
    used_stems: set[str] = set()

    def stem() -> str:
        while True:
            first, second = rng.sample(_SYLLABLES, 2)
            candidate = first + second
            if candidate not in used_stems:
                used_stems.add(candidate)
                return candidate

    communities: list[str] = []  # class codes for units coded 001..
    villages: list[str] = []  # class codes for units coded 200..
    if kind == "subdistrict":
        communities = [rng.choice(("111", "112")) for _ in range(rng.randint(3, 6))]
    elif kind == "town":
        communities = ["121"] * rng.randint(2, 3)
        count = rng.randint(5, 10)
        villages = ["220"] + [("122" if rng.random() < 0.25 else "220") for _ in range(count - 1)]
    elif kind == "township":
        communities = ["210"]
        villages = ["220"] * rng.randint(4, 8)
    else:
        for _ in range(rng.randint(0, 2)):
            if rng.random() < 0.5:
                communities.append("123")
            else:
                villages.append("220")

    result: list[tuple[str, str, str]] = []
    for index, class_code in enumerate(communities, start=1):
        result.append((f"{code9}{index:03d}", f"{stem()}社区", class_code))
    for index, class_code in enumerate(villages, start=200):
        result.append((f"{code9}{index:03d}", f"{stem()}村", class_code))
    return result
