"""拟聘 and 候补: a post has one place, so among its qualified candidates one is proposed for hire and the
others are reserves in priority order (the eligibility engine's ``priority_sort_key``: priority group, then
application time). Standings are decided at qualification, re-decided while nobody is on a notice yet, and
frozen once a candidate is on a public notice: whoever the public saw listed ranks ahead of anyone qualified
later. A reserve is hired only when every candidate ahead of them for the post has dropped out
(withdrawn, or rejected e.g. at hire or after an upheld objection)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.posts.choices import ApplicationStatus, Standing
from zhulao.posts.models import Application, Placement, Post
from zhulao.rules.eligibility import priority_sort_key

# A decision recorded before priorities were stored sorts after every priority group.
_NO_PRIORITY = 99


def places(post: Post) -> int:
    """A post holds one helper (one active placement per post, enforced by the database): one place while
    vacant, none while filled."""
    return 0 if Placement.objects.filter(post=post, ended_on__isnull=True).exists() else 1


def priority_group(application: Application) -> int:
    group = (application.eligibility or {}).get("priority", {}).get("group")
    return group if isinstance(group, int) and not isinstance(group, bool) else _NO_PRIORITY


def order_key(application: Application) -> tuple[int, Any, int]:
    """Who comes first for the same post: the engine's priority, then the application time (then the id)."""
    return (*priority_sort_key(priority_group(application), application.applied_at), application.pk)


def _open_for(post: Post) -> QuerySet[Application]:
    return Application.objects.select_for_update().filter(post=post)


def _set(actor: Any, application: Application, standing: str, reserve_order: int | None) -> None:
    if (application.standing, application.reserve_order) == (standing, reserve_order):
        return
    before = [application.standing, application.reserve_order]
    application.standing = standing
    application.reserve_order = reserve_order
    application.save(update_fields=["standing", "reserve_order", "updated_at"])
    record_event(
        actor=actor,
        action="application.standing",
        obj=application,
        region_code=application.region_id,
        changes={"standing": [before[0], standing], "reserve_order": [before[1], reserve_order]},
    )


def rank_post(*, actor: Any, post: Post) -> list[Application]:
    """Decide the standing of the post's qualified candidates not yet on a notice; returns them in order.

    Candidates already on a notice keep what the notice showed and rank ahead. The first qualified candidate
    in priority order takes the post's free place, if one is left; every other one is a reserve, numbered
    after the reserves already on a notice. Call inside the caller's transaction (rows are locked)."""
    rows = list(_open_for(post).filter(status__in=[ApplicationStatus.QUALIFIED, ApplicationStatus.IN_NOTICE]))
    noticed = [a for a in rows if a.status == ApplicationStatus.IN_NOTICE]
    waiting = sorted((a for a in rows if a.status == ApplicationStatus.QUALIFIED), key=order_key)
    free = max(0, places(post) - len(noticed))
    next_reserve = max((a.reserve_order or 0 for a in noticed), default=0)
    for index, application in enumerate(waiting):
        if index < free:
            _set(actor, application, Standing.PROPOSED, None)
        else:
            next_reserve += 1
            _set(actor, application, Standing.RESERVE, next_reserve)
    return waiting


def ahead_of(application: Application) -> QuerySet[Application]:
    """The post's candidates still on a notice who stand ahead of ``application``."""
    others = Application.objects.filter(post_id=application.post_id, status=ApplicationStatus.IN_NOTICE).exclude(
        pk=application.pk
    )
    if application.standing != Standing.RESERVE:
        return others.none()
    proposed = others.filter(standing__in=[Standing.PROPOSED, ""])  # "": listed before standings existed
    earlier = others.filter(standing=Standing.RESERVE, reserve_order__lt=application.reserve_order or 0)
    return proposed | earlier


def ensure_may_be_hired(application: Application) -> None:
    """A reserve is hired only after every candidate ahead of them for the post dropped out."""
    if application.standing != Standing.RESERVE:
        return
    ahead = list(ahead_of(application).select_related("person"))
    if ahead:
        raise DomainError(
            "reserve_not_reached",
            _(
                "This candidate is reserve no. %(order)s for the post: %(count)s candidate(s) ahead must withdraw "
                "or be rejected first."
            )
            % {"order": application.reserve_order, "count": len(ahead)},
        )


def ensure_places_respected(applications: list[Application]) -> None:
    """The last guard at notice time: never more candidates proposed for a post than it has places."""
    by_post: dict[int, int] = {}
    for application in applications:
        if application.standing != Standing.RESERVE:
            by_post[application.post_id] = by_post.get(application.post_id, 0) + 1
    for post_id, proposed in by_post.items():
        on_notice = Application.objects.filter(
            post_id=post_id, status=ApplicationStatus.IN_NOTICE, standing=Standing.PROPOSED
        ).count()
        post = Post.objects.get(pk=post_id)
        if proposed + on_notice > places(post):
            raise DomainError(
                "too_many_proposed",
                _("%(post)s has %(places)s place(s); more candidates cannot be proposed for hire.")
                % {"post": post, "places": places(post)},
            )
