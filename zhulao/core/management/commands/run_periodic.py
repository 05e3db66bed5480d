"""Run the registered periodic jobs (``zhulao.core.periodic``) at their intervals, for ever, or once."""

from __future__ import annotations

import time
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from zhulao.core.periodic import PERIODIC_JOBS


class Command(BaseCommand):
    help = "Run the periodic jobs (escalations, overdue visits, notices, samples) at their intervals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit (for cron).")
        parser.add_argument("--list", action="store_true", help="List the jobs and their intervals.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in PERIODIC_JOBS:
                self.stdout.write(f"{job.command:<28} every {job.every}  {job.purpose}")
            return
        last: dict[str, float] = {}
        while True:
            for job in PERIODIC_JOBS:
                now = time.monotonic()
                if job.command in last and now - last[job.command] < job.every.total_seconds():
                    continue
                last[job.command] = now
                self._run(job.command)
            if options["once"]:
                return
            time.sleep(15)

    def _run(self, command: str) -> None:
        out = StringIO()
        try:
            call_command(command, stdout=out)
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others; it is reported
            self.stderr.write(f"{command}: FAILED: {exc}")
        else:
            summary = " ".join(out.getvalue().split())
            self.stdout.write(f"{command}: {summary}")
