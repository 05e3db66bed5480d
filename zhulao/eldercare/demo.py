"""Demo data for elder care (S13–S17), generated through the services: synthetic people only.

* Archives (一人一档 / 一户一档): ``--elders`` elderly persons (default: 4 × ``--people``, so 12,000 for the
  default 3,000 candidates, the seed's "12,000+ files"), born 1930–1965, living alone or as a couple in
  one household, across the Zhangzhou villages, with a realistic mix of categories (left-behind,
  empty-nest, living alone, widowed/childless, 低保, 特困, disabled …), so all three groups of the policy
  mapping ``eldercare.group_mapping`` (托底 / 困境 / 重点保障) are represented. Some have an emergency
  contact and a capability assessment (GB/T 42195-2022).
* Pairings (结对): every elder of the villages of the demo helpers ``zly_punan`` and ``zly_guokeng``
  (:data:`PER_HELPER` each) is paired with that helper by the village committee (``cun_punan`` /
  ``cun_guokeng``) about a year ago.
* Visits (S14, S15): a monthly visit for each of those elders over the past year, with the services given
  and their minutes; now and then a new need (S17), most of them handled by the township (``xz_punan`` /
  ``xz_guokeng``) a few days later, the recent ones still open. This month only part of ``zly_punan``'s
  elders have been visited yet, and one left-behind elder missed last month's visit, so "my day" shows
  overdue and due work.

History lies in the past, so the services' clock is moved to each day with :func:`_on` (demo only).
Idempotent: when archives exist the step only reports what is there.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from unittest.mock import patch

from django.db import transaction
from django.utils import timezone

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.core import clock, synthetic
from zhulao.core.exceptions import DomainError
from zhulao.eldercare import selectors, services
from zhulao.eldercare.choices import AssessmentReason, ElderCategory, NeedStatus, ServiceKind
from zhulao.eldercare.models import (
    CapabilityAssessment,
    ElderArchive,
    EmergencyContact,
    HouseholdArchive,
    NeedReport,
    Pairing,
    ServiceRecord,
    Visit,
)
from zhulao.people import services as people_services
from zhulao.people.choices import EmploymentStatus, Relation, Sex
from zhulao.people.models import Person
from zhulao.regions.choices import RegionLevel
from zhulao.regions.models import Region
from zhulao.rules import capability
from zhulao.rules.dates import add_months

ELDERS_PER_PERSON = 4  # --people 3000 → 12,000 archives (the seed's figure); --people 150 → 600
PER_HELPER = 20  # elders paired with each demo helper
HISTORY_MONTHS = 12  # a year of monthly visits
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
VISIT_NOTES = (
    "老人身体状况良好，已提醒按时服药。",
    "检查了用电和燃气安全，未发现隐患。",
    "与老人聊天约半小时，情绪较好。",
    "协助整理了药品，过期药品已处理。",
    "提醒老人天气转凉注意添衣保暖。",
    "老人反映腿脚不便，已告知村委关注。",
)
LIVING_STATE = ("生活能自理", "基本能自理，行动较慢", "需要他人协助部分日常活动", "居家环境整洁")
NEW_NEEDS = (
    "屋顶漏雨，需要维修",
    "老人想申请助餐服务",
    "卫生间地面湿滑，需加装扶手",
    "老人的低保年审材料需要协助准备",
    "老人近期血压偏高，建议安排家庭医生上门",
    "电线老化，存在安全隐患",
    "老人想参加镇上的老年大学书法班",
)
HANDLING = (
    "已联系村委安排维修，本周内完成。",
    "已为老人办理助餐登记，下周起每日送餐。",
    "已协调民政适老化改造项目加装扶手。",
    "已协助准备年审材料并提交镇民政办。",
    "已联系家庭医生签约团队上门随访。",
    "已通知供电所检修线路。",
    "已帮助老人报名老年大学课程。",
)
RELATIONS = ("儿子", "女儿", "侄子", "邻居", "外甥女", "儿媳")
# Services given on a visit, with weights (safety watch and passing on information on most visits).
SERVICE_WEIGHTS = {
    ServiceKind.SAFETY: 10,
    ServiceKind.INFORMATION: 8,
    ServiceKind.CLEANING: 6,
    ServiceKind.HEALTH_CARE: 6,
    ServiceKind.ERRANDS: 5,
    ServiceKind.DAILY_CARE: 4,
    ServiceKind.MEDICAL: 3,
    ServiceKind.MEALS: 3,
    ServiceKind.RECREATION: 3,
    ServiceKind.MOBILITY: 2,
    ServiceKind.BATHING: 1,
}


@contextmanager
def _on(day: date, at: time = time(9, 0)) -> Iterator[None]:
    """Move the services' clock to ``day`` at ``at`` (demo generation only: history lies in the past)."""
    moment = timezone.make_aware(datetime.combine(day, at))
    with patch("zhulao.core.clock.today", return_value=day), patch("zhulao.core.clock.now", return_value=moment):
        yield


