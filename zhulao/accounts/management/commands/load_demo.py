"""Load the Zhangzhou demo: regions, organisations, policy values and one user per role and level.

Idempotent. Refused when DEBUG is off unless ``--force``: demo accounts share one known password.
Apps add their steps through ``zhulao.core.demo.register``.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from zhulao.accounts import services as account_services
from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.core import synthetic
from zhulao.core.demo import DEMO_STEPS
from zhulao.regions import services as region_services
from zhulao.regions.models import Organization, Region

DEMO_PASSWORD = "Zhulao#Demo2026"  # noqa: S105 - printed on purpose: demo only, refused in production

# (username, role, region code, organisation kind or None)
DEMO_USERS: list[tuple[str, str, str, str | None]] = [
    ("mz_city", Role.CIVIL_AFFAIRS, "350600000000", "civil_affairs"),
    ("mz_xiangcheng", Role.CIVIL_AFFAIRS, "350602000000", "civil_affairs"),
    ("mz_longwen", Role.CIVIL_AFFAIRS, "350603000000", "civil_affairs"),
    ("mz_zhangpu", Role.CIVIL_AFFAIRS, "350623000000", "civil_affairs"),
    ("rs_city", Role.HR, "350600000000", "hr"),
    ("rs_xiangcheng", Role.HR, "350602000000", "hr"),
    ("cz_city", Role.FINANCE, "350600000000", "finance"),
    ("cz_xiangcheng", Role.FINANCE, "350602000000", "finance"),
    ("jy_city", Role.EMPLOYMENT_CENTER, "350600000000", "employment_center"),
    ("jy_xiangcheng", Role.EMPLOYMENT_CENTER, "350602000000", "employment_center"),
    ("xz_punan", Role.TOWNSHIP_EMPLOYER, "350602100000", "township_government"),
    ("jd_dongputou", Role.TOWNSHIP_EMPLOYER, "350602001000", "street_office"),
    ("xz_guokeng", Role.TOWNSHIP_EMPLOYER, "350603103000", "township_government"),
    ("sys_admin", Role.SYSTEM_ADMIN, "350600000000", None),
    ("sec_admin", Role.SECURITY_ADMIN, "350600000000", None),
    ("audit_admin", Role.AUDIT_ADMIN, "350600000000", None),
]


def _first_village(township_code: str) -> Region:
    village = Region.objects.filter(code__startswith=township_code[:9], level=5).order_by("-code").first()
    if village is None:
        raise CommandError(f"No village under {township_code}")
    return village


class Command(BaseCommand):
    help = "Load the Zhangzhou demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Allow loading with DEBUG off.")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the login list.")
        parser.add_argument("--people", type=int, default=3000, help="How many synthetic candidates (default 3000).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refused: DEBUG is off. Demo accounts share a known password; use --force.")
        stats = region_services.regions_load_zhangzhou()
        orgs = region_services.organizations_load(under="3506")
        call_command("load_policy", stdout=self.stdout)
        users = self._users()
        # The steps write about a million rows. With DEBUG on, Django also logs every SQL statement (on SQLite
        # with one more statement each to quote its parameters): a quarter of the demo's time, for nothing.
        with override_settings(DEBUG=False):
            for step in DEMO_STEPS:
                self.stdout.write(step(self, options))
        self.stdout.write(
            f"demo: {stats['regions']} regions ({stats['added']} new), {orgs} new organisations, {users} new users"
        )
        if not options["quiet_logins"]:
            self._print_logins()

    def _users(self) -> int:
        rng = random.Random(2026)  # noqa: S311 - demo data, not security
        specs = list(DEMO_USERS)
        for township, suffix in (("350602100000", "punan"), ("350603103000", "guokeng")):
            village = _first_village(township)
            kind = "community_committee" if int(village.code[9:]) < 200 else "village_committee"
            specs.append((f"cun_{suffix}", Role.VILLAGE_EMPLOYER, village.code, kind))
            specs.append((f"zly_{suffix}", Role.HELPER, village.code, kind))
        created = 0
        for username, role, code, org_kind in specs:
            if User.objects.filter(username__iexact=username).exists():
                continue
            user, _pw = account_services.user_create(
                actor=None, username=username, full_name=synthetic.person_name(rng), password=DEMO_PASSWORD
            )
            region = Region.objects.get(code=code)
            organization = Organization.objects.filter(kind=org_kind, region=region).first() if org_kind else None
            account_services.role_grant(actor=None, user=user, role=role, region=region, organization=organization)
            created += 1
        return created

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        rows = User.objects.filter(
            username__in=[u for u, *_ in DEMO_USERS] + ["cun_punan", "zly_punan", "cun_guokeng", "zly_guokeng"]
        ).prefetch_related("assignments__region")
        for user in rows.order_by("username"):
            roles = ", ".join(f"{a.get_role_display()} @ {a.region.name}" for a in user.assignments.all())
            self.stdout.write(f"  {user.username:<16} {user.full_name:<6} {roles}")
