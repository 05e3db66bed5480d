"""Small helpers shared by the elder-care pages."""

from __future__ import annotations

from decimal import Decimal

from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from zhulao.core.exceptions import DomainError
from zhulao.eldercare.choices import ElderCategory
from zhulao.regions import selectors as region_selectors
from zhulao.regions.context_processors import FOCUS_SESSION_KEY
from zhulao.regions.models import Region

FIELD_LABELS = {
    "categories": gettext_lazy("Categories"),
    "living_conditions": gettext_lazy("Living conditions"),
    "psychological_state": gettext_lazy("Psychological state"),
    "spiritual_needs": gettext_lazy("Spiritual needs"),
    "service_needs": gettext_lazy("Service needs"),
    "contact": gettext_lazy("Emergency contacts"),
    "helper": gettext_lazy("Helper"),
    "level": gettext_lazy("Capability level"),
    "total": gettext_lazy("total"),
}


def _form_error(form: Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _labels(categories: list[str]) -> list[str]:
    """Category codes as their labels (留守, 独居 … in Chinese)."""
    return [str(ElderCategory(c).label) if c in ElderCategory.values else c for c in categories]


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else (share * 100).quantize(Decimal("0.1"))


def region_in_scope(request: HttpRequest, action: str) -> Region:
    """The region a figures page is about, by the one picker (``regions.selectors.pick_region``): the cascader's
    choice (404 when unknown or outside the user's scope for ``action``), else the region in focus, else the top
    of that scope."""
    return region_selectors.pick_region(
        request.user,
        action,
        region_selectors.cascade_choice(request.GET),
        focus=request.session.get(FOCUS_SESSION_KEY, ""),
    )
