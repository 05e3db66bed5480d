"""Scoped querysets of facilities, posts and recruitment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef

from zhulao.core.querysets import ScopedQuerySet

if TYPE_CHECKING:
    from zhulao.posts.models import Application, Facility, Placement, Post  # noqa: F401


class FacilityQuerySet(ScopedQuerySet["Facility"]):
    pass


class PostQuerySet(ScopedQuerySet["Post"]):
    def open(self) -> PostQuerySet:
        return self.filter(closed_on__isnull=True)

    def vacant(self) -> PostQuerySet:
        from zhulao.posts.models import Placement

        return self.open().exclude(Exists(Placement.objects.filter(post=OuterRef("pk"), ended_on__isnull=True)))


class ApplicationQuerySet(ScopedQuerySet["Application"]):
    def in_status(self, *statuses: Any) -> ApplicationQuerySet:
        return self.filter(status__in=statuses)


class PlacementQuerySet(ScopedQuerySet["Placement"]):
    def active(self) -> PlacementQuerySet:
        return self.filter(ended_on__isnull=True)
