"""Issue a login account to every hired helper who has none (active placements only). Safe to re-run: a
helper with an account is skipped. The one-time passwords go to the ``--out`` file (created with mode 0600),
never to the terminal; give each helper theirs in person and delete the file."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhulao.core.exceptions import DomainError
from zhulao.core.spreadsheets import SafeCsvWriter
from zhulao.posts import services
from zhulao.posts.models import Placement


class Command(BaseCommand):
    help = (
        "Issue a helper login account for every active placement without one; the one-time passwords are "
        "written to --out (mode 0600), never printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="Only placements whose region code starts with PREFIX.")
        parser.add_argument("--out", required=True, help="File for the usernames and one-time passwords (0600).")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = str(options["region"]).strip()
        if prefix and not prefix.isdigit():
            raise CommandError("--region is a region code prefix (digits).")
        due = Placement.objects.filter(ended_on__isnull=True, person__user__isnull=True)
        if prefix:
            due = due.filter(region__code__startswith=prefix)
        path = Path(options["out"])
        issued = 0
        skipped: Counter[str] = Counter()
        # O_EXCL: never write passwords into a file that exists already (someone else's, or a link elsewhere)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{path} exists already: give a new file name.") from exc
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = SafeCsvWriter(out)  # a name like =HYPERLINK(…) stays text in Excel
            writer.writerow(["username", "one_time_password", "name", "village", "placement"])
            for placement in due.select_related("person").order_by("region_id", "pk"):
                try:
                    user, password = services.placement_account_issue(actor=None, placement=placement)
                except DomainError as exc:
                    skipped[exc.code] += 1
                    continue
                writer.writerow(
                    [
                        user.get_username(),
                        password,
                        placement.person.name,
                        placement.person.region_id,
                        placement.public_id,
                    ]
                )
                out.flush()  # each account is committed on its own: its password must not be lost
                issued += 1
        reasons = ", ".join(f"{code}: {n}" for code, n in sorted(skipped.items()))
        self.stdout.write(
            f"helper accounts: {issued} issued, {sum(skipped.values())} skipped"
            + (f" ({reasons})" if reasons else "")
            + f"; one-time passwords in {path}"
        )
