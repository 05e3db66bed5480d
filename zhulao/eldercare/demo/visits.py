"""Elder-care demo, the visits (S14, S15), the needs found on them (S17) and their confirmation by the families.

* The demo helpers ``zly_punan`` and ``zly_guokeng``: every elder of their village, paired a year ago, one
  visit a month since; this month part of them visited already, and one left-behind elder of ``zly_punan``
  missed last month's visit (overdue on "my day").
* The hired helpers follow the policy's visit rules (``eldercare.visit_rules``, the strictest rule of the
  elder's categories: monthly for 留守 / 孤寡 / 空巢 in the seed, weekly wherever a rule says so); an elder
  without a rule is visited once a quarter. Each helper has a reliability (most make 98 % of their due
  visits, some 92 %, a few 75 %), so last month's coverage is below 100 % in places; this month's visits
  follow the share of the month gone by.
* History: a year in the pilot townships, and since the start of the roll-out (two months before this one)
  elsewhere. A year of monthly visits for the ~6,000 paired elders through the services would take about
  eight minutes on SQLite, more than the whole demo may; the pilot keeps a year for the pages that look
  back (the helper's month, the archive's visits) and the rest of the city has what coverage, "my day" and
  the monthly confirmation calls need.
* About one visit in ten finds a new need, handled by the township (or Civil Affairs of the county where no
  township user exists) one to six days later; the recent ones, and one in five, are still open.
* Families confirm part of the last month's visits through the link (``confirmation_issue`` /
  ``confirmation_submit``), a few saying the visit did not happen; last month's confirmation-call sample is
  drawn (``sample_calls``) and the calls of the townships with a demo user are recorded.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.eldercare import selectors, services
from zhulao.eldercare.choices import ElderCategory, ServiceKind
from zhulao.eldercare.demo.common import DemoUsers, Stats, at_moment, on, real_now, working_day
from zhulao.eldercare.demo.pairings import HISTORY_MONTHS, ArchiveMaker, HelperPlan
from zhulao.eldercare.models import ConfirmationCall, ElderArchive, NeedReport, Notification, Visit
from zhulao.eldercare.services import confirmations, notifications
from zhulao.rules import visits as visit_rules
from zhulao.rules.dates import add_months

PER_HELPER = 20  # elders paired with each demo helper
RULED = (ElderCategory.LEFT_BEHIND, ElderCategory.EMPTY_NEST, ElderCategory.WIDOWED_CHILDLESS)
CONFIRM_DAYS = 30  # visits of the last 30 days may have a family confirmation
CONFIRM_SHARE = 0.15  # … about one in seven has its link shared with the family
UNREAD_DAYS = 3  # the township has not yet read the alerts of the needs of the last three days

PSYCHOLOGY = (
    "情绪稳定，性格开朗",
    "思念在外务工的子女，偶有孤独感",
    "精神状态良好，关心村里大小事",
    "因慢性病困扰，对就医有顾虑",
    "记忆力有所减退，交流时需耐心",
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
# a new need and how it was handled
NEEDS = (
    ("屋顶漏雨，需要维修", "已联系村委安排维修，本周内完成。"),
    ("老人想申请助餐服务", "已为老人办理助餐登记，下周起每日送餐。"),
    ("卫生间地面湿滑，需加装扶手", "已协调民政适老化改造项目加装扶手。"),
    ("老人的低保年审材料需要协助准备", "已协助准备年审材料并提交镇民政办。"),
    ("老人近期血压偏高，建议安排家庭医生上门", "已联系家庭医生签约团队上门随访。"),
    ("电线老化，存在安全隐患", "已通知供电所检修线路。"),
    ("老人想参加镇上的老年大学书法班", "已帮助老人报名老年大学课程。"),
)
FAMILY_COMMENTS = ("", "", "谢谢助老员，老人说很满意。", "每次都很耐心，辛苦了。", "希望能多来几次。", "")
CALL_NOTES = {
    ConfirmationCall.Result.CONFIRMED: "家属确认助老员当天上门，服务内容属实。",
    ConfirmationCall.Result.UNREACHABLE: "电话两次无人接听，下周再打。",
    ConfirmationCall.Result.DENIED: "家属称当天老人不在家，需向助老员核实。",
}
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


def services_given(rng: random.Random) -> dict[str, int]:
    kinds = list(SERVICE_WEIGHTS)
    chosen: set[str] = set()
    for _ in range(rng.choice((1, 2, 2, 3))):
        chosen.add(rng.choices(kinds, weights=list(SERVICE_WEIGHTS.values()))[0])
    return {kind: rng.choice((10, 15, 20, 30, 30, 40, 45, 60)) for kind in chosen}


def visit(
    rng: random.Random,
    helper: User,
    handler: User | None,
    archive: ElderArchive,
    day: date,
    today: date,
    stats: Stats,
    *,
    start: time | None = None,
    given: dict[str, int] | None = None,
    notes: str = "",
) -> Visit:
    """One visit on ``day``: opened at the door, submitted half an hour or so later; maybe a new need (handled
    by ``handler`` some days later); for a recent visit maybe the family's confirmation."""
    start = start or time(rng.randint(8, 16), rng.choice((0, 10, 20, 30, 40)))
    end = timezone.make_aware(datetime.combine(day, start) + timedelta(minutes=rng.randint(20, 75)))
    with on(day, start):
        opened = services.visit_start(
            actor=helper, archive=archive, location="" if rng.random() < 0.5 else "已授权定位"
        )
    need = rng.choice(NEEDS) if given is None and rng.random() < 0.1 else None
    with at_moment(end):
        submitted = services.visit_submit(
            actor=helper,
            visit=opened,
            services=given or services_given(rng),
            living_state=rng.choice(LIVING_STATE),
            psychological_state=rng.choice(PSYCHOLOGY) if rng.random() < 0.5 else "",
            family_contacted=rng.random() < 0.3,
            notes=notes or rng.choice(VISIT_NOTES),
            new_needs=[need[0]] if need else [],
        )
    stats.visits += 1
    if (today - day).days <= CONFIRM_DAYS and rng.random() < CONFIRM_SHARE:
        _family_confirms(rng, helper, submitted, end, stats)
    if need is None:
        return submitted
    stats.needs += 1
    handle_on = day + timedelta(days=rng.randint(1, 6))
    if handler is None or handle_on >= today or rng.random() < 0.2:
        return submitted  # still open: recent, or waiting for the township
    report = NeedReport.objects.get(visit=submitted)
    with on(handle_on, time(rng.randint(9, 17), rng.choice((0, 15, 30, 45)))):
        services.need_handle(actor=handler, need=report, note=need[1])
    stats.handled += 1
    return submitted


