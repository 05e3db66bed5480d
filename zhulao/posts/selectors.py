"""Reads of facilities, posts and recruitment, scoped per action; workbench to-dos per role."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.querysets import require_action
from zhulao.core.selectors import TodoGroup
from zhulao.posts.choices import ApplicationStatus, BatchStatus, NoticeStatus, ObjectionStatus, Standing
from zhulao.posts.models import (
    Application,
    ApplicationStep,
    Contract,
    Facility,
    Objection,
    Placement,
    Post,
    PublicNotice,
    RecruitmentBatch,
)


def facility_list(*, user: Any, region: str = "", kind: str = "") -> QuerySet[Facility]:
    rows = Facility.objects.visible_to(user, Action.FACILITY_VIEW).select_related("region", "operator")
    if region:
        rows = rows.filter(region__code__startswith=region)
    if kind:
        rows = rows.filter(kind=kind)
    active = Placement.objects.filter(post__facility=OuterRef("pk"), ended_on__isnull=True)
    return rows.annotate(
        open_posts=Count("posts", filter=Q(posts__closed_on__isnull=True), distinct=True),
        filled=Exists(active),
    ).order_by("region_id", "kind", "name")


def get_facility_for_user(user: Any, public_id: Any, action: str = Action.FACILITY_VIEW) -> Facility:
    return Facility.objects.select_related("region", "operator").get_for_user(user, action, public_id=public_id)


def facility_posts(facility: Facility) -> list[Post]:
    active = Placement.objects.filter(ended_on__isnull=True).select_related("person")
    return list(
        facility.posts.select_related("employer").prefetch_related(
            Prefetch("placements", queryset=active, to_attr="active")
        )
    )


def batch_list(*, user: Any) -> QuerySet[RecruitmentBatch]:
    return (
        RecruitmentBatch.objects.visible_to(user, Action.APPLICATION_VIEW)
        .select_related("region")
        .annotate(post_count=Count("posts", distinct=True), application_count=Count("applications", distinct=True))
        .order_by("-applications_open", "-id")
    )


def get_batch_for_user(user: Any, public_id: Any, action: str = Action.APPLICATION_VIEW) -> RecruitmentBatch:
    """A batch is visible to users whose scope reaches into it or contains it (a village sees its county's batch)."""
    prefixes = require_action(user, action)
    batch = RecruitmentBatch.objects.select_related("region").filter(public_id=public_id).first()
    if batch is None or not any(batch.region_id.startswith(p) or p.startswith(batch.region.prefix) for p in prefixes):
        raise Http404
    return batch


def batches_open_to(*, user: Any) -> QuerySet[RecruitmentBatch]:
    """Open batches whose region contains some of the user's scope for submitting applications."""
    today = clock.today()
    prefixes = user.scope_prefixes(Action.APPLICATION_SUBMIT)
    ids = [
        b.pk
        for b in RecruitmentBatch.objects.filter(
            status=BatchStatus.OPEN, applications_open__lte=today, applications_close__gte=today
        ).select_related("region")
        if any(p.startswith(b.region.prefix) or b.region_id.startswith(p) for p in prefixes)
    ]
    return RecruitmentBatch.objects.filter(pk__in=ids).order_by("applications_close")


def batch_posts_for(batch: RecruitmentBatch, *, user: Any, action: str) -> QuerySet[Post]:
    """The batch's posts in the user's scope for ``action``, plus the service-center posts of the township
    above a village user (a village enters and recommends its residents for the township's center)."""
    prefixes = user.scope_prefixes(action)
    if not prefixes:
        return Post.objects.none()
    q = Q()
    for prefix in prefixes:
        q |= Q(region__code__startswith=prefix)
        if len(prefix) == 12:
            q |= Q(region__code=prefix[:9].ljust(12, "0"))
    return Post.objects.filter(q, batches=batch).select_related("facility", "region").order_by("region_id", "number")


# ------------------------------------------------------------------------------------ priority order

# The priority group the eligibility engine recorded at qualification (``eligibility.priority.group``), or none
# yet; an unknown one sorts after every known group (``standing._NO_PRIORITY`` is 99: below it).
_UNKNOWN_GROUP = 1000


def by_priority(rows: QuerySet[Application]) -> QuerySet[Application]:
    """Rows in placement order, the one ordering of the staff lists (applications, a notice's candidates, the
    hire to-dos): the engine's priority group, then the application time (``priority_sort_key``); rows whose
    priority is not known yet (before qualification) after the known ones, by time.

    Annotates ``priority_known``, ``priority_order`` and ``priority_rank``: the row's place among this read's rows
    for the same post and batch whose priority is known (1 = first in line), in the same order; no query per row."""
    order = [F("priority_order").asc(), F("applied_at").asc(), F("id").asc()]
    return (
        rows.annotate(priority_group=Cast(KT("eligibility__priority__group"), IntegerField()))
        .annotate(
            priority_known=ExpressionWrapper(Q(priority_group__isnull=False), output_field=BooleanField()),
            priority_order=Coalesce("priority_group", Value(_UNKNOWN_GROUP)),
        )
        .annotate(
            priority_rank=Window(
                RowNumber(), partition_by=[F("post_id"), F("batch_id"), F("priority_known")], order_by=order
            )
        )
        .order_by(*order)
    )


def application_list(*, user: Any, status: str = "", batch: RecruitmentBatch | None = None) -> QuerySet[Application]:
    rows = Application.objects.visible_to(user, Action.APPLICATION_VIEW).select_related(
        "person__region", "post__facility", "batch"
    )
    if status:
        rows = rows.filter(status=status)
    if batch is not None:
        rows = rows.filter(batch=batch)
    return by_priority(rows)


def get_application_for_user(user: Any, public_id: Any, action: str = Action.APPLICATION_VIEW) -> Application:
    return Application.objects.select_related(
        "person__region", "person__household", "post__facility", "batch", "notice"
    ).get_for_user(user, action, public_id=public_id)


def application_timeline(application: Application) -> QuerySet[Any]:
    return application.steps.select_related("actor").order_by("at", "id")


def notice_list(*, user: Any) -> QuerySet[PublicNotice]:
    return (
        PublicNotice.objects.visible_to(user, Action.APPLICATION_VIEW)
        .select_related("batch", "region")
        .annotate(
            candidates=Count("applications", distinct=True),
            open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN), distinct=True),
        )
        .order_by("-opens_on", "-id")
    )


