"""The elder-care indicators page (S19): the seed's figures for a region and period, from the records."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.http import AuthedHttpRequest
from zhulao.eldercare import forms
from zhulao.eldercare.selectors import indicators as selectors
from zhulao.eldercare.views._common import _percent, region_in_scope
from zhulao.regions import selectors as region_selectors


def indicators(request: AuthedHttpRequest) -> HttpResponse:
    """助老服务指标: archives by group, pairing, visits and services, needs, emergencies, confirmations,
    activities and facility operation of the chosen region, this year so far unless a period is chosen."""
    region = region_in_scope(request, Action.ARCHIVE_VIEW)
    form = forms.OperationPeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = clock.today()
    start, end = data.get("start") or date(today.year, 1, 1), data.get("end") or today
    if start > end:
        start = end
    figures = selectors.indicators(user=request.user, region=region, start=start, end=end, pivot=data.get("pivot"))
    if not form.is_bound or form.is_valid():
        form = forms.OperationPeriodForm(initial={"start": start, "end": end, "pivot": figures.pivot})
    context = {
        "region": region,
        "form": form,
        "f": figures,
        "paired_percent": _percent(figures.paired_share),
        "confirmed_percent": _percent(figures.confirmations["share"]),
        "operating_percent": _percent(figures.operation.operating_rate if figures.operation else None),
        "before_percent": _percent(figures.before.operating_rate if figures.before else None),
        "after_percent": _percent(figures.after.operating_rate if figures.after else None),
        "cascade": region_selectors.cascade(
            user=request.user, action=Action.ARCHIVE_VIEW, selected=region.prefix if region.level >= 3 else ""
        ),
    }
    return render(request, "eldercare/indicators.html", context)
