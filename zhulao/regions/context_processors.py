"""The region in focus and its breadcrumb, for the bar under the navigation."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from zhulao.core.actions import Action
from zhulao.regions import selectors

FOCUS_SESSION_KEY = "focus_region"


def focus(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    prefixes = user.scope_prefixes(Action.REGION_VIEW)
    if not prefixes:
        return {}
    try:
        region = selectors.pick_region(user, Action.REGION_VIEW, focus=request.session.get(FOCUS_SESSION_KEY, ""))
    except Http404:
        return {}
    can_switch = len(prefixes) > 1 or len(prefixes[0]) < 12
    return {
        "focus_region": region,
        "focus_breadcrumb": selectors.region_breadcrumb(region),
        "focus_can_switch": can_switch,
    }
