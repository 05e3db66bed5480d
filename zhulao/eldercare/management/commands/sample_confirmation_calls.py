"""Draw the monthly random sample of visits per township for a confirmation call. Safe to re-run."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhulao.core import clock
from zhulao.eldercare.services.confirmations import sample_calls
from zhulao.rules.dates import add_months


class Command(BaseCommand):
    help = "Sample visits of a month (default: last month) per township for confirmation calls."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            try:
                month = date.fromisoformat(f"{options['month']}-01")
            except ValueError as exc:
                raise CommandError("--month is YYYY-MM") from exc
        else:
            month = add_months(clock.today().replace(day=1), -1)
        drawn = sample_calls(month=month)
        self.stdout.write(f"confirmation calls: {drawn} visits drawn for {month:%Y-%m}")
