"""Pages of activities (S18) and facility operation (S3): a facility's activities calendar and its record
form, the month sheet of its opening log, activity photos, and the operation figures of a region."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.dates import month_from_query
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest, is_partial
from zhulao.eldercare import forms
from zhulao.eldercare.choices import ActivityKind
from zhulao.eldercare.models import Activity
from zhulao.eldercare.selectors import operations as selectors
from zhulao.eldercare.services import operations as services
from zhulao.eldercare.views._common import _form_error, _percent, region_in_scope
from zhulao.posts import selectors as posts_selectors
from zhulao.regions import selectors as region_selectors

# The calendar's short names and colours of the kinds: 天天有活动、周周有公益、月月有主题.
KIND_SHORT = {
    ActivityKind.DAILY: gettext_lazy("Activity"),
    ActivityKind.WEEKLY_WELFARE: gettext_lazy("Welfare"),
    ActivityKind.MONTHLY_THEME: gettext_lazy("Theme"),
}
KIND_BADGE = {
    ActivityKind.DAILY: "text-bg-primary",
    ActivityKind.WEEKLY_WELFARE: "text-bg-success",
    ActivityKind.MONTHLY_THEME: "text-bg-warning",
}
# The calendar's column heads, Monday first (一 二 三 … in Chinese).
WEEKDAYS = (
    pgettext_lazy("calendar weekday", "Mo"),
    pgettext_lazy("calendar weekday", "Tu"),
    pgettext_lazy("calendar weekday", "We"),
    pgettext_lazy("calendar weekday", "Th"),
    pgettext_lazy("calendar weekday", "Fr"),
    pgettext_lazy("calendar weekday", "Sa"),
    pgettext_lazy("calendar weekday", "Su"),
)
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _month(request: AuthedHttpRequest) -> date:
    """``?month=YYYY-MM``, else the current month."""
    return month_from_query(request, default=clock.today())


def _month_links(month: date) -> dict[str, str | None]:
    previous = (month - timedelta(days=1)).replace(day=1)
    following = selectors.month_bounds(month)[1]
    current = clock.today().replace(day=1)
    return {"previous": f"{previous:%Y-%m}", "next": f"{following:%Y-%m}" if following <= current else None}


# ------------------------------------------------------------------------------------ calendar (S18)


def _cadence_tags(result: dict[str, Any]) -> list[dict[str, str]]:
    """The three checks as tags (met / missed / pending) with the reason in words."""
    missing = ", ".join(f"{d:%m-%d}" for d in result["missing_days"][:10])
    if len(result["missing_days"]) > 10:
        missing += " …"
    weeks = ", ".join(f"{w['start']:%m-%d}–{w['end']:%m-%d}" for w in result["missed_weeks"])
    reasons = {
        "every_day": {
            "met": _("An activity every day so far."),
            "missed": _("No activity on %(days)s.") % {"days": missing},
            "pending": _("No day to judge yet."),
        },
        "every_week": {
            "met": _("A public-welfare activity in every week."),
            "missed": _("No public-welfare activity in the week of %(weeks)s.") % {"weeks": weeks},
            "pending": _("No week missed so far; this week's public-welfare activity is still to come."),
        },
        "theme": {
            "met": _("Monthly theme: %(title)s.") % {"title": "、".join(result["themes"])},
            "missed": _("No monthly theme this month."),
            "pending": _("No monthly theme yet this month."),
        },
    }
    labels = {
        "every_day": _("Every day an activity"),
        "every_week": _("Every week public welfare"),
        "theme": _("Every month a theme"),
    }
    return [
        {"check": key, "label": labels[key], "status": result[f"{key}_status"], "reason": reasons[key][status]}
        for key in ("every_day", "every_week", "theme")
        for status in [result[f"{key}_status"]]
    ]


def _grid(result: dict[str, Any], month: date) -> list[dict[str, Any]]:
    """One row per ISO week (Monday first), one cell per day; days of other months are blanks."""
    today = clock.today()
    rows = []
    for week in result["weeks"]:
        cells = [
            {
                "day": d,
                "in_month": d.month == month.month,
                "today": d == today,
                "future": d > today,
                "kinds": [
                    {
                        "kind": k,
                        "short": KIND_SHORT[ActivityKind(k)],
                        "label": ActivityKind(k).label,
                        "badge": KIND_BADGE[ActivityKind(k)],
                    }
                    for k in result["kinds"].get(d, [])
                ],
            }
            for d in week["days"]
        ]
        rows.append({"week": week, "cells": cells})
    return rows


def facility_calendar(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """The month's activities of a facility and whether 天天有活动、周周有公益、月月有主题 is met."""
    facility = posts_selectors.get_facility_for_user(request.user, public_id)
    month = _month(request)
    result = selectors.cadence(facility=facility, month_start=month)
    context = {
        "facility": facility,
        "month": month,
        "links": _month_links(month),
        "tags": _cadence_tags(result),
        "grid": _grid(result, month),
        "weekdays": WEEKDAYS,
        "kinds": [{"label": k.label, "short": KIND_SHORT[k], "badge": KIND_BADGE[k]} for k in ActivityKind],
        "activities": selectors.month_activities(facility=facility, month_start=month),
        "can_operate": request.user.can(Action.FACILITY_OPERATE, facility.region_id),
    }
    return render(request, "eldercare/facility_calendar.html", context)


