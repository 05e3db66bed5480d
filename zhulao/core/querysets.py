"""The one scoping point: ``Model.objects.visible_to(user, action)`` and ``get_for_user``.

A regional model names the lookup path to its 12-digit region code in ``region_field``
(``"region__code"`` for a foreign key to Region — a plain ``region_id__startswith`` is refused). The user
object answers ``scope_prefixes(action)``: the code prefixes of the role assignments that carry
that action, today. Scope is decided per action, never from the union of everything a user holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from zhulao.core.exceptions import Forbidden

_M = TypeVar("_M", bound=models.Model)


class ScopedUser(Protocol):
    is_authenticated: bool

    def scope_prefixes(self, action: str) -> list[str]: ...


def in_scope(code: str, prefixes: Iterable[str]) -> bool:
    """Does the region ``code`` lie under one of ``prefixes`` (a user's scope for one action)? The one place
    that compares a code with a scope in Python; ``prefixes_q`` is the same test in SQL."""
    return any(code.startswith(p) for p in prefixes)


def prefixes_q(field: str, prefixes: list[str]) -> models.Q:
    """``field LIKE p1% OR field LIKE p2% …``; an empty prefix matches everything."""
    q = models.Q()
    for prefix in prefixes:
        if prefix == "":
            return models.Q()
        q |= models.Q(**{f"{field}__startswith": prefix})
    return q


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset for regional data; every view starts from ``visible_to``."""

    def visible_to(self, user: Any, action: str = "view") -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        prefixes: list[str] = user.scope_prefixes(action)
        if not prefixes:
            return self.none()
        field = getattr(self.model, "region_field", "region__code")
        return self.filter(prefixes_q(field, prefixes))

    def get_for_user(self, user: Any, action: str = "view", **lookup: Any) -> _M:
        """One object: 403 when no role of the user carries ``action``; 404 when it is out of scope."""
        require_action(user, action)
        try:
            return self.visible_to(user, action).get(**lookup)
        except ObjectDoesNotExist as exc:
            raise Http404(str(_("Not found."))) from exc


def require_action(user: Any, action: str) -> list[str]:
    """The user's scope prefixes for ``action``; raises 403 ``Forbidden`` when there are none."""
    prefixes: list[str] = user.scope_prefixes(action) if getattr(user, "is_authenticated", False) else []
    if not prefixes:
        raise Forbidden("forbidden", _("Your roles do not allow this action."))
    return prefixes


def ensure_scope(actor: Any, action: str, region_code: str) -> None:
    """Services' check: ``actor`` holds ``action`` for ``region_code`` (403 otherwise). ``None`` is the system."""
    if actor is None:
        return
    prefixes = require_action(actor, action)
    if not in_scope(region_code, prefixes):
        raise Forbidden("out_of_scope", _("This region is outside your own scope."))
