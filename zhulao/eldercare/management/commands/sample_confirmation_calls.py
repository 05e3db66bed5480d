"""Draw the monthly random sample of visits per township for a confirmation call. Safe to re-run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhulao.core import clock
from zhulao.core.commands import month_option
from zhulao.eldercare.services.confirmations import sample_calls
from zhulao.rules.dates import add_months


class Command(BaseCommand):
    help = "Sample visits of a month (default: last month) per township for confirmation calls."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args: Any, **options: Any) -> None:
        month = month_option(options["month"], "month") or add_months(clock.today().replace(day=1), -1)
        drawn = sample_calls(month=month)
        self.stdout.write(f"confirmation calls: {drawn} visits drawn for {month:%Y-%m}")