def _family_confirms(rng: random.Random, helper: User, done: Visit, at: datetime, stats: Stats) -> None:
    """The helper shows the link at the door; most families answer within three days."""
    shown = at + timedelta(minutes=2)
    with at_moment(shown):
        token = confirmations.confirmation_issue(actor=helper, visit=done)
    stats.extra["links"] = stats.extra.get("links", 0) + 1
    answered = shown + timedelta(hours=rng.randint(1, 72))
    if rng.random() > 0.8 or answered >= real_now(timedelta(minutes=5)):
        return
    happened = rng.random() > 0.02
    rating = rng.choices((5, 4, 3, 2), weights=(60, 30, 8, 2))[0] if happened else None
    with at_moment(answered):
        confirmations.confirmation_submit(
            token=token, happened=happened, rating=rating, comment=rng.choice(FAMILY_COMMENTS)
        )


# ------------------------------------------------------------------------------------------ demo helpers


def _helper_elders(maker: ArchiveMaker, village: Any) -> list[ElderArchive]:
    """The archives of ``village``, topped up to :data:`PER_HELPER` (mostly with a monthly visit rule)."""
    archives = list(ElderArchive.objects.filter(region=village).select_related("person"))
    rng = maker.rng
    while len(archives) < PER_HELPER:
        size = 2 if PER_HELPER - len(archives) >= 2 and rng.random() < 0.35 else 1
        for archive in maker.household(village, size=size, ruled=True):
            maker.extras(archive, contact=True, assess=rng.random() < 0.5)
            archives.append(archive)
    return archives


def demo_helper_history(
    rng: random.Random,
    maker: ArchiveMaker,
    helper: User,
    village_user: User | None,
    township: User | None,
    today: date,
    stats: Stats,
) -> int:
    """Pair every elder of the demo helper's village with the helper a year ago; a monthly visit since then."""
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
        with on(started, time(10, 0)):
            services.pairing_assign(actor=village_user, archive=archive, helper=helper)
        stats.pairings += 1
        month = start_month
        while month < this_month:
            last = add_months(month, 1) - timedelta(days=1)
            last_month = month == add_months(this_month, -1)
            # one elder missed last month's visit (overdue now); now and then a month was missed long ago
            missed = archive is overdue if last_month else rng.random() < 0.03
            if not missed:
                visit(rng, helper, township, archive, working_day(rng, max(month, started), last), today, stats)
            month = add_months(month, 1)
    # This month: part of the elders visited already (before today), the rest still due.
    share = 0.45 if helper.username == "zly_punan" else 0.7
    if today.day > 1:
        for archive in archives:
            if archive is not overdue and rng.random() < share:
                visit(
                    rng,
                    helper,
                    township,
                    archive,
                    working_day(rng, this_month, today - timedelta(days=1)),
                    today,
                    stats,
                )
    stats.helpers.append(f"{helper.username} {len(archives)}")
    return len(archives)


