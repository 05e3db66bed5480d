"""Demo data for elder care (S13–S18), generated through the services: synthetic people only.

This module makes the archives and runs the steps of the other demo modules, in this order (each lies in
the past, so the services' clock is moved to its day with ``demo.common.on``):

1. ``pairings``: a login account for every helper hired by the recruitment demo, on the first day of
   the placement (``posts.services.placement_account_issue``), and the villages each helper looks after.
2. Archives (一人一档 / 一户一档): ``--elders`` elderly persons (default: 4 × ``--people``, so 12,000 for the
   default 3,000 candidates, the seed's "12,000+ files"), born 1930–1965, living alone or as a couple in one
   household, across the Zhangzhou villages, with a realistic mix of categories (left-behind, empty-nest,
   living alone, widowed/childless, 低保, 特困, disabled …), so all three groups of the policy mapping
   ``eldercare.group_mapping`` (托底 / 困境 / 重点保障) are represented. Some have an emergency contact and a
   capability assessment (GB/T 42195-2022). The demo helpers' villages and each hired helper's first village
   are filled first.
3. ``visits``: the demo helpers ``zly_punan`` and ``zly_guokeng`` paired with every elder of their
   village a year ago, with a monthly visit since (work due and overdue on "my day"); the hired helpers paired
   with the elders of their villages (``pairings``) and their visits by the policy's rules: a year of
   them in the three pilot townships, the last two months and this one elsewhere (see ``visits`` for
   why); needs, family confirmations and last month's confirmation calls.
4. ``emergencies``: a few emergencies a month up the ladder, two still open now.
5. ``operations``: the facilities' opening logs since March 2024 and their activities of the last
   three months.

Idempotent: when archives exist the step only reports what is there. Deterministic: every step draws from
its own seeded random source (the one-time passwords and the links' tokens excepted).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.core import clock, synthetic
from zhulao.core.exceptions import DomainError
from zhulao.eldercare import selectors, services
from zhulao.eldercare.choices import AssessmentReason, ElderCategory, NeedStatus
from zhulao.eldercare.demo import emergencies as demo_emergencies
from zhulao.eldercare.demo import operations as demo_operations
from zhulao.eldercare.demo import pairings as demo_pairings
from zhulao.eldercare.demo import visits as demo_visits
from zhulao.eldercare.demo.common import DemoUsers, Stats
from zhulao.eldercare.models import (
    Activity,
    CapabilityAssessment,
    ConfirmationCall,
    ElderArchive,
    Emergency,
    EmergencyContact,
    EmergencyStep,
    FacilityDayLog,
    FamilyConfirmation,
    HouseholdArchive,
    NeedReport,
    Pairing,
    ServiceRecord,
    Visit,
)
from zhulao.eldercare.services import operations
from zhulao.people import services as people_services
from zhulao.people.choices import EmploymentStatus, Relation, Sex
from zhulao.people.models import Person
from zhulao.posts.demo import R1_START
from zhulao.posts.models import Placement
from zhulao.regions.choices import RegionLevel
from zhulao.regions.models import Region
from zhulao.rules import capability
from zhulao.rules.dates import add_months

ELDERS_PER_PERSON = 4  # --people 3000 → 12,000 archives (the seed's figure); --people 150 → 600
# (helper, village committee that pairs, township that handles the needs)
DEMO_HELPERS = (("zly_punan", "cun_punan", "xz_punan"), ("zly_guokeng", "cun_guokeng", "xz_guokeng"))
GROUP_ORDER = ("托底", "困境", "重点保障")  # the seed's order (a JSON mapping from the database may reorder keys)
RULED = (ElderCategory.LEFT_BEHIND, ElderCategory.EMPTY_NEST, ElderCategory.WIDOWED_CHILDLESS)

LIVING = (
    "砖混结构平房，水电齐全，居住环境整洁",
    "老旧土木结构房屋，屋顶有漏雨，需关注修缮",
    "与老伴同住两层自建房，一楼居住，生活设施基本齐全",
    "独居老宅，室内较为昏暗，已加装感应灯",
    "居住在子女新建楼房一楼，出行方便",
    "房屋为危房改造后新建，卫生间已做适老化改造",
)
MOOD = (
    "情绪稳定，性格开朗，乐于与邻居交流",
    "思念在外务工的子女，偶有孤独感",
    "丧偶后情绪低落，需多陪伴聊天",
    "精神状态良好，关心村里大小事",
    "因慢性病困扰，对就医有顾虑",
    "记忆力有所减退，交流时需耐心",
)
SPIRIT = (
    "喜欢听芗剧，希望村里多组织戏曲活动",
    "希望子女多打电话、视频",
    "愿意参加老年协会活动和健康讲座",
    "喜欢下棋、喝茶，想有个固定的活动场所",
    "希望有人陪同去镇上赶集",
)
NEEDS_TEXT = (
    "助餐（每日午餐）",
    "定期测量血压、血糖",
    "代购生活用品和药品",
    "打扫卫生、整理房间",
    "陪同就医",
    "协助洗澡",
)
RELATIONS = ("儿子", "女儿", "侄子", "邻居", "外甥女", "儿媳")


# ------------------------------------------------------------------------------------------ archives


def _categories(rng: random.Random, village: Region, *, age: int, alone: bool, ruled: bool) -> list[str]:
    """A plausible mix of flags for one elder (a person may be several at once, POLICY §6.2)."""
    rural = village.urban_rural_code.startswith("2")
    flags: set[str] = set()
    if alone and rng.random() < 0.12:
        flags.add(ElderCategory.WIDOWED_CHILDLESS)
    if alone and rng.random() < 0.7:
        flags.add(ElderCategory.LIVING_ALONE)
    if ElderCategory.WIDOWED_CHILDLESS not in flags:
        if rng.random() < (0.45 if rural else 0.12):
            flags.add(ElderCategory.LEFT_BEHIND)
        elif rng.random() < 0.5:
            flags.add(ElderCategory.EMPTY_NEST)
    if ElderCategory.WIDOWED_CHILDLESS in flags and rng.random() < 0.6:
        flags.add(ElderCategory.TEKUN)
    elif rng.random() < (0.17 if rural else 0.10):
        flags.add(ElderCategory.DIBAO)
    elif rng.random() < 0.05:
        flags.add(ElderCategory.DIBAO_EDGE)
    if rng.random() < (0.22 if age >= 80 else 0.07):
        flags.add(ElderCategory.DISABLED_CARE)
    if rng.random() < 0.035:
        flags.add(ElderCategory.SEVERELY_DISABLED)
    if rng.random() < 0.02:
        flags.add(ElderCategory.FP_SPECIAL)
    if rng.random() < 0.02:
        flags.add(ElderCategory.ENTITLED)
    if (ruled and rng.random() < 0.85 and not flags & set(RULED)) or (not flags and age < 80):
        flags.add(ElderCategory.LEFT_BEHIND if rural else ElderCategory.EMPTY_NEST)
    return sorted(flags)


def _scores(rng: random.Random, total: int) -> dict[str, int]:
    """Item scores of GB/T 42195-2022 adding up to ``total``: full marks, minus points spread at random."""
    sheet = {item.code: item.max for item in capability.ITEMS}
    missing = capability.MAX_TOTAL - total
    while missing:
        code = rng.choice([c for c, v in sheet.items() if v > 0])
        sheet[code] -= 1
        missing -= 1
    return sheet


def _assessment_total(rng: random.Random, categories: list[str]) -> int:
    if ElderCategory.SEVERELY_DISABLED in categories:
        return rng.randint(8, 45)
    if ElderCategory.DISABLED_CARE in categories:
        return rng.randint(30, 70)
    return rng.randint(62, 90)


class _Maker:
    """Creates households of one or two elders and their archives through the services."""

    def __init__(self, rng: random.Random, today: date, stats: Stats) -> None:
        self.rng = rng
        self.today = today
        self.stats = stats
        self.oldest = date(1930, 1, 1)
        self.youngest = min(date(1965, 12, 31), date(today.year - 60, today.month, min(today.day, 28)))
        # the default tracks, looked up once (person_create would otherwise query the policy for each woman)
        self.tracks = {male: people_services.default_track(Sex.MALE if male else Sex.FEMALE) for male in (True, False)}

    def _person(self, village: Region, born: date, male: bool) -> Person:
        rng = self.rng
        for _attempt in range(20):
            number = synthetic.id_number(rng, address_code=village.code[:6], born=born, male=male)
            try:
                return people_services.person_create(
                    actor=None,
                    data=people_services.PersonData(
                        name=synthetic.person_name(rng),
                        id_number=number,
                        region=village,
                        retirement_track=self.tracks[male],
                        hukou_region_code=village.code,
                        urban_rural_code=village.urban_rural_code,
                        phone=synthetic.phone(rng) if rng.random() < 0.4 else "",
                        employment_status=EmploymentStatus.RETIRED if rng.random() < 0.3 else EmploymentStatus.UNABLE,
                    ),
                )
            except DomainError as exc:
                if exc.code != "duplicate_person":
                    raise
                self.stats.retries += 1
        raise RuntimeError("could not generate a unique synthetic ID number")

    def household(self, village: Region, *, size: int, ruled: bool = False) -> list[ElderArchive]:
        """A household of ``size`` (1 or 2) elders, each with an archive (and the household's archive)."""
        rng = self.rng
        household = people_services.household_create(
            actor=None, region=village, registration_number=f"H{rng.randint(10**7, 10**8 - 1)}"
        )
        head_born = synthetic.birth_date(rng, oldest=self.oldest, youngest=self.youngest)
        head_male = rng.random() < 0.5 if size == 1 else rng.random() < 0.85
        members = [(head_born, head_male, Relation.HEAD)]
        if size == 2:
            spouse_born = head_born + timedelta(days=rng.randint(-4 * 365, 6 * 365) * (1 if head_male else -1))
            spouse_born = min(max(spouse_born, self.oldest), self.youngest)
            members.append((spouse_born, not head_male, Relation.SPOUSE))
        archives = []
        for born, male, relation in members:
            person = self._person(village, born, male)
            person = people_services.household_set_member(
                actor=None, household=household, person=person, relation=relation
            )
            age = self.today.year - born.year - ((self.today.month, self.today.day) < (born.month, born.day))
            categories = _categories(rng, village, age=age, alone=size == 1, ruled=ruled)
            archive = services.archive_create(
                actor=None,
                person=person,
                categories=categories,
                living_conditions=rng.choice(LIVING),
                psychological_state=rng.choice(MOOD),
                spiritual_needs=rng.choice(SPIRIT) if rng.random() < 0.7 else "",
                service_needs="、".join(rng.sample(NEEDS_TEXT, rng.randint(0, 2))),
            )
            archives.append(archive)
        return archives

    def extras(self, archive: ElderArchive, *, contact: bool, assess: bool) -> None:
        """An emergency contact and a capability assessment (within the last year, so still valid)."""
        rng = self.rng
        if contact:
            services.contact_add(
                actor=None,
                archive=archive,
                name=synthetic.person_name(rng),
                relation=rng.choice(RELATIONS),
                phone=synthetic.phone(rng),
            )
            self.stats.contacts += 1
        if assess:
            services.assessment_record(
                actor=None,
                archive=archive,
                scores=_scores(rng, _assessment_total(rng, archive.categories)),
                reason=AssessmentReason.FIRST,
                dementia_or_mental_disorder=rng.random() < 0.05,
                risk_events=rng.choice((0, 0, 0, 0, 1, 2)),
                assessed_on=self.today - timedelta(days=rng.randint(20, 330)),
            )
            self.stats.assessments += 1


def _spread(maker: _Maker, villages: list[Region], count: int) -> list[ElderArchive]:
    """``count`` archives across ``villages``: about 30 % of the households are couples (so nearly half the
    elders live with a spouse), the others live alone."""
    rng = maker.rng
    made: list[ElderArchive] = []
    while len(made) < count:
        size = 2 if count - len(made) >= 2 and rng.random() < 0.3 else 1
        archives = maker.household(rng.choice(villages), size=size)
        for archive in archives:
            needs_care = {ElderCategory.DISABLED_CARE, ElderCategory.SEVERELY_DISABLED} & set(archive.categories)
            maker.extras(
                archive,
                contact=rng.random() < 0.1,
                assess=bool(needs_care) and rng.random() < 0.6,
            )
        made.extend(archives)
    return made


# ------------------------------------------------------------------------------------------ entry point


def _groups(today: date) -> str:
    mapping = policy.value("eldercare.group_mapping", region="350600000000", on=today)
    advanced = int(policy.value("eldercare.advanced_age", region="350600000000", on=today))
    groups: Counter[str] = Counter()
    for archive in ElderArchive.objects.select_related("person").only("categories", "person__birth_date"):
        groups.update(selectors.groups_of(selectors.categories_of(archive, on=today, advanced_age=advanced), mapping))
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    return ", ".join(f"{g} {groups[g]}" for g in sorted(groups, key=lambda g: (order.get(g, 99), g)))


def _operation(today: date) -> str:
    """The opening logs' before/after around the day the posts opened (S3)."""
    before, after = operations.before_after(user=None, prefix="3506", pivot=R1_START)
    if before.operating_rate is None or after.operating_rate is None:
        return "no facilities"
    return (
        f"operating {before.operating_rate:.0%} → {after.operating_rate:.0%}, "
        f"{before.avg_daily_hours or 0} → {after.avg_daily_hours or 0} h a day"
    )


def _summary(prefix: str) -> str:
    today = clock.today()
    emergencies = Emergency.objects.aggregate(
        n=Count("id", distinct=True),
        open=Count("id", filter=Q(closed_at__isnull=True), distinct=True),
        escalated=Count("id", filter=Q(steps__action="escalated"), distinct=True),
    )
    current = Pairing.objects.filter(ended_on__isnull=True)
    helpers = current.values("helper_id").distinct().count()
    accounts = Placement.objects.filter(ended_on__isnull=True, person__user__isnull=False).count()
    return (
        f"eldercare: {prefix}{ElderArchive.objects.count()} archives ({_groups(today)}), "
        f"{HouseholdArchive.objects.count()} household archives, {EmergencyContact.objects.count()} contacts, "
        f"{CapabilityAssessment.objects.count()} assessments, "
        f"{accounts} hired helpers with an account, {current.count()} pairings ({helpers} helpers), "
        f"{Visit.objects.filter(submitted_at__isnull=False).count()} visits "
        f"({ServiceRecord.objects.count()} services), {NeedReport.objects.count()} needs "
        f"({NeedReport.objects.filter(status=NeedStatus.OPEN).count()} open), "
        f"{emergencies['n']} emergencies ({EmergencyStep.objects.count()} steps, {emergencies['escalated']} "
        f"escalated, {emergencies['open']} open), "
        f"{FamilyConfirmation.objects.filter(confirmed_at__isnull=False).count()} family confirmations, "
        f"{ConfirmationCall.objects.count()} confirmation calls "
        f"({ConfirmationCall.objects.exclude(result='').count()} made), "
        f"{Activity.objects.count()} activities, {FacilityDayLog.objects.count()} opening-log days "
        f"({_operation(today)})"
    )


def load(command: Any, options: dict[str, Any]) -> str:
    """Accounts and pairings for the hired helpers, archives across the villages, a history of visits,
    emergencies, confirmations, opening logs and activities; once only."""
    if ElderArchive.objects.exists():
        return _summary("already present: ")
    people = int(options.get("people") or 3000)
    target = int(options.get("elders") or ELDERS_PER_PERSON * people)
    today = clock.today()
    stats = Stats()
    maker = _Maker(random.Random(12000), today, stats)  # noqa: S311 - demo data, not security
    users = DemoUsers.load()
    named = {u.username: u for u in User.objects.filter(username__in=[n for spec in DEMO_HELPERS for n in spec])}
    helpers = [(named[h], named.get(v), named.get(t)) for h, v, t in DEMO_HELPERS if h in named]
    reserved = {a.region_id for helper, _v, _t in helpers for a in helper.active_assignments() if a.role == Role.HELPER}
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="3506")
        .exclude(code__in=reserved)
        .order_by("code")
    )
    rollout = add_months(today.replace(day=1), -demo_pairings.ROLLOUT_MONTHS)
    with transaction.atomic():
        demo_pairings.issue_accounts(users, stats)
        plans = demo_pairings.plan_villages(demo_pairings.hired_helpers(), reserved=reserved)
        paired = sum(
            demo_visits.demo_helper_history(maker.rng, maker, helper, village_user, township, today, stats)
            for helper, village_user, township in helpers
        )
        seeded = demo_pairings.top_up(maker, plans)
        _spread(maker, villages, max(target - paired - seeded, 0))
        work = random.Random(444)  # noqa: S311 - demo data, not security
        demo_pairings.allocate(plans, reserved=reserved)
        demo_pairings.pair_all(work, plans, users, today, stats)
        demo_visits.hired_helper_history(work, plans, users, today, stats)
        demo_visits.read_need_alerts(today)
        demo_emergencies.make_emergencies(random.Random(120), users, today, rollout, stats)  # noqa: S311
        demo_visits.confirmation_calls(random.Random(110), users, today, stats)  # noqa: S311
        demo_operations.opening_logs(random.Random(2024), users, today, stats)  # noqa: S311
        demo_operations.activities(random.Random(18), plans, users, today, min(1.0, people / 3000), stats)  # noqa: S311
    refused = f", {stats.account_skips} refused" if stats.account_skips else ""
    paired_text = ", ".join(stats.helpers) or "no demo helpers"
    return _summary("") + f" [paired: {paired_text}; {stats.accounts} accounts issued{refused}]"