def notice_batches(*, user: Any) -> QuerySet[RecruitmentBatch]:
    """The batches with a qualified application the user may put in a public notice (the form's choices)."""
    qualified = Application.objects.visible_to(user, Action.NOTICE_MANAGE).filter(status=ApplicationStatus.QUALIFIED)
    return RecruitmentBatch.objects.filter(pk__in=qualified.values("batch")).order_by("-applications_open", "-id")


def get_notice_for_user(user: Any, public_id: Any, action: str = Action.APPLICATION_VIEW) -> PublicNotice:
    rows = PublicNotice.objects.select_related("batch", "region", "period_parameter")
    return rows.get_for_user(user, action, public_id=public_id)


def get_placement_for_user(user: Any, public_id: Any, action: str = Action.APPLICATION_VIEW) -> Placement:
    return Placement.objects.select_related(
        "person", "post__facility", "post__employer", "application", "contract__employer"
    ).get_for_user(user, action, public_id=public_id)


# ------------------------------------------------------------------------------------------- public


def public_batches() -> QuerySet[RecruitmentBatch]:
    today = clock.today()
    return (
        RecruitmentBatch.objects.filter(status=BatchStatus.OPEN, applications_close__gte=today)
        .select_related("region")
        .order_by("applications_close")
    )


def public_notices(*, archived: bool) -> QuerySet[PublicNotice]:
    status = NoticeStatus.CLOSED if archived else NoticeStatus.OPEN
    rows = PublicNotice.objects.filter(status=status).select_related("region", "batch", "period_parameter")
    if not archived:
        rows = rows.filter(opens_on__lte=clock.today())
    return rows.order_by("-opens_on", "-id")


