"""Synthetic people for demo data and tests: generated names and ID numbers with valid check digits.

Never real data. Deterministic for a given ``random.Random`` seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhulao.rules.idcard import make_id_number

# Common surnames in southern Fujian, and given-name characters; combinations are synthetic.
SURNAMES = "陈林黄张吴王李郑蔡杨许刘曾洪苏谢周庄何叶方沈郭柯卢戴江"
GIVEN = "志明建国海燕秀英丽华玉兰淑珍文忠振宇春梅金凤桂芳美玲宏伟国强俊杰雅婷惠敏晓红家豪清水阿土福来"


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def birth_date(rng: random.Random, *, oldest: date, youngest: date) -> date:
    return oldest + timedelta(days=rng.randint(0, (youngest - oldest).days))


def id_number(rng: random.Random, *, address_code: str, born: date, male: bool) -> str:
    """A check-digit-valid number whose sex digit matches ``male``."""
    sequence = rng.randint(0, 499) * 2 + (1 if male else 0)
    return make_id_number(address_code[:6], born, sequence)


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(str(rng.randint(0, 9)) for _ in range(9))
