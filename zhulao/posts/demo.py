"""Demo data for facilities, posts and recruitment (S1, S2, S7, S8), generated through the services.

* Facilities across the Zhangzhou townships and villages, sized so that the quota rule (policy
  ``facility.post_quota``) opens exactly 444 posts, the figure of the seed; all opened in March 2024.
* Round 1 (2025, completed): one batch per county published by the system, local applicants taken
  through submit → recommend → review → qualify → public notice (with objections) → archived notice
  → hire → contract registration. Some applications are rejected or withdrawn, with reasons.
* Round 2 (in progress, 芗城区): a batch open now for the posts still vacant, with applications
  waiting at every step for the demo users (cun_punan, mz_xiangcheng, jy_xiangcheng, rs_xiangcheng).

History lies in the past, so the services' clock is moved to each day with :func:`_on` (demo only).
The bulk history is acted by the system (``actor=None``); the open round uses the real demo users,
so that their workbench to-dos mean something and separation of duties holds.
"""

from __future__ import annotations

import random
from collections import defaultdict
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhulao.accounts.models import User
from zhulao.core import clock, synthetic
from zhulao.core.exceptions import DomainError
from zhulao.people import eligibility
from zhulao.people import services as people_services
from zhulao.people.choices import Category, EmploymentRegistration, EmploymentStatus, Relation
from zhulao.people.models import Person
from zhulao.policy import selectors as policy_selectors
from zhulao.posts import services
from zhulao.posts.choices import OPEN_STATUSES, ApplicationStatus, FacilityKind, SubmittedVia
from zhulao.posts.models import Application, Facility, Placement, Post, PublicNotice, RecruitmentBatch
from zhulao.posts.services.facilities import quota_for
from zhulao.regions.choices import OrganizationKind, RegionLevel
from zhulao.regions.models import Organization, Region
from zhulao.rules.workdays import WorkCalendar

TOTAL_POSTS = 444  # the seed's figure (DOMAIN S2)
SERVICE_CENTERS = 60  # 60 centers × 2 posts + 324 stations / happiness homes × 1 post = 444
HOLD_BACK = 44  # posts not advertised in round 1 (about 400 of 444 are)
XIANGCHENG = "350602000000"
XIANGCHENG_HELD = 8  # of the held-back posts, how many lie in 芗城区 (round 2)
# Townships of the demo township employers (xz_punan, jd_dongputou, xz_guokeng): each gets a center.
DEMO_TOWNSHIPS = ("350602100000", "350602001000", "350603103000")
PUNAN = "350602100000"  # the village user cun_punan works in the last village of 浦南镇
GUOKENG = "350603103000"
HUKOU_TYPES = ["city", "province", "poverty_labour"]

# Round 1: dates in 2025 (working days of the 2025 calendar).
R1_PUBLISHED = date(2025, 2, 24)
R1_OPEN, R1_CLOSE = date(2025, 3, 3), date(2025, 3, 21)
R1_RECOMMEND = (date(2025, 3, 24), date(2025, 3, 26))
R1_REVIEW = (date(2025, 3, 27), date(2025, 3, 31))
R1_QUALIFY = (date(2025, 4, 1), date(2025, 4, 3))
R1_NOTICE = date(2025, 4, 7)  # 5 working days: 7–11 April
R1_OBJECTIONS = (date(2025, 4, 8), date(2025, 4, 10))
R1_RESOLVE = date(2025, 4, 11)
R1_NOTICE_CLOSE = date(2025, 4, 14)
R1_HIRE = (date(2025, 4, 15), date(2025, 4, 17))
R1_START = date(2025, 4, 21)
R1_REGISTERED = date(2025, 5, 30)  # HR records the filings by then

