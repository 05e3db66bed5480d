"""Reads of the region tree: resolving codes (with aliases), breadcrumbs, children in scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.exceptions import DomainError
from zhulao.regions.choices import PREFIX_LENGTH, RegionLevel
from zhulao.regions.models import Region, RegionAlias


def region_resolve(code: str) -> Region:
    """The region for a 12-digit code, following aliases for old codes (350681… → 350604…).

    Shorter significant codes are padded (``350602`` → ``350602000000``).
    """
    code = (code or "").strip()
    if not code.isdigit() or len(code) > 12:
        raise DomainError("unknown_region", _("Region code %(code)s is not a valid code.") % {"code": code})
    full = code.ljust(12, "0")
    region = Region.objects.filter(code=full).first()
    if region is not None:
        return region
    alias = RegionAlias.objects.select_related("region").filter(old_code=full).first()
    if alias is not None:
        return alias.region
    raise DomainError("unknown_region", _("Region code %(code)s is unknown.") % {"code": code})


def region_resolve_for_form(code: str) -> Region:
    try:
        return region_resolve(code)
    except DomainError as exc:
        raise forms.ValidationError(str(exc)) from exc


def region_code_for_prefix(prefix: str) -> str:
    return prefix.ljust(12, "0")


def region_breadcrumb(region: Region) -> list[Region]:
    """Ancestors from the province down to ``region`` itself (one query)."""
    codes = [
        region.code[:length].ljust(12, "0")
        for level, length in PREFIX_LENGTH.items()
        if level <= region.level
    ]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def region_children(*, user: Any, region: Region, action: str) -> list[Region]:
    return list(Region.objects.visible_to(user, action).filter(parent=region).order_by("code"))


def scope_roots(*, user: Any, action: str) -> list[Region]:
    """The highest regions of the user's scope for ``action`` (one per reduced prefix)."""
    codes = [region_code_for_prefix(p) for p in user.scope_prefixes(action)]
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def level_of_prefix(prefix: str) -> RegionLevel:
    for level, length in PREFIX_LENGTH.items():
        if length == len(prefix):
            return level
    raise ValueError(prefix)
