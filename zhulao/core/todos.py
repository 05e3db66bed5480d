"""The audit administrator's to-do: the hash chain's last verification and its age (SECURITY item 15)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.models import AuditEvent
from zhulao.core.selectors import TodoGroup


def last_verification() -> AuditEvent | None:
    """The latest ``audit.verify`` event (the button or ``manage.py verify_audit``), whatever its outcome."""
    return AuditEvent.objects.filter(action="audit.verify").order_by("-seq").first()


def audit_groups(user: Any) -> list[TodoGroup]:
    """A to-do when the chain was never verified, was last verified more than ``AUDIT_VERIFY_MAX_AGE_DAYS``
    days ago, or its last verification found a break."""
    if not user.can(Action.AUDIT_VERIFY):
        return []
    last = last_verification()
    url = reverse("core:audit_list")
    if last is None:
        item = {"label": _("The audit chain has never been verified."), "url": url, "urgent": True}
    else:
        age = (clock.today() - timezone.localtime(last.occurred_at).date()).days
        broken = last.outcome != AuditEvent.Outcome.SUCCESS
        if not broken and age <= settings.AUDIT_VERIFY_MAX_AGE_DAYS:
            return []
        label = (
            _("The last verification found a break: %(problem)s") % {"problem": last.reason}
            if broken
            else _("Last verified %(days)d days ago (every %(max)d days at least).")
            % {"days": age, "max": settings.AUDIT_VERIFY_MAX_AGE_DAYS}
        )
        item = {"label": label, "url": url, "since": last.occurred_at, "urgent": broken}
    return [
        TodoGroup(kind="audit_verify", label=gettext_lazy("Verify the audit chain"), url=url, count=1, items=[item])
    ]
