"""Checks shared by the recruitment services (the scope check itself lives in ``core.querysets``)."""

from zhulao.core.querysets import ensure_scope

__all__ = ["ensure_scope"]
