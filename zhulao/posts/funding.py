"""Workbench to-dos about money: Finance's funding picture from real records (placements starting and ending
this month, vacant posts, pay values not yet confirmed) and the system administrator's missing
minimum-wage tiers of counties that have posts. Counts and places only: no person is named."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.querysets import prefixes_q
from zhulao.core.selectors import TodoGroup
from zhulao.policy import selectors as policy_selectors
from zhulao.policy.models import PolicyParameter
from zhulao.posts.models import Placement, Post
from zhulao.regions.models import Region

COUNTY = 6
PAY_CONFIRMED = "CONFIRMED"


def _month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def _counties_of(prefixes: list[str]) -> list[Region]:
    """The counties the prefixes cover or lie in (a city-wide Finance sees each of its counties)."""
    q = Q(level=3) & (prefixes_q("code", prefixes) | Q(code__in=[p[:COUNTY].ljust(12, "0") for p in prefixes]))
    return list(Region.objects.filter(q).order_by("code"))


def finance_groups(user: Any) -> list[TodoGroup]:
    prefixes = user.scope_prefixes(Action.FUNDING_VIEW)
    if not prefixes:
        return []
    today = clock.today()
    first, following = _month(today)
    in_scope = prefixes_q("region__code", prefixes)
    figures = Placement.objects.filter(in_scope).aggregate(
        started=Count("pk", filter=Q(started_on__gte=first, started_on__lt=following)),
        ending=Count("pk", filter=Q(ended_on__isnull=True, planned_end__gte=first, planned_end__lt=following)),
        ended=Count("pk", filter=Q(ended_on__gte=first, ended_on__lt=following)),
    )
    vacant = Post.objects.filter(in_scope).vacant().count()
    groups = []
    month = f"{first:%Y-%m}"
    picture = [
        (
            figures["started"],
            ngettext(
                "%(n)d placement started in %(month)s: its subsidy starts this month",
                "%(n)d placements started in %(month)s: their subsidy starts this month",
                figures["started"],
            ),
        ),
        (
            figures["ending"],
            ngettext(
                "%(n)d placement reaches its planned end in %(month)s: the last month of subsidy",
                "%(n)d placements reach their planned end in %(month)s: the last month of subsidy",
                figures["ending"],
            ),
        ),
        (
            figures["ended"],
            ngettext(
                "%(n)d placement ended early in %(month)s: stop its subsidy",
                "%(n)d placements ended early in %(month)s: stop their subsidy",
                figures["ended"],
            ),
        ),
        (
            vacant,
            ngettext(
                "%(n)d open post is vacant: no subsidy is due for it",
                "%(n)d open posts are vacant: no subsidy is due for them",
                vacant,
            ),
        ),
    ]
    items = [{"label": text % {"n": n, "month": month}, "url": ""} for n, text in picture if n]
    if items:
        groups.append(
            TodoGroup(
                kind="funding_month",
                label=gettext_lazy("This month's funding picture"),
                url="",
                count=len(items),
                items=items,
            )
        )
    pay = _pay_to_confirm(_counties_of(prefixes), today)
    if pay:
        groups.append(pay)
    return groups


def _pay_to_confirm(counties: list[Region], today: date) -> TodoGroup | None:
    """Counties whose programme wage rests on a value not confirmed against its source, or cannot be
    worked out (a tier or the table missing): the standard the subsidy is paid at."""
    items = []
    for county in counties:
        try:
            amount, cited = policy_selectors.programme_wage(region=county, on=today)
        except policy_selectors.PolicyMissing as exc:
            items.append({"label": f"{county.name}: {exc}", "url": reverse("policy:list"), "urgent": True})
            continue
        doubtful = [r for r in cited if r.confidence != PAY_CONFIRMED]
        if doubtful:
            text = _("%(county)s: programme wage %(amount)s yuan a month rests on %(keys)s, not yet confirmed") % {
                "county": county.name,
                "amount": amount,
                "keys": ", ".join(r.key for r in doubtful),
            }
            items.append({"label": text, "url": reverse("policy:history", args=[doubtful[0].key])})
    if not items:
        return None
    return TodoGroup(
        kind="pay_to_confirm",
        label=gettext_lazy("Pay standards to confirm"),
        url=reverse("policy:list"),
        count=len(items),
        items=items,
    )


def min_wage_groups(user: Any) -> list[TodoGroup]:
    """The system administrator: a county with open posts but no minimum-wage tier cannot pay its helpers."""
    prefixes = user.scope_prefixes(Action.POLICY_EDIT)
    if not prefixes:
        return []
    today = clock.today()
    counties = set(
        Post.objects.filter(prefixes_q("region__code", prefixes), closed_on__isnull=True)
        .annotate(county=Substr("region_id", 1, COUNTY))
        .values_list("county", flat=True)
        .distinct()
    )
    if not counties:
        return []
    tiers = set(
        PolicyParameter.objects.filter(key="min_wage.tier", effective_from__lte=today).values_list(
            "region_prefix", flat=True
        )
    )
    missing = sorted(c for c in counties if not any(c.startswith(p) for p in tiers))
    if not missing:
        return []
    names = dict(Region.objects.filter(code__in=[c.ljust(12, "0") for c in missing]).values_list("code", "name"))
    url = reverse("policy:history", args=["min_wage.tier"])
    return [
        TodoGroup(
            kind="min_wage_tier",
            label=gettext_lazy("Minimum-wage tier to enter for counties with posts"),
            url=url,
            count=len(missing),
            items=[
                {
                    "label": _("%(county)s (%(code)s): enter its min_wage.tier")
                    % {
                        "county": names.get(c.ljust(12, "0"), c),
                        "code": c,
                    },
                    "url": url,
                    "urgent": True,
                }
                for c in missing
            ],
        )
    ]


def todo_groups(user: Any) -> list[TodoGroup]:
    return finance_groups(user) + min_wage_groups(user)