@dataclass
class _Stats:
    contacts: int = 0
    assessments: int = 0
    visits: int = 0
    needs: int = 0
    handled: int = 0
    retries: int = 0
    helpers: list[str] = field(default_factory=list)


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

    def __init__(self, rng: random.Random, today: date, stats: _Stats) -> None:
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


# ------------------------------------------------------------------------------------------ visits


def _services_given(rng: random.Random) -> dict[str, int]:
    kinds = list(SERVICE_WEIGHTS)
    chosen: set[str] = set()
    for _ in range(rng.choice((1, 2, 2, 3))):
        chosen.add(rng.choices(kinds, weights=list(SERVICE_WEIGHTS.values()))[0])
    return {kind: rng.choice((10, 15, 20, 30, 30, 40, 45, 60)) for kind in chosen}


def _visit(
    rng: random.Random,
    helper: User,
    township: User | None,
    archive: ElderArchive,
    day: date,
    today: date,
    stats: _Stats,
) -> None:
    """One visit on ``day``: opened at the door, submitted half an hour or so later; maybe a new need."""
    start = time(rng.randint(8, 16), rng.choice((0, 10, 20, 30, 40)))
    end = (datetime.combine(day, start) + timedelta(minutes=rng.randint(20, 75))).time()
    with _on(day, start):
        visit = services.visit_start(actor=helper, archive=archive, location="" if rng.random() < 0.5 else "已授权定位")
    need = rng.choice(NEW_NEEDS) if rng.random() < 0.1 else None
    with _on(day, end):
        services.visit_submit(
            actor=helper,
            visit=visit,
            services=_services_given(rng),
            living_state=rng.choice(LIVING_STATE),
            psychological_state=rng.choice(MOOD) if rng.random() < 0.5 else "",
            family_contacted=rng.random() < 0.3,
            notes=rng.choice(VISIT_NOTES),
            new_needs=[need] if need else [],
        )
    stats.visits += 1
    if need is None:
        return
    stats.needs += 1
    handle_on = day + timedelta(days=rng.randint(1, 6))
    if township is None or handle_on >= today or rng.random() < 0.2:
        return  # still open: recent, or waiting for the township
    report = NeedReport.objects.get(visit=visit)
    with _on(handle_on, time(rng.randint(9, 17), rng.choice((0, 15, 30, 45)))):
        services.need_handle(actor=township, need=report, note=HANDLING[NEW_NEEDS.index(need)])
    stats.handled += 1


