"""Elder-care demo, the hired helpers: their login accounts and their pairings with the elders (S8 → S14).

* Accounts: every helper hired by the recruitment demo gets a login account through
  ``posts.services.placement_account_issue`` on the first day of the placement, issued by the employer's
  demo user where there is one (``cun_guokeng``, ``xz_punan`` …), else by the system; the helper then
  changes the one-time password to the demo password at the first sign-in (``user_change_password``).
* Villages: a station's (or happiness home's) helper looks after the elders of the station's village; a
  service center's two helpers take the villages of the township that have no helper of their own, the
  nearest first, up to :data:`CENTER_CAP` elders each. Villages beyond them keep unpaired elders (the
  coverage page then says "no helper paired" there). Each helper's first village gets at least
  :data:`MIN_ELDERS` archives, so that every helper is paired even in a small demo.
* Pairing dates: in the three pilot townships of the demo users (浦南镇, 东铺头街道, 郭坑镇) a year ago, as
  for ``zly_punan`` and ``zly_guokeng``; elsewhere at the start of the roll-out, :data:`ROLLOUT_MONTHS`
  months before this one (see ``visits`` for why).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Protocol

from zhulao.accounts import services as account_services
from zhulao.accounts.management.commands.load_demo import DEMO_PASSWORD
from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.core.exceptions import DomainError
from zhulao.eldercare import services
from zhulao.eldercare.choices import ArchiveStatus
from zhulao.eldercare.demo.common import DemoUsers, Stats, light_hashing, on
from zhulao.eldercare.models import ElderArchive, Pairing
from zhulao.posts import services as post_services
from zhulao.posts.demo import DEMO_TOWNSHIPS
from zhulao.posts.models import Placement
from zhulao.regions.choices import RegionLevel
from zhulao.regions.models import Region
from zhulao.rules.dates import add_months

PILOT_TOWNSHIPS = tuple(code[:9] for code in DEMO_TOWNSHIPS)
HISTORY_MONTHS = 12  # the pilot townships: a year of pairings and visits
ROLLOUT_MONTHS = 2  # elsewhere: paired at the start of the month two months ago
MIN_ELDERS = 3  # archives at least in each helper's first village
CENTER_CAP = 36  # elders a service-center helper takes on at most


class ArchiveMaker(Protocol):
    """What ``demo._Maker`` offers: a household of elders with their archives, and their extras."""

    rng: random.Random

    def household(self, village: Region, *, size: int, ruled: bool = False) -> list[ElderArchive]: ...

    def extras(self, archive: ElderArchive, *, contact: bool, assess: bool) -> None: ...


@dataclass
class HelperPlan:
    """One hired helper: the account, the placement and the villages whose elders the helper looks after."""

    user: User
    placement: Placement
    center: bool
    villages: list[str] = field(default_factory=list)
    archives: list[ElderArchive] = field(default_factory=list)
    reliability: float = 0.98  # the chance that a due visit is made
    paired_on: date | None = None

    @property
    def township(self) -> str:
        return self.placement.region_id[:9]

    @property
    def home(self) -> str:
        return next(a.region_id for a in self.user.active_assignments() if a.role == Role.HELPER)

    @property
    def pilot(self) -> bool:
        return self.township in PILOT_TOWNSHIPS

    def paired_from(self, rng: random.Random, today: date) -> date:
        this_month = today.replace(day=1)
        months = HISTORY_MONTHS if self.pilot else ROLLOUT_MONTHS
        return add_months(this_month, -months) + timedelta(days=rng.randint(0, 9))


# ------------------------------------------------------------------------------------------ accounts


def issue_accounts(users: DemoUsers, stats: Stats) -> list[tuple[User, Placement]]:
    """An account for each active placement without one, on the placement's first day."""
    placements = (
        Placement.objects.filter(ended_on__isnull=True, person__user__isnull=True)
        .select_related("person")
        .order_by("region_id", "pk")
    )
    issued = []
    with light_hashing():
        for placement in placements:
            with on(placement.started_on, time(9, 30)):
                try:
                    user, password = post_services.placement_account_issue(
                        actor=users.employer_of(placement.region_id), placement=placement
                    )
                except DomainError:
                    stats.account_skips += 1
                    continue
            account_services.user_change_password(user=user, old_password=password, new_password=DEMO_PASSWORD)
            issued.append((user, placement))
            stats.accounts += 1
    return issued


