"""Browse the region tree within one's scope, and choose the region in focus (region switcher)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhulao.core.actions import Action
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.querysets import require_action
from zhulao.regions import selectors
from zhulao.regions.context_processors import FOCUS_SESSION_KEY
from zhulao.regions.models import Organization, Region


def browse(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.REGION_VIEW)
    code = request.GET.get("code")
    if code:
        region = Region.objects.get_for_user(request.user, Action.REGION_VIEW, code=code)
        context = {
            "region": region,
            "breadcrumb": selectors.region_breadcrumb(region),
            "children": selectors.region_children(user=request.user, region=region, action=Action.REGION_VIEW),
            "organizations": Organization.objects.visible_to(request.user, Action.ORGANIZATION_VIEW).filter(
                region=region
            ),
        }
    else:
        context = {"roots": selectors.scope_roots(user=request.user, action=Action.REGION_VIEW)}
    return render(request, "regions/browse.html", context)


def detail(request: AuthedHttpRequest, code: str) -> HttpResponse:
    region = Region.objects.get_for_user(request.user, Action.REGION_VIEW, code=code)
    return redirect(f"{reverse('regions:browse')}?code={region.code}")


@require_POST
def set_focus(request: AuthedHttpRequest) -> HttpResponse:
    """Put a region in focus: lists and dashboards start from it. Must be inside the user's scope."""
    region = Region.objects.get_for_user(request.user, Action.REGION_VIEW, code=request.POST.get("code", ""))
    request.session[FOCUS_SESSION_KEY] = region.code
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("core:workbench")
    return redirect(next_url)


def cascade_options(request: AuthedHttpRequest) -> HttpResponse:
    """The cascader re-rendered for the current choice (htmx swaps the whole group of selects)."""
    action = request.GET.get("action", Action.REGION_VIEW)
    require_action(request.user, action)
    context = {
        "levels": selectors.cascade(user=request.user, action=action, selected=selectors.cascade_choice(request.GET)),
        "action": action,
    }
    return render(request, "regions/_cascader.html", context)
