"""The system administrator's policy to-dos: the holiday calendar a date rule will need next."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.selectors import TodoGroup
from zhulao.policy.models import PolicyParameter

# The State Council publishes next year's holidays in late October or November: warn from 1 November.
CALENDAR_WARN_FROM = (11, 1)


def calendar_years_missing(today: date) -> list[int]:
    """This year's calendar if it is missing, and next year's from 1 November on."""
    wanted = [today.year]
    if (today.month, today.day) >= CALENDAR_WARN_FROM:
        wanted.append(today.year + 1)
    have = set(
        PolicyParameter.objects.filter(key__in=[f"calendar.{y}" for y in wanted], region_prefix="").values_list(
            "key", flat=True
        )
    )
    return [y for y in wanted if f"calendar.{y}" not in have]


def todo_groups(user: Any) -> list[TodoGroup]:
    if not user.can(Action.POLICY_EDIT):
        return []
    today = clock.today()
    missing = calendar_years_missing(today)
    if not missing:
        return []
    items = [
        {
            "label": _(
                "calendar.%(year)d: enter the statutory holidays and adjusted working days of %(year)d"
                " from the State Council's notice (notice periods count working days)."
            )
            % {"year": year},
            "url": reverse("policy:history", args=[f"calendar.{year}"]),
            "urgent": year <= today.year,
        }
        for year in missing
    ]
    return [
        TodoGroup(
            kind="policy_calendar",
            label=gettext_lazy("Holiday calendar to enter"),
            url=reverse("policy:list"),
            count=len(items),
            items=items,
        )
    ]
