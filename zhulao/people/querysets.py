"""Scoped querysets of the people registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhulao.core.querysets import ScopedQuerySet

if TYPE_CHECKING:
    from zhulao.people.models import Evidence, Household, Person  # noqa: F401


class PersonQuerySet(ScopedQuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        """Not merged into another record."""
        return self.filter(merged_into__isnull=True)


class HouseholdQuerySet(ScopedQuerySet["Household"]):
    pass


class EvidenceQuerySet(ScopedQuerySet["Evidence"]):
    pass