REVIEW_REJECTIONS = (
    "经入户核实，申请人目前在外地务工，无法保证在岗服务时间。",
    "申请材料不全（缺户口簿复印件），经告知后逾期未补正。",
    "经村（居）民代表评议核实，申请人长期不在本村居住，不符合就近安置要求。",
)
WITHDRAWALS = ("本人已在本地企业找到工作，申请撤回。", "家中老人需全天照料，本人申请撤回。")
OBJECTIONS: tuple[tuple[str, str, bool], ...] = (
    (
        "该拟聘人员家里有两辆营运货车，经济条件较好，不应占用公益性岗位。",
        "经核查，该户名下登记营运货车2辆，家庭人均收入已超过当地低保标准，所持低保证明系未及时退出，"
        "异议成立，取消其拟聘用资格。",
        True,
    ),
    (
        "听说该拟聘人员是村干部的亲戚，怀疑推荐不公。",
        "经核查，该人员与村（居）两委成员及推荐、审核经办人员均无近亲属关系，推荐程序符合规定，异议不成立。",
        False,
    ),
    (
        "该拟聘人员身体不好，恐怕难以胜任入户助老服务。",
        "经核实，该人员身体健康，具备劳动能力，已签署岗位服务承诺书，异议不成立。",
        False,
    ),
)
ISSUER = {Category.URBAN_DIBAO: "乡镇人民政府（街道办事处）民政", Category.RURAL_DIBAO: "乡镇人民政府民政"}
STREETS = ("人民路", "中山路", "建设路", "解放路", "新华路", "胜利路", "延安路", "振兴路")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _on(day: date, at: time = time(9, 0)) -> AbstractContextManager[None]:
    """Move the services' clock to ``day`` (demo generation only: history lies in the past)."""
    return clock.frozen(day, at)


