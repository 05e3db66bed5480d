"""Reads of the region tree: resolving codes (with aliases), breadcrumbs, children in scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import in_scope, require_action
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


def pick_region(user: Any, action: str, code: str = "", *, focus: str = "") -> Region:
    """The one scoped region picker of the figures pages, the API and the focus bar.

    ``code`` is the region asked for (a cascader choice, an API ``region`` parameter): an unknown code or one
    outside the user's scope for ``action`` is a 404, never silently replaced. Without a code, ``focus`` (the
    region in focus, from the session) when it lies in that scope, else the top of the scope. 403 ``Forbidden``
    when no role of the user carries ``action``."""
    prefixes = require_action(user, action)
    if code:
        return _region_in(code, prefixes)
    if focus and in_scope(focus, prefixes):
        try:
            return _region_in(focus, prefixes)
        except Http404:
            pass  # a focus that no longer resolves falls back to the top of the scope
    return _region_in(prefixes[0], prefixes)


def _region_in(code: str, prefixes: list[str]) -> Region:
    try:
        region = region_resolve(code)
    except DomainError as exc:
        raise Http404(str(_("Not found."))) from exc
    if not in_scope(region.code, prefixes):
        raise Http404(str(_("Not found.")))
    return region


def region_resolve_for_form(code: str) -> Region:
    try:
        return region_resolve(code)
    except DomainError as exc:
        raise forms.ValidationError(str(exc)) from exc


def region_code_for_prefix(prefix: str) -> str:
    return prefix.ljust(12, "0")


def region_breadcrumb(region: Region) -> list[Region]:
    """Ancestors from the province down to ``region`` itself (one query)."""
    codes = [region.code[:length].ljust(12, "0") for level, length in PREFIX_LENGTH.items() if level <= region.level]
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


LEVEL_PARAMS = (("county", RegionLevel.COUNTY), ("township", RegionLevel.TOWNSHIP), ("village", RegionLevel.VILLAGE))


def cascade(*, user: Any, action: str, selected: str) -> list[dict[str, Any]]:
    """The three selects of the region cascader (县区 → 乡镇 → 村居), limited to the user's scope.

    ``selected`` is the most specific code chosen so far ("" for none). Each level lists the regions
    under the choice one level up (the county level lists every county in scope).
    """
    visible = Region.objects.visible_to(user, action)
    chosen = Region.objects.filter(code=selected.ljust(12, "0")).first() if selected else None
    path = {r.level: r for r in region_breadcrumb(chosen)} if chosen else {}
    levels: list[dict[str, Any]] = []
    parent_code: str | None = None
    for param, level in LEVEL_PARAMS:
        if not levels:  # the cascade starts at the widest level the user sees (a village user: villages)
            options = list(visible.filter(level=level).order_by("code"))
            if not options:
                continue
        elif parent_code is None:
            options = []
        else:
            options = list(visible.filter(level=level, parent_id=parent_code).order_by("code"))
        current = path.get(level)
        levels.append({"param": param, "level": level, "options": options, "selected": current.code if current else ""})
        parent_code = current.code if current else None
    return levels


def cascade_choice(params: Any) -> str:
    """The code prefix of the most specific choice in the cascader's GET parameters (village, township,
    county): ``350602`` for a county, ``350602100`` for a township, the full code for a village."""
    for param, level in reversed(LEVEL_PARAMS):
        code = str(params.get(param, "") or "")
        if code.isdigit() and len(code) == 12:
            return code[: PREFIX_LENGTH[level]]
    return ""
