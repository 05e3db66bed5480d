"""Elder-care demo, the emergencies (S16): a few a month across the year, each taken up the ladder through the
services, and two still open now.

* Each is reported by the elder's helper some minutes after it happened (the village must acknowledge).
  Where the village has a demo user (``cun_punan``, ``cun_guokeng``) it mostly does; elsewhere nobody does in
  time and ``emergency_escalate_due`` (with the clock moved past the deadline) takes it to the township,
  acknowledged by the township's demo user or by Civil Affairs of the county; now and then the township
  misses its deadline too. Falls and sudden illness mostly call 120, a missing elder 110. Each is closed with
  its outcome a few hours later and the helper pays the follow-up visit within the policy's hours; the
  alerts of a closed emergency are marked read.
* Before the roll-out only the pilot townships have paired elders, so the emergencies of those months lie
  there (:data:`PILOT_PER_MONTH`); since then they come from the whole city (:data:`PER_MONTH`). None in the
  last :data:`QUIET_DAYS` days, so that no recent follow-up changes anyone's day.
* Open now: one of ``zly_punan``'s elders, reported half an hour ago and not yet acknowledged by the village
  (``cun_punan`` has the alert); and one in another pilot township, escalated, acknowledged by the township
  and taken to hospital by 120, not yet closed.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.eldercare.choices import EmergencyKind, ServiceKind
from zhulao.eldercare.demo.common import DemoUsers, Stats, at_moment, real_now
from zhulao.eldercare.demo.visits import visit
from zhulao.eldercare.models import Emergency, Notification, Pairing
from zhulao.eldercare.services import emergencies, notifications
from zhulao.rules.dates import add_months

PER_MONTH = 5  # city-wide, once every township has paired elders
PILOT_PER_MONTH = 2  # before, in the pilot townships
QUIET_DAYS = 8  # no closed emergency this recent (a follow-up visit would change "my day")
DEMO_HELPERS = ("zly_punan", "zly_guokeng")

KINDS = {EmergencyKind.FALL: 45, EmergencyKind.ILLNESS: 35, EmergencyKind.MISSING: 8, EmergencyKind.FIRE: 4}
KINDS[EmergencyKind.OTHER] = 8
# what happened, where, how it ended; the chance of a 120 / 110 call
STORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], float, float]] = {
    EmergencyKind.FALL: (
        ("老人在厨房滑倒，意识清醒，右腿疼痛", "老人夜间起床时在卧室摔倒，无法自行站起", "老人在门口台阶踩空摔倒"),
        ("老人家中厨房", "老人卧室", "老人家门口"),
        ("已送镇卫生院检查，无骨折，家属已到场。", "送县医院拍片，右腕骨裂，已住院治疗，子女已赶回。"),
        0.5,
        0.0,
    ),
    EmergencyKind.ILLNESS: (
        ("老人突发胸闷气短，面色发白", "老人血压突然升高，头晕呕吐", "老人高烧不退，精神萎靡"),
        ("老人家中", "村口小卖部", "村老年活动中心"),
        ("经120送县医院急诊，诊断为心绞痛，已稳定，家属陪护。", "经镇卫生院处置后血压平稳，已回家休息，嘱按时服药。"),
        0.8,
        0.0,
    ),
    EmergencyKind.MISSING: (
        ("老人早上外出后一直未归，电话无人接听", "有认知障碍的老人独自离家，家人未能找到"),
        ("村内及周边", "老人家附近"),
        ("经村干部、派出所和村民共同寻找，傍晚在邻村找到老人，身体无碍，已送回家中。",),
        0.0,
        0.9,
    ),
    EmergencyKind.FIRE: (
        ("老人家中灶台起火，已自行扑灭，厨房受损", "电动车充电时冒烟起火"),
        ("老人家中厨房", "老人家院子"),
        ("火已扑灭，老人未受伤，已协调村委更换老化电线。",),
        0.0,
        0.6,
    ),
    EmergencyKind.OTHER: (
        ("老人家中燃气泄漏，闻到异味", "暴雨后老人房屋漏水严重"),
        ("老人家中",),
        ("已关闭燃气阀门并通风，燃气公司已上门检修。", "已将老人临时安置到亲戚家，村委安排修缮。"),
        0.0,
        0.2,
    ),
}


def _steps(
    rng: random.Random, paired: Pairing, kind: str, occurred: datetime, users: DemoUsers, *, close: bool = True
) -> tuple[Emergency, datetime]:
    """Report, acknowledge (escalating when nobody does in time), refer; close unless ``close`` is off (then
    the township never misses its own deadline: every step stays within three and a quarter hours).
    Returns the emergency and the time of its last step."""
    archive, helper = paired.archive, paired.helper
    texts, places, outcomes, p120, p110 = STORIES[kind]
    reported = occurred + timedelta(minutes=rng.randint(4, 25))
    with at_moment(reported):
        emergency = emergencies.emergency_report(
            actor=helper,
            archive=archive,
            kind=kind,
            occurred_at=occurred,
            place=rng.choice(places),
            description=rng.choice(texts),
        )
    village = users.village.get(archive.region_id)
    if village is not None and rng.random() < 0.75:
        acknowledged = reported + timedelta(minutes=rng.randint(6, 45))
        responder: User = village
    else:
        responder = users.handler_of(archive.region_id) or helper
        assert emergency.deadline is not None
        moment = emergency.deadline + timedelta(minutes=rng.randint(1, 15))
        with at_moment(moment):
            emergencies.emergency_escalate_due(now=moment)
        emergency.refresh_from_db()
        if close and rng.random() < 0.15 and emergency.deadline is not None:  # the township misses it too
            moment = emergency.deadline + timedelta(minutes=rng.randint(1, 20))
            with at_moment(moment):
                emergencies.emergency_escalate_due(now=moment)
        acknowledged = moment + timedelta(minutes=rng.randint(5, 60))
    with at_moment(acknowledged):
        emergencies.emergency_acknowledge(actor=responder, emergency=emergency, note="已接报，正在处置。")
    last = acknowledged
    for service, chance in (("120", p120), ("110", p110)):
        if rng.random() < chance:
            last = last + timedelta(minutes=rng.randint(2, 15))
            with at_moment(last):
                emergencies.emergency_refer(actor=responder, emergency=emergency, service=service)
    if close:
        last = last + timedelta(hours=rng.randint(1, 6), minutes=rng.randint(0, 59))
        with at_moment(last):
            emergencies.emergency_close(actor=responder, emergency=emergency, outcome=rng.choice(outcomes))
    emergency.refresh_from_db()
    return emergency, last


def _read_alerts(emergency: Emergency, at: datetime) -> None:
    """Everyone alerted about a closed emergency has read the alert by then."""
    url = emergency.get_absolute_url()
    rows = Notification.objects.filter(url=url, read_at__isnull=True).values_list("user_id", "pk")
    by_user: dict[int, list[int]] = {}
    for user_id, pk in rows:
        by_user.setdefault(user_id, []).append(pk)
    readers = User.objects.in_bulk(list(by_user))
    with at_moment(at):
        for user_id, ids in sorted(by_user.items()):
            notifications.mark_read(user=readers[user_id], ids=ids)


def _candidates(day: date) -> list[tuple[int, str, str]]:
    """The current pairings that had begun before ``day``: (id, the elder's village, the helper's username)."""
    rows = Pairing.objects.filter(ended_on__isnull=True, started_on__lt=day).order_by("pk")
    return list(rows.values_list("pk", "region_id", "helper__username"))


def _pairing(pk: int) -> Pairing:
    return Pairing.objects.select_related("archive__person", "helper").get(pk=pk)


def _history(rng: random.Random, users: DemoUsers, today: date, rollout: date, stats: Stats) -> None:
    this_month = today.replace(day=1)
    month = add_months(this_month, -12)
    last_day = today - timedelta(days=QUIET_DAYS)
    while month <= last_day:
        end = min(add_months(month, 1) - timedelta(days=1), last_day)
        count = PER_MONTH if month >= rollout else PILOT_PER_MONTH
        for day in sorted(month + timedelta(days=rng.randint(0, (end - month).days)) for _ in range(count)):
            pairings = _candidates(day)
            staffed = [p for p in pairings if p[1] in users.village]
            if not pairings:
                continue
            # one in four where a village demo user acknowledges (the others go up to the township)
            stats.extra["emergencies"] = stats.extra.get("emergencies", 0) + 1
            paired = _pairing(rng.choice(staffed if staffed and stats.extra["emergencies"] % 4 == 1 else pairings)[0])
            occurred = timezone.make_aware(datetime.combine(day, time(rng.randint(6, 20), rng.randint(0, 59))))
            kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
            emergency, closed = _steps(rng, paired, kind, occurred, users)
            _follow_up(rng, paired, emergency, closed, today, users, stats)
        month = add_months(month, 1)


def _follow_up(
    rng: random.Random,
    paired: Pairing,
    emergency: Emergency,
    closed: datetime,
    today: date,
    users: DemoUsers,
    stats: Stats,
) -> None:
    """The helper's visit within the policy's hours after the emergency (in the daytime when that fits),
    then the alerts are read."""
    hours = int(policy.value("emergency.followup_hours", region=emergency.region_id, on=closed.date()))
    first = timezone.localtime(closed) + timedelta(hours=1)
    deadline = timezone.localtime(emergency.occurred_at) + timedelta(hours=hours, minutes=-30)
    slots = [first + timedelta(hours=n) for n in range(int((deadline - first).total_seconds() // 3600) + 1)]
    local = rng.choice([s for s in slots if 8 <= s.hour <= 17] or [first])
    if local.date() >= today:
        return
    visit(
        rng,
        paired.helper,
        users.handler_of(paired.archive.region_id),
        paired.archive,
        local.date(),
        today,
        stats,
        start=local.time().replace(second=0, microsecond=0),
        given={ServiceKind.SAFETY: 30, ServiceKind.HEALTH_CARE: 20},
        notes="紧急事件后回访：老人情况稳定，已与家属沟通后续照护。",
    )
    _read_alerts(emergency, timezone.make_aware(datetime.combine(local.date(), time(19, 0))))


def _open_now(rng: random.Random, users: DemoUsers, stats: Stats) -> None:
    """One of zly_punan's elders, just reported; one elsewhere in the pilot, at the township and in hospital."""
    punan = list(
        Pairing.objects.filter(helper__username="zly_punan", ended_on__isnull=True)
        .select_related("archive__person", "helper")
        .order_by("-archive_id")  # not the first card of the helper's day (the browser tests start there)
    )
    if punan:
        occurred = real_now(timedelta(minutes=40))
        with at_moment(real_now(timedelta(minutes=30))):
            emergencies.emergency_report(
                actor=punan[0].helper,
                archive=punan[0].archive,
                kind=EmergencyKind.FALL,
                occurred_at=occurred,
                place="老人家中卫生间",
                description="老人在卫生间滑倒，腰部疼痛，暂时无法起身",
            )
        stats.extra["emergencies"] = stats.extra.get("emergencies", 0) + 1
    others = [
        p for p in _candidates(real_now().date()) if p[1][:9] in ("350603103", "350602001") and p[2] not in DEMO_HELPERS
    ]
    if others:
        paired = _pairing(rng.choice(others)[0])
        emergency, last = _steps(
            rng, paired, EmergencyKind.ILLNESS, real_now(timedelta(hours=3, minutes=20)), users, close=False
        )
        if not emergency.referral_120:
            with at_moment(last + timedelta(minutes=3)):
                emergencies.emergency_refer(
                    actor=emergency.acknowledged_by, emergency=emergency, service="120", note="已送县医院急诊。"
                )
        stats.extra["emergencies"] = stats.extra.get("emergencies", 0) + 1


def make_emergencies(rng: random.Random, users: DemoUsers, today: date, rollout: date, stats: Stats) -> None:
    _history(rng, users, today, rollout, stats)
    _open_now(rng, users, stats)