def _calendar(years: range) -> WorkCalendar:
    """The policy calendars of ``years``; a year without one counts Monday–Friday only."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    for year in years:
        try:
            one = policy_selectors.work_calendar(years=[year])
        except DomainError:
            continue
        holidays |= one.holidays
        workdays |= one.adjusted_workdays
    return WorkCalendar(holidays=frozenset(holidays), adjusted_workdays=frozenset(workdays))


@dataclass
class _Context:
    rng: random.Random
    calendar: WorkCalendar
    people_target: int
    regions: dict[str, Region] = field(default_factory=dict)
    hr: User | None = None  # rs_city runs the round-1 notices (a notice needs the user who opened it)

    def workdays(self, first: date, last: date) -> list[date]:
        days = []
        day = first
        while day <= last:
            if self.calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def day_in(self, span: tuple[date, date]) -> date:
        return self.rng.choice(self.workdays(*span) or [span[0]])

    def at(self) -> time:
        return time(self.rng.randint(8, 16), self.rng.choice((0, 10, 20, 30, 40, 50)))

    def county_of(self, code: str) -> Region:
        return self.regions[code[:6] + "000000"]

    def township_of(self, code: str) -> Region:
        return self.regions[code[:9] + "000"]


# ------------------------------------------------------------------------------------------ facilities


def _hours(rng: random.Random, kind: str) -> dict[str, list[list[str]]]:
    """Weekly opening hours, varying a little between facilities."""
    morning = [rng.choice(("08:00", "08:30")), rng.choice(("11:30", "12:00"))]
    afternoon = [rng.choice(("14:00", "14:30", "15:00")), rng.choice(("17:00", "17:30", "18:00"))]
    full = [morning, afternoon]
    if kind == FacilityKind.SERVICE_CENTER:
        open_days = 7 if rng.random() < 0.5 else 6
        hours = dict.fromkeys(DAYS[:open_days], full)
        if open_days == 6:
            hours["sat"] = [morning]
        return hours
    if kind == FacilityKind.HOME_CARE_STATION:
        hours = dict.fromkeys(DAYS[:5], full)
        hours["sat"] = [morning]
        return hours
    days = DAYS[:6] if rng.random() < 0.6 else DAYS[:5]
    return {day: (full if rng.random() < 0.7 else [afternoon]) for day in days}


def _last_village(township: str) -> str | None:
    village = Region.objects.filter(code__startswith=township[:9], level=RegionLevel.VILLAGE).order_by("-code").first()
    return village.code if village else None


def _facilities(ctx: _Context) -> list[Facility]:
    """Centers in real townships (not farms or development zones), and one station or happiness home
    in as many villages as the remaining posts need."""
    rng = ctx.rng
    with_employer = set(
        Organization.objects.filter(
            kind__in=[
                OrganizationKind.TOWNSHIP_GOVERNMENT,
                OrganizationKind.STREET_OFFICE,
                OrganizationKind.VILLAGE_COMMITTEE,
                OrganizationKind.COMMUNITY_COMMITTEE,
            ]
        ).values_list("region_id", flat=True)
    )
    real = [
        r
        for r in ctx.regions.values()
        if r.level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE) and int(r.code[6:9]) < 400 and r.code in with_employer
    ]
    townships = sorted((r for r in real if r.level == RegionLevel.TOWNSHIP), key=lambda r: r.code)
    villages = sorted((r for r in real if r.level == RegionLevel.VILLAGE), key=lambda r: r.code)
    forced = [t for t in townships if t.code in DEMO_TOWNSHIPS]
    others = [t for t in townships if t.code not in DEMO_TOWNSHIPS]
    centers = forced + rng.sample(others, SERVICE_CENTERS - len(forced))
    on = date(2024, 3, 1)
    center_quota = quota_for(FacilityKind.SERVICE_CENTER, centers[0], on)
    total = center_quota * len(centers)
    demo_villages = {code for code in (_last_village(PUNAN), _last_village(GUOKENG)) if code}
    chosen = [v for v in villages if v.code in demo_villages]
    pool = [v for v in villages if v.code not in demo_villages]
    rng.shuffle(pool)
    plan: list[tuple[str, Region]] = [(FacilityKind.SERVICE_CENTER, t) for t in centers]
    for village in chosen + pool:
        village_kind = FacilityKind.HOME_CARE_STATION if int(village.code[9:]) < 200 else FacilityKind.HAPPINESS_HOME
        quota = quota_for(village_kind, village, on)
        if total + quota > TOTAL_POSTS:
            continue
        plan.append((village_kind, village))
        total += quota
        if total == TOTAL_POSTS:
            break
    march = ctx.workdays(date(2024, 3, 1), date(2024, 3, 29))
    opened_by_county = {code: rng.choice(march) for code in sorted({r.code[:6] for _, r in plan})}
    created = []
    for kind, region in sorted(plan, key=lambda item: item[1].code):
        county = ctx.county_of(region.code)
        township = ctx.township_of(region.code)
        if kind == FacilityKind.SERVICE_CENTER:
            name = f"{region.name}养老服务照料中心"
            address = f"漳州市{county.name}{township.name}{rng.choice(STREETS)}{rng.randint(1, 299)}号"
        else:
            suffix = "居家养老服务站" if kind == FacilityKind.HOME_CARE_STATION else "农村幸福院"
            name = f"{region.name}{suffix}"
            address = f"漳州市{county.name}{township.name}{region.name}{rng.randint(1, 199)}号"
        opened = opened_by_county[region.code[:6]]
        with _on(opened):
            created.append(
                services.facility_create(
                    actor=None,
                    kind=kind,
                    name=name,
                    region=region,
                    address=address,
                    opening_hours=_hours(rng, kind),
                    opened_on=opened,
                )
            )
    return created


# ------------------------------------------------------------------------------------------ candidates


@dataclass
class _Pool:
    """Local candidates per township, tried in a fixed random order; extra ones are created when a
    township runs out (within a budget)."""

    ctx: _Context
    budget: int
    by_township: dict[str, list[Person]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    used_households: set[int] = field(default_factory=set)
    ineligible: dict[str, list[tuple[Person, Any]]] = field(default_factory=lambda: defaultdict(list))
    spare: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    created: int = 0

    @classmethod
    def load(cls, ctx: _Context, budget: int, *, exclude: set[int] | None = None) -> _Pool:
        pool = cls(ctx=ctx, budget=budget)
        rows = (
            Person.objects.filter(merged_into__isnull=True, willing_to_work=True, able_to_work=True)
            .exclude(pk__in=exclude or set())
            .select_related("household")
            .order_by("pk")
        )
        grouped: dict[str, list[Person]] = defaultdict(list)
        for person in rows:
            if person.hukou_region_code[:9] == person.region_id[:9]:  # local: lives where registered
                grouped[person.region_id[:9]].append(person)
        for township in sorted(grouped):
            people = grouped[township]
            ctx.rng.shuffle(people)
            pool.by_township[township] = people
        return pool

    def take(
        self,
        township: str,
        days: tuple[date, ...],
        *,
        village: str = "",
        avoid_households: frozenset[int] = frozenset(),
    ) -> Person | None:
        """The next local person eligible on every one of ``days`` (created if none is left)."""
        people = self.by_township.get(township, [])
        index = 0
        while index < len(people):
            person = people[index]
            household = person.household_id
            if (
                person.pk in self.used
                or (village and person.region_id != village)
                or (household is not None and (household in self.used_households or household in avoid_households))
            ):
                index += 1
                continue
            del people[index]  # tried once, whatever the outcome
            if self._eligible(person, days, township):
                self._use(person)
                return person
        while self.budget > 0:
            self.budget -= 1
            made = self._create(village or self._any_village(township), days[0])
            if made is not None and self._eligible(made, days, township):
                self._use(made)
                return made
        return None

    def _use(self, person: Person) -> None:
        self.used.add(person.pk)
        if person.household_id is not None:
            self.used_households.add(person.household_id)

    def _eligible(self, person: Person, days: tuple[date, ...], township: str) -> bool:
        for day in days:
            decision = eligibility.decide(person, on=day)
            if not decision.eligible:
                if day == days[0] and decision.status == "failed":
                    self.ineligible[township].append((person, decision))
                return False
        return True

    def reject_candidate(self, township: str) -> tuple[Person, Any] | None:
        """Someone local whom the eligibility check turns down (for a rejection at qualification)."""
        for index, (person, decision) in enumerate(self.ineligible.get(township, [])):
            if person.pk not in self.used and (
                person.household_id is None or person.household_id not in self.used_households
            ):
                del self.ineligible[township][index]
                self._use(person)
                return person, decision
        return None

    def _any_village(self, township: str) -> str:
        villages = sorted(
            code for code, r in self.ctx.regions.items() if r.level == RegionLevel.VILLAGE and code.startswith(township)
        )
        return self.ctx.rng.choice(villages)

    def _create(self, village_code: str, first_day: date) -> Person | None:
        """A local household on the minimum living allowance whose head is looking for work."""
        rng = self.ctx.rng
        village = self.ctx.regions[village_code]
        urban = village.urban_rural_code.startswith("1")
        male = rng.random() < 0.45
        oldest, youngest = (date(1968, 1, 1), date(1996, 12, 31)) if male else (date(1979, 1, 1), date(1996, 12, 31))
        born = synthetic.birth_date(rng, oldest=oldest, youngest=youngest)
        since = first_day - timedelta(days=rng.randint(200, 450))
        data = people_services.PersonData(
            name=synthetic.person_name(rng),
            id_number=synthetic.id_number(rng, address_code=village.code[:6], born=born, male=male),
            region=village,
            phone=synthetic.phone(rng),
            employment_registration=EmploymentRegistration.UNEMPLOYED if urban else EmploymentRegistration.JOB_SEEKER,
            employment_registered_on=since,
            employment_status=EmploymentStatus.UNEMPLOYED,
            willing_to_work=True,
            able_to_work=True,
        )
        try:
            with transaction.atomic():
                household = people_services.household_create(
                    actor=None, region=village, registration_number=f"H{rng.randint(10**7, 10**8 - 1)}"
                )
                person = people_services.person_create(actor=None, data=data)
                people_services.household_set_member(
                    actor=None, household=household, person=person, relation=Relation.HEAD
                )
                category = Category.URBAN_DIBAO if urban else Category.RURAL_DIBAO
                valid_from = first_day - timedelta(days=rng.randint(60, 400))
                people_services.evidence_add(
                    actor=None,
                    category=category,
                    household=household,
                    valid_from=valid_from,
                    valid_until=valid_from + timedelta(days=730),
                    certificate_number=f"Z{rng.randint(10**9, 10**10 - 1)}",
                    issuing_department=ISSUER[category],
                )
        except DomainError:  # an ID number drawn twice: skip this one
            return None
        self.created += 1
        return Person.objects.select_related("household").get(pk=person.pk)


# ------------------------------------------------------------------------------------------ round 1


@dataclass
class _Plan:
    post: Post
    person: Person
    outcome: str  # hire / reject_review / reject_qualify / withdraw
    reason: str = ""
    application: Application | None = None


def _submit(ctx: _Context, batch: RecruitmentBatch, plan: _Plan, day: date) -> None:
    public = ctx.rng.random() < 0.3
    with _on(day, ctx.at()):
        plan.application = services.application_submit(
            actor=None,
            batch=batch,
            post=plan.post,
            person=plan.person,
            via=SubmittedVia.PUBLIC if public else SubmittedVia.STAFF,
            contact_phone=synthetic.phone(ctx.rng) if public else "",
        )


def _round_one(ctx: _Context, pool: _Pool) -> dict[str, int]:
    rng = ctx.rng
    posts = list(Post.objects.open().select_related("facility").order_by("region_id", "facility_id", "number"))
    xiangcheng = [p for p in posts if p.region_id.startswith(XIANGCHENG[:6])]
    punan_village = _last_village(PUNAN)
    held = {p.pk for p in xiangcheng if p.region_id == punan_village}
    rest = [p for p in xiangcheng if p.pk not in held]
    held |= {p.pk for p in rng.sample(rest, min(len(rest), XIANGCHENG_HELD - len(held)))}
    elsewhere = [p for p in posts if not p.region_id.startswith(XIANGCHENG[:6])]
    held |= {p.pk for p in rng.sample(elsewhere, HOLD_BACK - len(held))}
    by_county: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.pk not in held:
            by_county[post.region_id[:6]].append(post)

    batches: dict[str, RecruitmentBatch] = {}
    for code in sorted(by_county):
        county = ctx.regions[code + "000000"]
        with _on(R1_PUBLISHED, time(10, 0)):
            batches[code] = services.batch_publish(
                actor=None,
                title=f"{county.name}2025年村（居）助老员公益性岗位招聘公告",
                region=county,
                posts=by_county[code],
                allowed_hukou_types=HUKOU_TYPES,
                applications_open=R1_OPEN,
                applications_close=R1_CLOSE,
                description=(
                    "面向岗位所在乡镇（街道）户籍的就业困难人员、建档立卡脱贫人口、城乡低保对象等，"
                    "招聘村（居）助老员。岗位工资按当地月最低工资标准发放，用人单位依法缴纳社会保险，"
                    "岗位补贴期限最长3年。报名者经村（居）推荐、民政审核、就业服务中心资格审查并公示后聘用。"
                ),
            )

    # The employment service center of each county runs its qualification checks on one day.
    qualify_on = {code: ctx.day_in(R1_QUALIFY) for code in sorted(by_county)}
    plans: list[_Plan] = []
    for code in sorted(by_county):
        for post in by_county[code]:
            township = post.region_id[:9]
            person = pool.take(township, (qualify_on[code], R1_START))
            if person is not None:
                plans.append(_Plan(post, person, "hire"))
    # Competition: a few more applicants, turned down along the way.
    hires = [p for p in plans if p.outcome == "hire"]
    for index, plan in enumerate(hires[:: max(1, len(hires) // 24)]):
        township = plan.post.region_id[:9]
        if index % 4 == 3:
            spare = pool.take(township, (qualify_on[township[:6]],))
            if spare is not None:
                plans.append(_Plan(plan.post, spare, "withdraw", WITHDRAWALS[index // 4 % len(WITHDRAWALS)]))
            continue
        found = pool.reject_candidate(township)
        if found is None:
            continue
        person, decision = found
        if index % 4 == 1:
            plans.append(_Plan(plan.post, person, "reject_review", REVIEW_REJECTIONS[index % len(REVIEW_REJECTIONS)]))
        else:
            failed = "；".join(c.reason_zh for c in decision.criteria if c.status != "passed")
            plans.append(_Plan(plan.post, person, "reject_qualify", f"资格审查未通过：{failed}。"))

    window = ctx.workdays(R1_OPEN, R1_CLOSE)
    for plan in plans:
        _submit(ctx, batches[plan.post.region_id[:6]], plan, rng.choice(window))
    rejected = 0
    for plan in sorted(plans, key=lambda p: p.application.applied_at if p.application else timezone.now()):
        application = plan.application
        assert application is not None
        if plan.outcome == "withdraw":
            with _on(ctx.day_in(R1_RECOMMEND), ctx.at()):
                services.application_withdraw(actor=None, application=application, reason=plan.reason)
            continue
        with _on(ctx.day_in(R1_RECOMMEND), ctx.at()):
            services.application_recommend(actor=None, application=application, note="经村（居）委会研究，同意推荐。")
        with _on(ctx.day_in(R1_REVIEW), ctx.at()):
            if plan.outcome == "reject_review":
                services.application_reject(actor=None, application=application, reason=plan.reason)
                rejected += 1
                continue
            services.application_review(actor=None, application=application, note="审核通过。")
        with _on(qualify_on[application.region_id[:6]], ctx.at()):
            if plan.outcome == "reject_qualify":
                services.application_reject(actor=None, application=application, reason=plan.reason)
                rejected += 1
                continue
            services.application_qualify(actor=None, application=application, note="资格审查通过。")

    notices: list[PublicNotice] = []
    for code, batch in batches.items():
        if not Application.objects.filter(batch=batch, status=ApplicationStatus.QUALIFIED).exists():
            continue
        county = ctx.regions[code + "000000"]
        with _on(R1_NOTICE, time(9, 0)):
            notices.append(
                services.notice_open(
                    actor=ctx.hr,
                    batch=batch,
                    region=county,
                    title=f"{county.name}2025年村（居）助老员公益性岗位拟聘用人员公示",
                )
            )
    rejected += _objections(ctx, notices)
    for notice in notices:
        with _on(R1_NOTICE_CLOSE, time(9, 30)):
            services.notice_close(actor=ctx.hr, notice=notice)

    hired = 0
    candidates = Application.objects.filter(batch__in=batches.values(), status=ApplicationStatus.IN_NOTICE).order_by(
        "applied_at", "id"
    )
    for application in candidates:
        with _on(ctx.day_in(R1_HIRE), ctx.at()):
            placement = services.application_hire(
                actor=None, application=application, starts_on=R1_START, note="公示期满无异议，予以聘用。"
            )
        registered = ctx.day_in((R1_START, R1_START + timedelta(days=6)))
        filed = ctx.day_in((R1_START + timedelta(days=7), R1_START + timedelta(days=30)))
        with _on(R1_REGISTERED, ctx.at()):
            services.contract_register(
                actor=None, contract=placement.contract, employment_registered_on=registered, hiring_filed_on=filed
            )
        hired += 1
    for batch in batches.values():
        with _on(R1_REGISTERED, time(16, 0)):
            services.batch_close(actor=None, batch=batch, reason="本批次招聘工作已完成。")
    return {"hired": hired, "rejected": rejected, "notices": len(notices)}


def _objections(ctx: _Context, notices: list[PublicNotice]) -> int:
    """A few objections from the public: the one in 芗城区 upheld (its post returns to round 2)."""
    ordered = sorted(notices, key=lambda n: (not n.region_id.startswith(XIANGCHENG[:6]), n.region_id))
    upheld = 0
    for notice, (text, resolution, uphold) in zip(ordered, OBJECTIONS, strict=False):
        candidates = list(notice.applications.filter(status=ApplicationStatus.IN_NOTICE).order_by("applied_at", "id"))
        if not candidates:
            continue
        application = ctx.rng.choice(candidates)
        with _on(ctx.day_in(R1_OBJECTIONS), ctx.at()):
            objection = services.objection_raise(notice=notice, application=application, text=text)
        with _on(R1_RESOLVE, ctx.at()):
            services.objection_resolve(actor=ctx.hr, objection=objection, uphold=uphold, resolution=resolution)
        upheld += int(uphold)
    return upheld


# ------------------------------------------------------------------------------------------ round 2


def _round_two_window(today: date) -> tuple[date, date]:
    """Applications opened at the start of this month (or last month early in a month) and close at
    the end of the next month: 2026-11-01 to 2026-12-31 when today is 2026-11-28."""
    first = today.replace(day=1)
    if today.day < 15:
        first = (first - timedelta(days=1)).replace(day=1)
    after_next = (first + timedelta(days=62)).replace(day=1)
    return first, after_next - timedelta(days=1)


def _round_two(ctx: _Context, pool: _Pool) -> dict[str, int]:
    rng = ctx.rng
    today = clock.today()
    opens, closes = _round_two_window(today)
    users = {u.username: u for u in User.objects.filter(username__in=["mz_xiangcheng", "jy_xiangcheng", "cun_punan"])}
    civil, employment, village_user = (users.get(n) for n in ("mz_xiangcheng", "jy_xiangcheng", "cun_punan"))
    county = ctx.regions[XIANGCHENG]
    vacant = list(
        Post.objects.vacant().filter(region__code__startswith=XIANGCHENG[:6]).select_related("facility").order_by("pk")
    )
    published = ctx.workdays(opens - timedelta(days=10), opens - timedelta(days=1))[-1]
    with _on(published, time(10, 0)):
        batch = services.batch_publish(
            actor=civil,
            title=f"{county.name}{opens.year}年第二批村（居）助老员公益性岗位招聘公告",
            region=county,
            posts=vacant,
            allowed_hukou_types=HUKOU_TYPES,
            applications_open=opens,
            applications_close=closes,
            description=(
                "面向岗位所在乡镇（街道）户籍的就业困难人员、建档立卡脱贫人口、城乡低保对象等，"
                "招聘村（居）助老员，补充第一批招聘后仍空缺的岗位。报名请到所在村（居）委会，或通过本平台在线报名。"
            ),
        )
    days = ctx.workdays(opens, today - timedelta(days=1)) or [opens]
    quarter = max(1, len(days) // 4)
    helpers = Placement.objects.filter(ended_on__isnull=True, person__household__isnull=False)
    helper_households = frozenset(helpers.values_list("person__household_id", flat=True))

    punan_village = _last_village(PUNAN)
    punan_post = next((p for p in vacant if p.region_id == punan_village), None)
    others = [p for p in vacant if p is not punan_post]
    rng.shuffle(others)
    # Three applications waiting at each step, on different posts where there are enough (several
    # applicants may compete for one post, but only one per post is qualified for the notice).
    steps = ["qualified"] * 3 + ["reviewed"] * 3 + ["recommended"] * 3 + ["submitted"] * 3
    wanted: list[tuple[Post, str, str]] = []  # post, target status, village the applicant must live in
    if punan_post is not None:
        wanted += [(punan_post, "submitted", punan_village or ""), (punan_post, "submitted", "")]
    qualified: set[int] = set()
    for index, status in enumerate(steps if others else []):
        post = others[index % len(others)]
        if status == "qualified" and post.pk in qualified:
            status = "reviewed"
        qualified |= {post.pk} if status == "qualified" else set()
        wanted.append((post, status, ""))

    count = 0
    for post, status, village in wanted:
        township = post.region_id[:9]
        person = pool.take(township, (opens, today), village=village, avoid_households=helper_households)
        if person is None:
            continue
        staff = village_user if village and village_user is not None else None
        submitted_on = rng.choice(days[: max(1, 2 * quarter)])
        with _on(submitted_on, ctx.at()):
            application = services.application_submit(
                actor=staff,
                batch=batch,
                post=post,
                person=person,
                via=SubmittedVia.STAFF if staff else SubmittedVia.PUBLIC,
                contact_phone="" if staff else synthetic.phone(rng),
            )
        count += 1
        if status == "submitted":
            continue
        with _on(rng.choice(days[2 * quarter : 3 * quarter] or days[-1:]), ctx.at()):
            services.application_recommend(actor=None, application=application, note="经村（居）委会研究，同意推荐。")
        if status == "recommended":
            continue
        with _on(rng.choice(days[3 * quarter : -1] or days[-1:]), ctx.at()):
            services.application_review(actor=civil, application=application, note="材料齐全，审核通过。")
        if status == "reviewed":
            continue
        with _on(days[-1], ctx.at()):
            services.application_qualify(actor=employment, application=application, note="资格审查通过。")
    return {"in_progress": count}


# ------------------------------------------------------------------------------------------ entry point


def _summary(prefix: str) -> str:
    open_posts = Post.objects.open().count()
    hired = Placement.objects.filter(ended_on__isnull=True).count()
    in_progress = Application.objects.filter(status__in=OPEN_STATUSES).count()
    return (
        f"posts: {prefix}{Facility.objects.count()} facilities, {open_posts} posts, {hired} hired, "
        f"{in_progress} applications in progress"
    )


def load(command: Any, options: dict[str, Any]) -> str:
    """Facilities, posts and two recruitment rounds; does nothing if facilities exist already."""
    if Facility.objects.exists():
        return _summary("already present: ")
    today = clock.today()
    ctx = _Context(
        rng=random.Random(TOTAL_POSTS),  # noqa: S311 - demo data, not security
        calendar=_calendar(range(2024, today.year + 1)),
        people_target=int(options.get("people", 3000)),
        regions={r.code: r for r in Region.objects.filter(code__startswith="3506")},
        hr=User.objects.filter(username="rs_city").first(),
    )
    with transaction.atomic():
        _facilities(ctx)
        if Post.objects.open().count() != TOTAL_POSTS:
            raise RuntimeError(f"The demo facilities open {Post.objects.open().count()} posts, not {TOTAL_POSTS}.")
        pool = _Pool.load(ctx, budget=ctx.people_target // 10)
        one = _round_one(ctx, pool)
        helpers = set(Placement.objects.filter(ended_on__isnull=True).values_list("person_id", flat=True))
        pool_two = _Pool.load(ctx, budget=40, exclude=pool.used | helpers)
        two = _round_two(ctx, pool_two)
    return (
        _summary("")
        + f" (round 1: {one['hired']} hired, {one['rejected']} rejected, {one['notices']} notices archived;"
        + f" round 2 in 芗城区: {two['in_progress']} applications; {pool.created + pool_two.created} candidates added)"
    )
