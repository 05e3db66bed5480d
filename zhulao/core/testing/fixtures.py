"""Shared pytest fixtures: a small region tree, the policy values, and one actor per role and region.

Region A is 芗城区 (350602), region B is 龙文区 (350603). Actors are named ``<role>_a`` / ``<role>_b``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from zhulao.accounts import services as account_services
from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.regions.models import Organization, Region

PASSWORD = "Test#Password2026"

CITY = "350600000000"
COUNTY_A, COUNTY_B = "350602000000", "350603000000"
TOWNSHIP_A, TOWNSHIP_B = "350602100000", "350603103000"
VILLAGE_A, VILLAGE_B = "350602100200", "350603103200"
VILLAGE_A2 = "350602100201"


def _region(code: str, name: str, level: int, parent: Region | None, urban_rural_code: str = "") -> Region:
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": name, "level": level, "parent": parent, "urban_rural_code": urban_rural_code},
    )
    return region


@pytest.fixture
def regions(db: Any) -> dict[str, Region]:
    """A tiny tree: Fujian → Zhangzhou → 芗城区/龙文区 → one township each → villages."""
    province = _region("350000000000", "福建省", 1, None)
    city = _region(CITY, "漳州市", 2, province)
    county_a = _region(COUNTY_A, "芗城区", 3, city)
    county_b = _region(COUNTY_B, "龙文区", 3, city)
    county_c = _region("350623000000", "漳浦县", 3, city)
    township_a = _region(TOWNSHIP_A, "浦南镇", 4, county_a)
    township_b = _region(TOWNSHIP_B, "郭坑镇", 4, county_b)
    township_c = _region("350623100000", "绥安镇", 4, county_c)
    out = {
        "province": province,
        "city": city,
        "county_a": county_a,
        "county_b": county_b,
        "county_c": county_c,
        "township_a": township_a,
        "township_b": township_b,
        "township_c": township_c,
        "village_a": _region(VILLAGE_A, "东山村", 5, township_a, "220"),
        "village_a2": _region(VILLAGE_A2, "西山村", 5, township_a, "220"),
        "village_b": _region(VILLAGE_B, "竹田村", 5, township_b, "220"),
        "village_c": _region("350623100200", "后坑村", 5, township_c, "220"),
    }
    for kind, key in [
        ("civil_affairs", "city"),
        ("civil_affairs", "county_a"),
        ("civil_affairs", "county_b"),
        ("hr", "county_a"),
        ("hr", "county_b"),
        ("finance", "county_a"),
        ("employment_center", "county_a"),
        ("employment_center", "county_b"),
        ("township_government", "township_a"),
        ("township_government", "township_b"),
        ("village_committee", "village_a"),
        ("village_committee", "village_a2"),
        ("village_committee", "village_b"),
    ]:
        Organization.objects.get_or_create(kind=kind, region=out[key], defaults={"name": f"{out[key].name}{kind}"})
    return out


@pytest.fixture
def policy(db: Any) -> None:
    """The researched policy values (POLICY.md), as in production."""
    call_command("load_policy", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def make_user(db: Any, regions: dict[str, Region]) -> Callable[..., User]:
    counter = {"n": 0}

    def make(role: str | None = None, region: str | Region | None = None, username: str | None = None) -> User:
        counter["n"] += 1
        user, _pw = account_services.user_create(
            actor=None, username=username or f"user{counter['n']}", full_name="测试用户", password=PASSWORD
        )
        if role is not None:
            target = region if isinstance(region, Region) else regions[region or "county_a"]
            account_services.role_grant(actor=None, user=user, role=role, region=target)
            user.forget_permissions()
        return user

    return make


def _actor(role: str, region_key: str) -> Any:
    @pytest.fixture
    def fixture(make_user: Callable[..., User]) -> User:
        return make_user(role, region_key, username=f"{role}_{region_key}")

    return fixture


civil_affairs_city = _actor(Role.CIVIL_AFFAIRS, "city")
civil_affairs_a = _actor(Role.CIVIL_AFFAIRS, "county_a")
civil_affairs_b = _actor(Role.CIVIL_AFFAIRS, "county_b")
hr_a = _actor(Role.HR, "county_a")
finance_a = _actor(Role.FINANCE, "county_a")
employment_center_a = _actor(Role.EMPLOYMENT_CENTER, "county_a")
township_a = _actor(Role.TOWNSHIP_EMPLOYER, "township_a")
village_a = _actor(Role.VILLAGE_EMPLOYER, "village_a")
village_b = _actor(Role.VILLAGE_EMPLOYER, "village_b")
helper_a = _actor(Role.HELPER, "village_a")
system_admin = _actor(Role.SYSTEM_ADMIN, "city")
security_admin = _actor(Role.SECURITY_ADMIN, "city")
security_admin_a = _actor(Role.SECURITY_ADMIN, "county_a")
audit_admin = _actor(Role.AUDIT_ADMIN, "city")


@pytest.fixture
def client_for(db: Any) -> Callable[[User], Client]:
    """A test client signed in as ``user``."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
