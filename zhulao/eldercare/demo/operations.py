"""Elder-care demo, the facilities' operation: opening logs (S3) and activities (S18), through the services of
``services/operations.py``.

* Opening logs, from the day each facility opened (March 2024) to yesterday, one sheet per facility and
  quarter through ``day_logs_record``, which takes any number of days (the month sheet of the page is one
  use; a sheet a quarter keeps the demo's ~4,000 sheets and ~220,000 days within its time). Closed days are
  left off. Before the helper posts (2025-04-21) about :data:`DORMANT` of the facilities never open and the
  others open on some of their days for part of their hours; once a helper is in post the facility keeps
  its opening hours on nearly every day, and a facility whose post is still vacant stays as it was.
  ``before_after(pivot=2025-04-21)`` then shows about the seed's +26 percentage points of operating rate
  and +60 % daily opening hours (with the default 3,000 candidates: a smaller demo hires fewer helpers).
* Activities in the last :data:`ACTIVITY_MONTHS` months (this one included), with elders of the facility's
  village or township and its helpers: most service centers meet 天天有活动、周周有公益、月月有主题; a few
  stations do, more have their weekly public-welfare activity and monthly theme, the rest hold one now and
  then. A demo smaller than the default (``--people`` below 3000) records activities only at the pilot
  townships' facilities and a matching share of the others.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from zhulao.accounts.models import User
from zhulao.eldercare.choices import ActivityKind, ArchiveStatus
from zhulao.eldercare.demo.common import DemoUsers, Stats, at_moment, on, real_now
from zhulao.eldercare.demo.pairings import PILOT_TOWNSHIPS, HelperPlan
from zhulao.eldercare.models import ElderArchive
from zhulao.eldercare.services import operations
from zhulao.posts.choices import FacilityKind
from zhulao.posts.demo import R1_START
from zhulao.posts.models import Facility, Placement
from zhulao.rules.dates import add_months

DORMANT = 0.29  # facilities never open before the posts
ACTIVITY_MONTHS = 3  # this month and the two before
SHEET_MONTHS = 3  # an opening-log sheet covers a quarter
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HALF = Decimal("0.5")

DAILY = (
    "健身操晨练",
    "棋牌娱乐",
    "读书读报",
    "手工编织",
    "芗剧欣赏",
    "书法练习",
    "健康知识讲座",
    "太极拳",
    "广场舞",
    "茶话会",
    "老电影放映",
    "老年合唱",
)
WELFARE = (
    ("义诊：免费测血压、血糖", "镇卫生院"),
    ("志愿者义务理发", "青年志愿者协会"),
    ("家电义务维修", "供电所志愿服务队"),
    ("防范电信诈骗宣传", "派出所"),
    ("法律咨询进村居", "司法所"),
    ("爱心午餐", "社工站"),
    ("清洁家园志愿服务", "村（居）志愿服务队"),
)
PARTICIPANTS: dict[str, tuple[int, int]] = {
    ActivityKind.DAILY: (3, 10),
    ActivityKind.WEEKLY_WELFARE: (5, 15),
    ActivityKind.MONTHLY_THEME: (8, 25),
}
THEMES = {
    1: "新春送温暖",
    2: "元宵团圆",
    3: "学雷锋志愿服务月",
    4: "清明文明祭扫",
    5: "母亲节感恩",
    6: "端午包粽子",
    7: "防暑降温",
    8: "七夕话家风",
    9: "中秋团圆月",
    10: "重阳敬老月",
    11: "冬季消防安全月",
    12: "冬至暖心月",
}


def _scheduled(facility: Facility) -> dict[int, Decimal]:
    """Hours open on each weekday (0 = Monday) by the facility's weekly opening hours."""
    hours: dict[int, Decimal] = {}
    for index, name in enumerate(WEEKDAYS):
        total = Decimal(0)
        for start, end in facility.opening_hours.get(name, []):
            (h1, m1), (h2, m2) = (map(int, start.split(":")), map(int, end.split(":")))
            total += Decimal((h2 * 60 + m2) - (h1 * 60 + m1)) / 60
        hours[index] = total
    return hours


def _half(value: float) -> Decimal:
    return max(Decimal(1), (Decimal(str(value)) / HALF).quantize(Decimal(1)) * HALF)


def _open_hours(rng: random.Random, scheduled: Decimal, *, staffed: bool) -> Decimal | None:
    """Hours open on one day, or None when closed (left off the sheet)."""
    if scheduled == 0:
        return _half(rng.uniform(2, 3.5)) if rng.random() < 0.04 else None  # an event on a closed day
    if staffed:
        return (
            min(Decimal(12), _half(float(scheduled) + rng.choice((-0.5, 0, 0, 0, 0.5))))
            if rng.random() < 0.96
            else None
        )
    return _half(float(scheduled) * rng.uniform(0.5, 0.72)) if rng.random() < 0.45 else None


def _staffed_from() -> dict[int, date]:
    """The day each facility got its first helper."""
    first: dict[int, date] = {}
    for facility_id, started in Placement.objects.values_list("post__facility_id", "started_on").order_by("started_on"):
        first.setdefault(facility_id, started)
    return first


