"""Visit coverage per region (who was not visited this period, and why) and the township's needs."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.querysets import require_action
from zhulao.eldercare import exports, forms, selectors, services
from zhulao.eldercare.choices import NeedStatus
from zhulao.eldercare.models import NeedReport
from zhulao.eldercare.views._common import _percent, region_in_scope
from zhulao.regions import selectors as region_selectors
from zhulao.regions.models import Region

PAGE_SIZE = 50  # elders not visited listed per page (a city has thousands; the export has them all)

# ------------------------------------------------------------------------------------ coverage


def _coverage(request: AuthedHttpRequest) -> tuple[Region, date, selectors.CoverageRow, list[selectors.CoverageRow]]:
    region = region_in_scope(request, Action.ARCHIVE_VIEW)
    today = clock.today()
    total, children = selectors.coverage(user=request.user, region=region, on=today)
    return region, today, total, children


def coverage(request: AuthedHttpRequest) -> HttpResponse:
    """走访覆盖: of the elders with a visit rule, who had this period's visits, per child region; who not, and why
    (a page of them at a time); the month's emergency follow-ups made in time."""
    region, today, total, children = _coverage(request)
    page = Paginator(total.not_visited, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "region": region,
        "today": today,
        "total": total,
        "total_percent": _percent(total.share),
        "followup_percent": _percent(total.followup_share),
        "children": [
            {"row": r, "percent": _percent(r.share), "followup_percent": _percent(r.followup_share)} for r in children
        ],
        "page": page,
        "missed": selectors.missed_details(total, list(page)),
        "query": query.urlencode(),
        "cascade": region_selectors.cascade(
            user=request.user, action=Action.ARCHIVE_VIEW, selected=region.prefix if region.level >= 3 else ""
        ),
    }
    return render(request, "eldercare/coverage.html", context)


def coverage_export(request: AuthedHttpRequest) -> HttpResponse:
    """The whole not-visited list of the chosen region as Excel (masked, audited)."""
    region, today, total, _children = _coverage(request)
    missed = selectors.missed_details(total, total.not_visited)
    return exports.not_visited_workbook_response(actor=request.user, region=region, on=today, missed=missed)


# ------------------------------------------------------------------------------------ needs


def need_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.NEED_HANDLE)
    status = request.GET.get("status", NeedStatus.OPEN)
    context = {
        "needs": selectors.need_list(user=request.user, status=status if status in NeedStatus.values else "")[:200],
        "status": status,
        "form": forms.NeedHandleForm(),
    }
    return render(request, "eldercare/need_list.html", context)


@require_POST
def need_handle(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    need = NeedReport.objects.get_for_user(request.user, Action.NEED_HANDLE, public_id=public_id)
    form = forms.NeedHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how the need was handled."))
        return redirect("eldercare:need_list")
    try:
        services.need_handle(actor=request.user, need=need, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The need is marked handled."))
    return redirect("eldercare:need_list")
