"""The region in focus and its breadcrumb, for the bar under the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhulao.core.actions import Action
from zhulao.regions import selectors
from zhulao.regions.models import Region

FOCUS_SESSION_KEY = "focus_region"


def focus(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    prefixes = user.scope_prefixes(Action.REGION_VIEW)
    if not prefixes:
        return {}
    code = request.session.get(FOCUS_SESSION_KEY, "")
    if not any(code.startswith(p) for p in prefixes) or not code:
        code = prefixes[0].ljust(12, "0")
    region = Region.objects.filter(code=code).first()
    if region is None:
        return {}
    can_switch = len(prefixes) > 1 or len(prefixes[0]) < 12
    return {
        "focus_region": region,
        "focus_breadcrumb": selectors.region_breadcrumb(region),
        "focus_can_switch": can_switch,
    }
