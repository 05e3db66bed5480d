"""Emergencies in reach (S16): of the elders a helper is paired with, or of the regions a user may view."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from zhulao.core.actions import Action
from zhulao.core.exceptions import Forbidden
from zhulao.core.querysets import prefixes_q
from zhulao.eldercare.models import ElderArchive, Emergency, Pairing


def _forbidden() -> Forbidden:
    return Forbidden("forbidden", _("Your roles do not allow this action."))


def require_emergency_view(user: Any) -> None:
    """403 unless a role of the user sees emergencies: archive view (staff) or visit record (helpers)."""
    if not (user.can(Action.ARCHIVE_VIEW) or user.can(Action.VISIT_RECORD)):
        raise _forbidden()


def emergencies_for(user: Any) -> QuerySet[Emergency]:
    """Emergencies of the elders the user pairs with, or of the regions the user may view."""
    prefixes = user.scope_prefixes(Action.ARCHIVE_VIEW)
    paired = Pairing.objects.filter(helper=user, ended_on__isnull=True).values("archive_id")
    rows = Emergency.objects.filter(archive_id__in=paired)
    if prefixes:
        rows = rows | Emergency.objects.filter(prefixes_q("region__code", prefixes))
    return rows.select_related("archive__person", "region").distinct()


def get_emergency_for_user(user: Any, public_id: Any) -> Emergency:
    """403 without a role that sees emergencies (archive view or visit record); 404 when out of reach."""
    require_emergency_view(user)
    emergency = emergencies_for(user).filter(public_id=public_id).first()
    if emergency is None:
        raise Http404
    return emergency


def get_archive_for_reporter(user: Any, public_id: Any) -> ElderArchive:
    """The elder an emergency is reported for: the helper's paired elder, or one in the staff's edit scope."""
    if not (user.can(Action.VISIT_RECORD) or user.can(Action.ARCHIVE_EDIT)):
        raise _forbidden()
    archive = ElderArchive.objects.filter(public_id=public_id).select_related("person", "region").first()
    if archive is None:
        raise Http404
    paired = Pairing.objects.filter(archive=archive, helper=user, ended_on__isnull=True).exists()
    if not (paired or user.can(Action.ARCHIVE_EDIT, archive.region_id)):
        raise Http404
    return archive
