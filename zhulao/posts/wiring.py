"""How the posts app plugs into the others at start-up: placements feed the eligibility engine,
to-dos feed the workbench, and the demo step."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zhulao.rules.eligibility import PastPlacement


def placements_of(person: Any) -> Iterable[PastPlacement]:
    from zhulao.posts.models import Placement

    for placement in Placement.objects.filter(person=person):
        yield PastPlacement(
            start=placement.started_on, end=placement.ended_on, first_approval=placement.first_approved_on
        )


def connect() -> None:
    from datetime import timedelta

    from zhulao.core import demo, periodic
    from zhulao.core import selectors as core_selectors
    from zhulao.people import eligibility
    from zhulao.policy import previews
    from zhulao.posts import demo as posts_demo
    from zhulao.posts import funding, selectors

    if placements_of not in eligibility.PLACEMENT_PROVIDERS:
        eligibility.PLACEMENT_PROVIDERS.append(placements_of)
    core_selectors.register_todos(selectors.todo_groups)
    core_selectors.register_todos(funding.todo_groups)
    previews.register("facility.post_quota", selectors.quota_change_preview)
    periodic.register(
        "close_notices", every=timedelta(hours=1), purpose="close and archive the public notices whose period ended"
    )
    demo.register(posts_demo.load)
