"""Codes in words in templates: ``{{ event.action|action_label }}``, ``{{ event.actor_roles|roles_label }}``."""

from __future__ import annotations

from django import template

from zhulao.core import labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(code)


@register.filter
def roles_label(codes: str) -> str:
    return labels.roles_label(codes)


@register.filter
def object_type_label(object_type: str) -> str:
    return labels.object_type_label(object_type)


@register.filter
def safe_object_label(event: object) -> str:
    return labels.safe_object_label(event)