def opening_logs(rng: random.Random, users: DemoUsers, today: date, stats: Stats) -> None:
    """One sheet per facility and quarter, from its opening to yesterday, entered after the quarter (the
    current quarter so far: today)."""
    staffed = _staffed_from()
    yesterday = today - timedelta(days=1)
    latest = real_now(timedelta(hours=1))
    for facility in Facility.objects.prefetch_related("status_history").order_by("region_id", "pk"):
        scheduled = _scheduled(facility)
        dormant = rng.random() < DORMANT
        helper_from = staffed.get(facility.pk)
        opened = min((s.effective_on for s in facility.status_history.all()), default=R1_START)
        quarter = opened.replace(day=1, month=(opened.month - 1) // 3 * 3 + 1)
        while quarter <= yesterday:
            following = add_months(quarter, SHEET_MONTHS)
            hours: dict[date, Decimal] = {}
            day = max(quarter, opened)
            while day < following and day <= yesterday:
                with_helper = helper_from is not None and day >= helper_from
                if not dormant or with_helper:
                    value = _open_hours(rng, scheduled[day.weekday()], staffed=with_helper)
                    if value is not None:
                        hours[day] = value
                day += timedelta(days=1)
            if hours:
                entered = datetime.combine(following + timedelta(days=rng.randint(0, 4)), time(17))
                with at_moment(min(timezone.make_aware(entered), latest)):
                    operations.day_logs_record(
                        actor=users.employer_of(facility.region_id), facility=facility, hours=hours
                    )
                stats.extra["sheets"] = stats.extra.get("sheets", 0) + 1
            quarter = following


# ------------------------------------------------------------------------------------------ activities


def _profile(rng: random.Random, facility: Facility) -> str:
    if facility.kind == FacilityKind.SERVICE_CENTER:
        return "full" if rng.random() < 0.75 else "partial"
    draw = rng.random()
    return "full" if draw < 0.06 else "good" if draw < 0.36 else "sparse"


def _plan(rng: random.Random, profile: str, first: date, yesterday: date) -> list[tuple[date, str]]:
    """The activities of one facility from ``first`` to ``yesterday``: (day, kind)."""
    days = [first + timedelta(days=n) for n in range((yesterday - first).days + 1)]
    chance = {"full": 1.0, "partial": 0.5, "good": 0.12, "sparse": 0.06}[profile]
    planned = [(d, ActivityKind.DAILY) for d in days if rng.random() < chance]
    weeks: dict[tuple[int, int], list[date]] = defaultdict(list)
    months: dict[tuple[int, int], list[date]] = defaultdict(list)
    for d in days:
        weeks[tuple(d.isocalendar())[:2]].append(d)  # type: ignore[index]
        months[(d.year, d.month)].append(d)
    weekly = {"full": 1.0, "partial": 0.7, "good": 1.0, "sparse": 0.15}[profile]
    theme = {"full": 1.0, "partial": 0.6, "good": 1.0, "sparse": 0.1}[profile]
    planned += [(rng.choice(w), ActivityKind.WEEKLY_WELFARE) for w in weeks.values() if rng.random() < weekly]
    planned += [(rng.choice(m[:15]), ActivityKind.MONTHLY_THEME) for m in months.values() if rng.random() < theme]
    return sorted(planned)


def _title(rng: random.Random, kind: str, day: date) -> tuple[str, str]:
    if kind == ActivityKind.WEEKLY_WELFARE:
        return rng.choice(WELFARE)
    if kind == ActivityKind.MONTHLY_THEME:
        return f"{day.month}月主题：{THEMES[day.month]}", rng.choice(("", "镇文化站", "老年协会"))
    return rng.choice(DAILY), ""


def activities(
    rng: random.Random, plans: list[HelperPlan], users: DemoUsers, today: date, scale: float, stats: Stats
) -> None:
    first = add_months(today.replace(day=1), 1 - ACTIVITY_MONTHS)
    yesterday = today - timedelta(days=1)
    helpers: dict[int, list[User]] = defaultdict(list)
    for plan in plans:
        helpers[plan.placement.post.facility_id].append(plan.user)
    elders: dict[str, list[ElderArchive]] = defaultdict(list)
    for archive in ElderArchive.objects.filter(status=ArchiveStatus.ACTIVE).order_by("pk"):
        elders[archive.region_id[:9]].append(archive)
    for facility in Facility.objects.select_related("region").order_by("region_id", "pk"):
        profile = _profile(rng, facility)
        if facility.region_id[:9] not in PILOT_TOWNSHIPS and rng.random() >= scale:
            continue
        local = [e for e in elders[facility.region_id[:9]] if e.region_id.startswith(facility.region.prefix)]
        for day, kind in _plan(rng, profile, first, yesterday):
            title, partner = _title(rng, kind, day)
            size = PARTICIPANTS[kind]
            taking_part = rng.sample(local, min(len(local), rng.randint(*size)))
            with on(day, time(rng.randint(15, 19), rng.choice((0, 30)))):
                operations.activity_record(
                    actor=users.employer_of(facility.region_id),
                    facility=facility,
                    kind=kind,
                    held_on=day,
                    title=title,
                    partner=partner,
                    elders=taking_part,
                    helpers=helpers.get(facility.pk, []),
                )
            stats.extra["activities"] = stats.extra.get("activities", 0) + 1