def _elder_choices(request: AuthedHttpRequest, elders: Any, form: forms.ActivityForm) -> dict[str, Any]:
    """The bounded elder checkboxes: those ticked (in the POST, or sent along with an htmx search) first."""
    chosen = form.chosen_elders() if form.is_bound else request.GET.getlist("elders")
    query = request.GET.get("q", "")
    picked, listed, more = forms.elder_options(elders, chosen=chosen, query=query)
    return {"picked": picked, "chosen": {str(e.public_id) for e in picked}, "listed": listed, "more": more, "q": query}


def activity_create(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """Record an activity. A name search (htmx) swaps only the elder checkboxes, keeping those ticked."""
    facility = posts_selectors.get_facility_for_user(request.user, public_id, Action.FACILITY_OPERATE)
    today = clock.today()
    elders = selectors.elders_for_facility(user=request.user, facility=facility)
    form = forms.ActivityForm(
        request.POST or None,
        request.FILES or None,
        elders=elders,
        helpers=selectors.helpers_for_facility(facility, on=today),
        today=today,
        initial={"held_on": today, "kind": ActivityKind.DAILY},
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_record(actor=request.user, facility=facility, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The activity has been recorded."))
            url = reverse("eldercare:facility_calendar", args=[facility.public_id])
            return redirect(f"{url}?month={activity.held_on:%Y-%m}")
    context = {
        "facility": facility,
        "form": form,
        "partners": forms.ACTIVITY_PARTNERS,
        "photo_limit_mb": round(settings.ACTIVITY_PHOTO_MAX_BYTES / (1024 * 1024), 1),
        **_elder_choices(request, elders, form),
    }
    if is_partial(request) and request.method == "GET":
        return render(request, "eldercare/_activity_elders.html", context)
    return render(request, "eldercare/activity_form.html", context)


def activity_photo(request: AuthedHttpRequest, public_id: UUID) -> FileResponse:
    """An activity's photo, to users who may view its facility (404 out of region, 403 without the role)."""
    activity = Activity.objects.get_for_user(request.user, Action.FACILITY_VIEW, public_id=public_id)
    if not activity.photo:
        raise Http404
    extension = activity.photo.name.rsplit(".", 1)[-1].lower()
    try:
        content = activity.photo.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a restore without MEDIA_ROOT)
        raise Http404 from exc
    response = FileResponse(content, content_type=PHOTO_TYPES.get(extension, "image/jpeg"))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


# ------------------------------------------------------------------------------------ opening log (S3)


def opening_log(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """The month sheet of a facility's opening hours: read with facility.view, saved with facility.operate."""
    action = Action.FACILITY_OPERATE if request.method == "POST" else Action.FACILITY_VIEW
    facility = posts_selectors.get_facility_for_user(request.user, public_id, action)
    month = _month(request)
    first, next_month = selectors.month_bounds(month)
    days = [first + timedelta(days=i) for i in range((next_month - first).days)]
    logged = dict(facility.day_logs.filter(day__gte=first, day__lt=next_month).values_list("day", "hours_open"))
    can_operate = request.user.can(Action.FACILITY_OPERATE, facility.region_id)
    form = forms.OpeningLogForm(
        request.POST or None, days=days, logged=logged, today=clock.today(), read_only=not can_operate
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.day_logs_record(actor=request.user, facility=facility, hours=form.hours())
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _saved_message(result))
            url = reverse("eldercare:opening_log", args=[facility.public_id])
            return redirect(f"{url}?month={month:%Y-%m}")
    context = {
        "facility": facility,
        "month": month,
        "links": _month_links(month),
        "form": form,
        "logged_days": len(logged),
        "can_operate": can_operate,
    }
    return render(request, "eldercare/opening_log.html", context)


def _saved_message(result: dict[str, int]) -> str:
    added = ngettext("%(n)s day added", "%(n)s days added", result["added"]) % {"n": result["added"]}
    changed = ngettext("%(n)s day corrected", "%(n)s days corrected", result["changed"]) % {"n": result["changed"]}
    return _("Opening log saved: %(added)s, %(changed)s.") % {"added": added, "changed": changed}


# ------------------------------------------------------------------------------------ figures (S3)


def _period(form: forms.OperationPeriodForm, *, user: Any, prefix: str) -> dict[str, Any]:
    """The form's dates, or the defaults: the last full month; before/after 90 days around the day the first
    helpers started work."""
    data = form.cleaned_data if form.is_valid() else {}
    today = clock.today()
    start, end = selectors.period_or_default(data.get("start"), data.get("end"), today=today)
    days = data.get("days") or 90
    helpers_started = selectors.helpers_started_on(user=user, prefix=prefix)
    pivot = data.get("pivot") or helpers_started or today - timedelta(days=days)
    return {"start": start, "end": end, "days": days, "pivot": pivot, "helpers_started": helpers_started}


def _figures_row(figures: selectors.OperationFigures) -> dict[str, Any]:
    return {"f": figures, "percent": _percent(figures.operating_rate)}


def operation(request: AuthedHttpRequest) -> HttpResponse:
    """运营率 and daily opening hours of a region's facilities: the period, per child region, and before/after."""
    region = region_in_scope(request, Action.FACILITY_VIEW)
    form = forms.OperationPeriodForm(request.GET or None)
    period = _period(form, user=request.user, prefix=region.prefix)
    start, end, pivot, days = period["start"], period["end"], period["pivot"], period["days"]
    user = request.user
    before, after = selectors.before_after(user=user, prefix=region.prefix, pivot=pivot, days=days)
    if not form.is_bound or form.is_valid():  # show the dates in use, defaults included
        form = forms.OperationPeriodForm(initial={k: period[k] for k in ("start", "end", "pivot", "days")})
    context = {
        "region": region,
        "form": form,
        "period": period,
        "total": _figures_row(selectors.operation_figures(user=user, prefix=region.prefix, start=start, end=end)),
        "children": [
            {"row": r, **_figures_row(r.figures)}
            for r in selectors.operation_breakdown(user=user, region=region, start=start, end=end)
        ],
        "closed": selectors.facilities_not_open(user=user, prefix=region.prefix, start=start, end=end),
        "before": _figures_row(before),
        "after": _figures_row(after),
        "change": selectors.change(before, after),
        "after_unfinished": after.end >= clock.today(),
        "cascade": region_selectors.cascade(
            user=user, action=Action.FACILITY_VIEW, selected=region.prefix if region.level >= 3 else ""
        ),
    }
    return render(request, "eldercare/operation.html", context)