def hired_helpers() -> list[tuple[User, Placement]]:
    """The helpers of active placements whose account holds the helper role today."""
    found = []
    for placement in (
        Placement.objects.filter(ended_on__isnull=True, person__user__isnull=False)
        .select_related("person__user", "region", "post")
        .order_by("region_id", "pk")
    ):
        user = placement.person.user
        if user is not None and user.has_role(Role.HELPER):
            found.append((user, placement))
    return found


# ------------------------------------------------------------------------------------------ villages


def _nearest(village: str, candidates: list[str]) -> list[str]:
    return sorted(candidates, key=lambda code: (abs(int(code[9:]) - int(village[9:])), code))


def plan_villages(helpers: list[tuple[User, Placement]], *, reserved: set[str]) -> list[HelperPlan]:
    """The first village of each helper: the station's village, or for a service center the helper's own
    village, moved to the nearest free village of the township when another helper has it already.
    ``reserved``: villages of the demo helpers (they keep their elders)."""
    plans = [
        HelperPlan(user, placement, center=placement.region.level == RegionLevel.TOWNSHIP)
        for user, placement in helpers
    ]
    townships = sorted({p.township for p in plans})
    villages: dict[str, list[str]] = defaultdict(list)
    for code in Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="3506").values_list(
        "code", flat=True
    ):
        if code[:9] in townships:
            villages[code[:9]].append(code)
    taken = set(reserved)
    # stations first (their village is theirs), then the centers
    for plan in sorted(plans, key=lambda p: (p.center, p.placement.region_id, p.placement.pk)):
        wanted = plan.home if plan.center else plan.placement.region_id
        free = [v for v in villages[plan.township] if v not in taken]
        first = wanted if wanted not in taken else next(iter(_nearest(wanted, free)), None)
        if first is not None:
            plan.villages.append(first)
            taken.add(first)
    return plans


def top_up(maker: ArchiveMaker, plans: list[HelperPlan]) -> int:
    """At least :data:`MIN_ELDERS` archives in each helper's first village (``maker``: the archive maker of
    ``demo.py``). Returns how many were made."""
    made = 0
    regions = {r.code: r for r in Region.objects.filter(code__in=[p.villages[0] for p in plans if p.villages])}
    for plan in plans:
        if not plan.villages:
            continue
        village = regions[plan.villages[0]]
        have = ElderArchive.objects.filter(region=village).count()
        while have < MIN_ELDERS:
            archives = maker.household(village, size=1, ruled=True)
            for archive in archives:
                maker.extras(archive, contact=True, assess=False)
            have += len(archives)
            made += len(archives)
    return made


def allocate(plans: list[HelperPlan], *, reserved: set[str]) -> None:
    """Give each helper the elders of its first village, then extend the centers' helpers to the free
    villages of their township, nearest first, while they have fewer than :data:`CENTER_CAP` elders."""
    paired = set(Pairing.objects.filter(ended_on__isnull=True).values_list("archive_id", flat=True))
    by_village: dict[str, list[ElderArchive]] = defaultdict(list)
    townships = {p.township for p in plans}
    for archive in ElderArchive.objects.filter(status=ArchiveStatus.ACTIVE).order_by("region_id", "pk"):
        if archive.region_id[:9] in townships and archive.pk not in paired:
            by_village[archive.region_id].append(archive)
    taken = set(reserved) | {v for p in plans for v in p.villages}
    for plan in plans:
        if plan.villages:
            plan.archives.extend(by_village[plan.villages[0]])
    centers: dict[str, list[HelperPlan]] = defaultdict(list)
    for plan in plans:
        if plan.center and plan.villages:
            centers[plan.township].append(plan)
    for township, team in sorted(centers.items()):
        free = sorted(v for v in by_village if v.startswith(township) and v not in taken)
        while free:
            plan = min(team, key=lambda p: (len(p.archives), p.placement.pk))
            if len(plan.archives) >= CENTER_CAP:
                break
            village = _nearest(plan.villages[0], free)[0]
            free.remove(village)
            taken.add(village)
            plan.villages.append(village)
            plan.archives.extend(by_village[village])  # whole villages: a village has one helper or none


def pair_all(rng: random.Random, plans: list[HelperPlan], users: DemoUsers, today: date, stats: Stats) -> None:
    """Pair each helper with its elders on the helper's start date (one date per helper: a list handed over
    by the village committee, or by the township for a center's villages)."""
    for plan in plans:
        plan.reliability = rng.choices((0.98, 0.92, 0.75), weights=(80, 15, 5))[0]
        plan.paired_on = started = plan.paired_from(rng, today)
        for archive in plan.archives:
            with on(started, time(10, 0)):
                services.pairing_assign(actor=users.employer_of(archive.region_id), archive=archive, helper=plan.user)
            stats.pairings += 1