def notice_candidates(notice: PublicNotice, *, standing_only: bool = False) -> QuerySet[Application]:
    """The notice's candidates; ``standing_only`` leaves out those rejected (e.g. an upheld objection) or
    withdrawn since: what the public page, the PDF and the archive show.

    The staff read (all candidates) is in priority order with the rank (``by_priority``). The public read keeps
    the order the archive was always written in (application time): the snapshot and its hash do not change, and
    the public page and PDF list the 拟聘 first, then the 候补 by their reserve order, as the standing code decided."""
    rows = notice.applications.select_related("person__region", "post__facility")
    if standing_only:
        return rows.filter(status__in=[ApplicationStatus.IN_NOTICE, ApplicationStatus.HIRED]).order_by(
            "applied_at", "id"
        )
    return by_priority(rows)


# ------------------------------------------------------------------------------------- to-dos


def _group(user: Any, kind: str, label: Any, url: str, rows: QuerySet[Any], item: Any) -> TodoGroup:
    return TodoGroup(kind=kind, label=label, url=url, count=rows.count(), items=[item(r) for r in rows[:5]])


def _application_item(a: Application) -> dict[str, Any]:
    return {"label": f"{a.person.name} · {a.post}", "url": a.get_absolute_url(), "since": a.applied_at}


def _ranked_item(a: Application) -> dict[str, Any]:
    """A to-do row with the candidate's priority and place in line (``by_priority``) as its note."""
    return {**_application_item(a), "note": priority_rank_label(a)}


def priority_rank_label(a: Application) -> str:
    """The priority and the place in line in words, e.g. "第1优先组：… · 本岗位第 3 位"; or that it is not known yet.
    The group's words are the engine's (recorded at qualification); the rank is ``by_priority``'s annotation."""
    priority = (a.eligibility or {}).get("priority") or {}
    rank = getattr(a, "priority_rank", None)
    if not isinstance(priority.get("group"), int) or rank is None:
        return str(_("Priority not known yet (decided at qualification)"))
    words = priority.get("label_zh" if (translation.get_language() or "zh").startswith("zh") else "label_en") or ""
    return f"{words} · {_('no. %(rank)s for this post') % {'rank': rank}}"


def _ahead_of_reserve() -> QuerySet[Application]:
    """For a reserve (the outer row): the post's candidates still on a notice who stand ahead of them."""
    earlier = Q(standing=Standing.RESERVE, reserve_order__lt=OuterRef("reserve_order"))
    return Application.objects.filter(post=OuterRef("post"), status=ApplicationStatus.IN_NOTICE).filter(
        Q(standing__in=[Standing.PROPOSED, ""]) | earlier
    )


