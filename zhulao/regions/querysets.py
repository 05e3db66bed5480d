"""Region and organisation querysets: scoped like every regional table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhulao.core.querysets import ScopedQuerySet

if TYPE_CHECKING:
    from zhulao.regions.models import Organization, Region  # noqa: F401


class RegionQuerySet(ScopedQuerySet["Region"]):
    def at_level(self, level: int) -> RegionQuerySet:
        return self.filter(level=level)

    def under(self, prefix: str) -> RegionQuerySet:
        return self.filter(code__startswith=prefix)


class OrganizationQuerySet(ScopedQuerySet["Organization"]):
    pass
