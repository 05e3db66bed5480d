"""Small helpers shared by the elder-care pages."""

from __future__ import annotations

from decimal import Decimal

from django.forms import Form
from django.utils.translation import gettext_lazy

from zhulao.core.exceptions import DomainError
from zhulao.eldercare.choices import ElderCategory

HISTORY_LABELS = {
    "archive.create": gettext_lazy("Archive created"),
    "archive.update": gettext_lazy("Archive changed"),
    "archive.contact_add": gettext_lazy("Emergency contact added"),
    "assessment.record": gettext_lazy("Capability assessed"),
    "pairing.assign": gettext_lazy("Helper paired"),
    "pairing.end": gettext_lazy("Pairing ended"),
    "need.handle": gettext_lazy("Need handled"),
}

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
