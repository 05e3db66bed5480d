"""Users and their role assignments (roles are data: STYLE rule 7)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.roles import ADMIN_ROLES, Role, actions_of
from zhulao.core.querysets import ScopedQuerySet, in_scope
from zhulao.regions.choices import PREFIX_LENGTH, RegionLevel


def _reduce_prefixes(prefixes: set[str]) -> list[str]:
    """Drop prefixes already covered by a shorter one: ['3506', '350602'] → ['3506']."""
    kept: list[str] = []
    for prefix in sorted(prefixes, key=len):
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return sorted(kept)


class User(AbstractUser):
    """A person who signs in. Never a superuser: administration is split into three roles."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(_("failed logins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_casefold_unique"),
            models.CheckConstraint(condition=models.Q(is_superuser=False), name="user_never_superuser"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def _perm_cache(self) -> dict[Any, Any]:
        """Per-instance cache; a user object lives for one request, so a revoked role counts next request."""
        cache: dict[Any, Any] = self.__dict__.setdefault("_zhulao_perm_cache", {})
        return cache

    def forget_permissions(self) -> None:
        self.__dict__.pop("_zhulao_perm_cache", None)

    def active_assignments(self, on: date | None = None) -> list[RoleAssignment]:
        on = on or timezone.localdate()
        cache = self._perm_cache()
        key = ("assignments", on)
        if key not in cache:
            cache[key] = list(
                RoleAssignment.objects.active(on).filter(user=self).select_related("region", "organization")
            )
        return list(cache[key])

    def active_role_names(self) -> set[str]:
        return {a.role for a in self.active_assignments()}

    def has_role(self, role: str) -> bool:
        return role in self.active_role_names()

    def is_admin_role_holder(self) -> bool:
        return bool(self.active_role_names() & ADMIN_ROLES)

    def scope_prefixes(self, action: str, on: date | None = None) -> list[str]:
        """Region-code prefixes where this user may do ``action`` on ``on`` (today by default)."""
        if not self.is_active:
            return []
        on = on or timezone.localdate()
        cache = self._perm_cache()
        key = ("scope", action, on)
        if key not in cache:
            prefixes = {a.region.prefix for a in self.active_assignments(on) if action in actions_of(a.role)}
            cache[key] = _reduce_prefixes(prefixes)
        return list(cache[key])

    def can(self, action: str, region_code: str | None = None) -> bool:
        prefixes = self.scope_prefixes(action)
        if region_code is None:
            return bool(prefixes)
        return in_scope(region_code, prefixes)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class RoleAssignmentQuerySet(ScopedQuerySet["RoleAssignment"]):
    def active(self, on: date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on),
            valid_from__lte=on,
            revoked_at__isnull=True,
        )


class RoleAssignment(models.Model):
    """``user`` holds ``role`` at ``region`` (for ``organization``) from ``valid_from`` to ``valid_until``."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "regions.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("revoke reason"), max_length=200, blank=True)

    objects: ClassVar[RoleAssignmentQuerySet] = RoleAssignmentQuerySet.as_manager()  # type: ignore[assignment]

    # A lookup path, not the column: ``region_id__startswith`` is refused on a foreign key, while
    # ``region__code__startswith`` compiles to ``region_id LIKE …`` without a join.
    region_field = "region__code"

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role", "region_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="role_assignment_until_after_from",
            ),
            models.CheckConstraint(
                condition=~models.Q(granted_by=models.F("user")), name="role_assignment_not_self_granted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"

    @property
    def level(self) -> RegionLevel:
        return RegionLevel(self.region.level)

    @property
    def prefix(self) -> str:
        return self.region.code[: PREFIX_LENGTH[self.level]]

    def is_active_on(self, day: date) -> bool:
        return (
            self.revoked_at is None and self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)
        )
