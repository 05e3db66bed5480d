"""Checks shared by the recruitment services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhulao.core.exceptions import Forbidden
from zhulao.core.querysets import require_action


def ensure_scope(actor: Any, action: str, region_code: str) -> None:
    """The actor must hold ``action`` for ``region_code`` (``actor`` None is the system)."""
    if actor is None:
        return
    prefixes = require_action(actor, action)
    if not any(region_code.startswith(p) for p in prefixes):
        raise Forbidden("out_of_scope", _("This region is outside your own scope."))