def todo_groups(user: Any) -> list[TodoGroup]:
    """What waits for this user in recruitment: one group per step the user's roles may take."""
    groups = []
    steps = [
        (Action.APPLICATION_RECOMMEND, ApplicationStatus.SUBMITTED, _("Applications to recommend")),
        (Action.APPLICATION_REVIEW, ApplicationStatus.RECOMMENDED, _("Applications to review")),
        (Action.APPLICATION_QUALIFY, ApplicationStatus.REVIEWED, _("Applications to qualify")),
        (Action.NOTICE_MANAGE, ApplicationStatus.QUALIFIED, _("Qualified candidates waiting for a public notice")),
    ]
    base = reverse("posts:application_list")
    for action, status, label in steps:
        if user.can(action):
            # one step row that is both the user's and a decision (S20): two lookups in one exclude() would
            # not have to match the same row, and would hide an application the user merely entered
            decided = ApplicationStep.objects.filter(
                application=OuterRef("pk"), actor=user, to_status__in=["recommended", "reviewed", "qualified", "hired"]
            )
            rows = (
                Application.objects.visible_to(user, action)
                .filter(status=status)
                .exclude(Exists(decided))
                .select_related("person", "post__facility")
                .order_by("applied_at")
            )
            groups.append(
                _group(user, f"application_{status}", label, f"{base}?status={status}", rows, _application_item)
            )
    if user.can(Action.NOTICE_MANAGE):
        today = clock.today()
        notices = PublicNotice.objects.visible_to(user, Action.NOTICE_MANAGE).filter(
            status=NoticeStatus.OPEN, closes_on__lt=today
        )
        groups.append(
            _group(
                user,
                "notice_close",
                _("Public notices whose period has ended: close and archive"),
                reverse("posts:notice_list"),
                notices.order_by("closes_on"),
                lambda n: {"label": n.title, "url": n.get_absolute_url(), "since": n.closes_on},
            )
        )
        objections = Objection.objects.visible_to(user, Action.NOTICE_MANAGE).filter(status=ObjectionStatus.OPEN)
        groups.append(
            _group(
                user,
                "objections",
                _("Objections to resolve"),
                reverse("posts:notice_list"),
                objections.select_related("notice").order_by("created_at"),
                lambda o: {"label": o.notice.title, "url": o.notice.get_absolute_url(), "since": o.created_at},
            )
        )
        hires = (
            Application.objects.visible_to(user, Action.HIRE)
            .filter(status=ApplicationStatus.IN_NOTICE, notice__status=NoticeStatus.CLOSED)
            .exclude(objections__status=ObjectionStatus.OPEN)
            # a runner-up whose post has been filled is not ready to hire
            .exclude(Exists(Placement.objects.filter(post=OuterRef("post"), ended_on__isnull=True)))
            # a reserve (候补) while a candidate ahead of them for the post still stands is not ready either
            .exclude(Q(standing=Standing.RESERVE) & Exists(_ahead_of_reserve()))
        )
        groups.append(
            _group(
                user,
                "hire",
                _("Candidates ready to hire"),
                f"{base}?status=in_notice",
                by_priority(hires.select_related("person", "post__facility")),
                _ranked_item,
            )
        )
    if user.can(Action.CONTRACT_REGISTER):
        contracts = (
            Contract.objects.visible_to(user, Action.CONTRACT_REGISTER)
            .filter(Q(employment_registered_on__isnull=True) | Q(hiring_filed_on__isnull=True))
            .select_related("placement__person")
        )
        groups.append(
            _group(
                user,
                "contracts",
                _("Contracts to register (employment registration, hiring filing)"),
                f"{base}?status=hired",
                contracts.order_by("starts_on"),
                lambda c: {"label": str(c.placement.person), "url": c.get_absolute_url(), "since": c.starts_on},
            )
        )
    return groups


# ------------------------------------------------------------------------------ quota preview


def quota_change_preview(*, value: Any, region_prefix: str, effective_from: Any) -> Any:
    """The posts a new ``facility.post_quota`` value would open and close at each facility it reaches, on its
    first day: computed by ``plan_posts``, the code ``posts_sync`` runs; reads only (a fixed number of queries).

    A value that fails its schema is refused before (``policy.keys``); the caller checks the editor's scope."""
    from zhulao.policy import previews
    from zhulao.policy import selectors as policy_selectors
    from zhulao.posts.services.facilities import plan_posts, quota_in_force

    facilities = list(
        Facility.objects.filter(region__code__startswith=region_prefix)
        .select_related("region")
        .prefetch_related("posts__placements")  # plan_posts reads the open posts and who holds them
        .order_by("region_id", "kind", "name")
    )
    applies = policy_selectors.resolve_with_new_row(
        "facility.post_quota",
        codes=sorted({f.region_id for f in facilities}),
        on=effective_from,
        new_prefix=region_prefix,
        new_value=value,
    )
    rows: list[previews.PreviewRow] = []
    unchanged = 0
    for facility in facilities:
        would = applies[facility.region_id]
        if not would.from_new_row:
            continue
        plan = plan_posts(facility, quota_in_force(facility, would.after))
        if not plan.changes:
            unchanged += 1
            continue
        name = facility.name
        rows.append(
            previews.PreviewRow(
                subject=f"{name} ({facility.region.name})",
                url=facility.get_absolute_url(),
                before=len(plan.current),
                after=len(plan.current) + len(plan.open_numbers) - len(plan.close),
                opens=tuple(f"{name} · {_('post')} {n}" for n in plan.open_numbers),
                closes=tuple(str(p) for p in plan.close),
                kept=tuple(str(p) for p in plan.kept),
            )
        )
    return previews.Preview(key="facility.post_quota", rows=tuple(rows), unchanged=unchanged)
