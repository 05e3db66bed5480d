"""Pieces shared by the elder-care demo modules: the services' clock moved into the past, the demo users by
role and region, the counts for the summary, and the lighter hashing of the helpers' random passwords."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.test.utils import override_settings

from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.regions.models import Region

CITY = "350600000000"


def on(day: date, at: time = time(9, 0)) -> AbstractContextManager[None]:
    """Move the services' clock to ``day`` at ``at`` (local time): history lies in the past (demo only)."""
    return clock.frozen(day, at)


at_moment = clock.frozen_at  # the services' clock stopped at a moment


def real_now(minus: timedelta = timedelta()) -> datetime:
    """The platform's own now (never the moved clock), less ``minus``: for what happened today."""
    return clock.now() - minus


def working_day(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last``, preferring Monday to Friday."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5] or days
    return rng.choice(weekdays)


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with 1,000 iterations, for the demo helpers' passwords only. Django raises a stored hash to the
    full iteration count at the account's first sign-in (``must_update``), so nothing weaker stays."""

    iterations = 1000


@contextmanager
def light_hashing() -> Iterator[None]:
    """Hash the demo's ~400 helper passwords with :class:`DemoPasswordHasher` (a full PBKDF2 hash takes a
    quarter of a second: 400 of them would be the longest step of the demo). Only when the default hasher is
    PBKDF2, so that the stored hashes stay readable by the configured hashers."""
    if get_hasher().algorithm != PBKDF2PasswordHasher.algorithm:
        yield
        return
    hashers = ["zhulao.eldercare.demo.common.DemoPasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@dataclass
class DemoUsers:
    """The demo accounts of ``load_demo`` by where they act: village and township employers, county and
    city Civil Affairs. Missing ones are simply absent (the system acts instead)."""

    village: dict[str, User] = field(default_factory=dict)  # village code → village employer
    township: dict[str, User] = field(default_factory=dict)  # township code → township employer
    civil: dict[str, User] = field(default_factory=dict)  # county or city code → Civil Affairs

    @classmethod
    def load(cls) -> DemoUsers:
        found = cls()
        roles: dict[str, dict[str, User]] = {
            Role.VILLAGE_EMPLOYER: found.village,
            Role.TOWNSHIP_EMPLOYER: found.township,
            Role.CIVIL_AFFAIRS: found.civil,
        }
        for user in User.objects.filter(assignments__role__in=list(roles), is_active=True).distinct().order_by("pk"):
            for assignment in user.active_assignments():
                if assignment.role in roles:
                    roles[assignment.role].setdefault(assignment.region_id, user)
        return found

    def employer_of(self, region: Region | str) -> User | None:
        """The village employer of a village, else the township employer of its township."""
        code = region if isinstance(region, str) else region.code
        return self.village.get(code) or self.township.get(code[:9] + "000")

    def handler_of(self, code: str) -> User | None:
        """Who handles needs and acknowledges at the top of the ladder: the township, else Civil Affairs of
        the county, else of the city."""
        return self.township.get(code[:9] + "000") or self.civil.get(code[:6] + "000000") or self.civil.get(CITY)


@dataclass
class Stats:
    accounts: int = 0
    account_skips: int = 0
    pairings: int = 0
    visits: int = 0
    needs: int = 0
    handled: int = 0
    retries: int = 0
    contacts: int = 0
    assessments: int = 0
    helpers: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
