"""Create the three separated administrators (三员) of a new deployment, with one-time passwords.

There is no superuser: this is how the first security administrator comes to exist. It refuses to
run when any administrator role is already held, so it cannot be used to take over a running system.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from zhulao.accounts import services
from zhulao.accounts.models import RoleAssignment
from zhulao.accounts.roles import ADMIN_ROLES, Role
from zhulao.core.exceptions import DomainError
from zhulao.regions import selectors


class Command(BaseCommand):
    help = "Create system, security and audit administrators at REGION (once); prints their initial passwords."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="region code of the deployment, e.g. 350600000000")
        parser.add_argument("--prefix", default="", help="username prefix, e.g. zz_")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if RoleAssignment.objects.active().filter(role__in=ADMIN_ROLES).exists():
            raise CommandError("Administrators exist already; the security administrator grants further roles.")
        try:
            region = selectors.region_resolve(options["region"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
            username = f"{options['prefix']}{role}"
            try:
                user, password = services.user_create(actor=None, username=username, full_name=str(role.label))
                services.role_grant(actor=None, user=user, role=role, region=region)
            except DomainError as exc:
                raise CommandError(f"{username}: {exc}") from exc
            self.stdout.write(f"{username:<24} {password}   ({role.label} @ {region.name})")
        self.stdout.write("Give each password to its holder in person; change it at first login.")