# ------------------------------------------------------------------------------------------ hired helpers


class _Rules:
    """The visit rules and the 高龄 age of each township, looked up once."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._cache: dict[str, tuple[dict[str, visit_rules.VisitRule], int]] = {}

    def rule_for(self, archive: ElderArchive) -> visit_rules.VisitRule | None:
        key = archive.region_id[:9]
        if key not in self._cache:
            region = archive.region_id
            resolved = policy.resolve("eldercare.visit_rules", region=region, on=self.today)
            advanced = int(policy.value("eldercare.advanced_age", region=region, on=self.today))
            self._cache[key] = (visit_rules.rules_from_mapping(resolved.value, cite=resolved.cite()), advanced)
        rules, advanced = self._cache[key]
        return visit_rules.required_visits(
            selectors.categories_of(archive, on=self.today, advanced_age=advanced), rules
        )


def _days(rng: random.Random, first: date, last: date, count: int) -> list[date]:
    """``count`` different days from ``first`` to ``last`` (working days first), in order."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]
    pool = weekdays if len(weekdays) >= count else days
    return sorted(rng.sample(pool, min(count, len(pool))))


def hired_helper_history(
    rng: random.Random, plans: list[HelperPlan], users: DemoUsers, today: date, stats: Stats
) -> None:
    """Each hired helper's visits since the pairing, period by period, following the policy's rules."""
    rules = _Rules(today)
    yesterday = today - timedelta(days=1)
    for plan in plans:
        if plan.paired_on is None:
            continue
        for archive in plan.archives:
            rule = rules.rule_for(archive)
            period = rule.period if rule else visit_rules.Period.QUARTER
            required = rule.visits if rule else 1
            handler = users.handler_of(archive.region_id)
            first = visit_rules.period_bounds(plan.paired_on, period)[0]
            while first <= yesterday:
                start, end = visit_rules.period_bounds(first, period)
                window = (max(start, plan.paired_on), min(end, yesterday))
                first = end + timedelta(days=1)
                if end >= today:  # the current period: done in proportion to the time gone by
                    gone = (today - start).days / ((end - start).days + 1)
                    count = sum(1 for _ in range(required) if rng.random() < min(0.95, gone * 1.15))
                else:
                    count = sum(1 for _ in range(required) if rng.random() < plan.reliability)
                for day in _days(rng, window[0], window[1], count) if window[0] <= window[1] else []:
                    visit(rng, plan.user, handler, archive, day, today, stats)


def read_need_alerts(today: date) -> None:
    """The township staff open their need list now and then: the alerts of new needs older than
    :data:`UNREAD_DAYS` days were read the day after they came (the recent ones are still unread)."""
    by_day: dict[tuple[int, date], list[int]] = defaultdict(list)
    rows = Notification.objects.filter(kind=notifications.NEED, read_at__isnull=True)
    for user_id, pk, created in rows.values_list("user_id", "pk", "created_at"):
        day = timezone.localdate(created)
        if (today - day).days > UNREAD_DAYS:
            by_day[(user_id, day)].append(pk)
    readers = User.objects.in_bulk([user_id for user_id, _day in by_day])
    for (user_id, day), ids in sorted(by_day.items()):
        with on(day + timedelta(days=1), time(8, 30)):
            notifications.mark_read(user=readers[user_id], ids=ids)


# ------------------------------------------------------------------------------------------ calls


def confirmation_calls(rng: random.Random, users: DemoUsers, today: date, stats: Stats) -> None:
    """Last month's sample, drawn early this month; the village or township demo users have made most of
    their calls since (other townships' calls are still to make)."""
    this_month = today.replace(day=1)
    drawn_at = min(timezone.make_aware(datetime.combine(this_month, time(8, 30))), real_now(timedelta(hours=1)))
    with at_moment(drawn_at):
        confirmations.sample_calls(month=add_months(this_month, -1), seed=this_month.toordinal())
    latest = real_now(timedelta(minutes=10))
    for call in ConfirmationCall.objects.filter(month=add_months(this_month, -1)).order_by("region_id", "pk"):
        caller = users.employer_of(call.region_id)
        called_at = drawn_at + timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
        if caller is None or rng.random() < 0.25 or called_at >= latest:
            continue
        result = rng.choices(list(CALL_NOTES), weights=(85, 10, 5))[0]
        with at_moment(called_at):
            confirmations.call_record(actor=caller, call=call, result=result, note=CALL_NOTES[result])
        stats.extra["calls_recorded"] = stats.extra.get("calls_recorded", 0) + 1