def _visit_day(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last``, preferring working days."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5] or days
    return rng.choice(weekdays)


def _helper_elders(maker: _Maker, village: Region) -> list[ElderArchive]:
    """The archives of ``village``, topped up to :data:`PER_HELPER` (mostly with a monthly visit rule)."""
    archives = list(ElderArchive.objects.filter(region=village).select_related("person"))
    while len(archives) < PER_HELPER:
        size = 2 if PER_HELPER - len(archives) >= 2 and maker.rng.random() < 0.35 else 1
        for archive in maker.household(village, size=size, ruled=True):
            maker.extras(archive, contact=True, assess=maker.rng.random() < 0.5)
            archives.append(archive)
    return archives


def _pair_and_visit(maker: _Maker, helper: User, village_user: User | None, township: User | None) -> int:
    """Pair every elder of the helper's village with the helper a year ago; a monthly visit since then."""
    rng, today, stats = maker.rng, maker.today, maker.stats
    village = next(a.region for a in helper.active_assignments() if a.role == Role.HELPER)
    archives = _helper_elders(maker, village)
    this_month = today.replace(day=1)
    start_month = add_months(this_month, -HISTORY_MONTHS)
    ruled = [a for a in archives if set(RULED) & set(a.categories)]
    left_behind = [a for a in ruled if ElderCategory.LEFT_BEHIND in a.categories]
    candidates = left_behind or ruled
    overdue = candidates[0] if candidates and helper.username == "zly_punan" else None
    for archive in archives:
        started = start_month + timedelta(days=rng.randint(0, 9))
        with _on(started, time(10, 0)):
            services.pairing_assign(actor=village_user, archive=archive, helper=helper)
        month = start_month
        while month < this_month:
            last = add_months(month, 1) - timedelta(days=1)
            last_month = month == add_months(this_month, -1)
            # one elder missed last month's visit (overdue now); now and then a month was missed long ago
            missed = archive is overdue if last_month else rng.random() < 0.03
            if not missed:
                _visit(rng, helper, township, archive, _visit_day(rng, max(month, started), last), today, stats)
            month = add_months(month, 1)
    # This month: part of the elders visited already (before today), the rest still due.
    share = 0.45 if helper.username == "zly_punan" else 0.7
    if today.day > 1:
        for archive in archives:
            if archive is not overdue and rng.random() < share:
                _visit(
                    rng, helper, township, archive, _visit_day(rng, this_month, today - timedelta(days=1)), today, stats
                )
    stats.helpers.append(f"{helper.username} {len(archives)}")
    return len(archives)


# ------------------------------------------------------------------------------------------ entry point


def _summary(prefix: str) -> str:
    today = clock.today()
    mapping = policy.value("eldercare.group_mapping", region="350600000000", on=today)
    advanced = int(policy.value("eldercare.advanced_age", region="350600000000", on=today))
    groups: Counter[str] = Counter()
    for archive in ElderArchive.objects.select_related("person").only("categories", "person__birth_date"):
        groups.update(selectors.groups_of(selectors.categories_of(archive, on=today, advanced_age=advanced), mapping))
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    figures = ", ".join(f"{g} {groups[g]}" for g in sorted(groups, key=lambda g: (order.get(g, 99), g)))
    return (
        f"eldercare: {prefix}{ElderArchive.objects.count()} archives ({figures}), "
        f"{HouseholdArchive.objects.count()} household archives, {EmergencyContact.objects.count()} contacts, "
        f"{CapabilityAssessment.objects.count()} assessments, "
        f"{Pairing.objects.filter(ended_on__isnull=True).count()} pairings, "
        f"{Visit.objects.filter(submitted_at__isnull=False).count()} visits "
        f"({ServiceRecord.objects.count()} services), {NeedReport.objects.count()} needs "
        f"({NeedReport.objects.filter(status=NeedStatus.OPEN).count()} open)"
    )


def load(command: Any, options: dict[str, Any]) -> str:
    """Archives across the villages, pairings and a year of visits for the demo helpers; once only."""
    if ElderArchive.objects.exists():
        return _summary("already present: ")
    people = int(options.get("people") or 3000)
    target = int(options.get("elders") or ELDERS_PER_PERSON * people)
    today = clock.today()
    stats = _Stats()
    maker = _Maker(random.Random(12000), today, stats)  # noqa: S311 - demo data, not security
    users = {u.username: u for u in User.objects.filter(username__in=[n for spec in DEMO_HELPERS for n in spec])}
    helpers = [(users[h], users.get(v), users.get(t)) for h, v, t in DEMO_HELPERS if h in users]
    helper_villages = {
        a.region_id for helper, _v, _t in helpers for a in helper.active_assignments() if a.role == Role.HELPER
    }
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="3506")
        .exclude(code__in=helper_villages)
        .order_by("code")
    )
    with transaction.atomic():
        paired = sum(
            _pair_and_visit(maker, helper, village_user, township) for helper, village_user, township in helpers
        )
        _spread(maker, villages, max(target - paired, 0))
    return _summary("") + f" [paired: {', '.join(stats.helpers) or 'no demo helpers'}]"
