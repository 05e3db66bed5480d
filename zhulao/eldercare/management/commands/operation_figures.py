"""Print the operation figures of a region (S3) and the before/after comparison, on one line. Reads only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhulao.core import clock
from zhulao.core.commands import date_option
from zhulao.eldercare.selectors import operations as selectors


def _rate(figures: selectors.OperationFigures) -> str:
    rate = figures.operating_rate
    return "-" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"


def _signed(value: Decimal | None, unit: str) -> str:
    return "-" if value is None else f"{'+' if value > 0 else ''}{value}{unit}"


class Command(BaseCommand):
    help = (
        "Operating rate and average daily opening hours of the facilities under a region code prefix for a "
        "period (default: last month), and before/after a pivot day (default: the day the first helpers started work)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="region code prefix, e.g. 350602 (default: every region)")
        parser.add_argument("--start", help="YYYY-MM-DD (default: the first day of last month)")
        parser.add_argument("--end", help="YYYY-MM-DD (default: the last day of last month)")
        parser.add_argument(
            "--pivot", help="YYYY-MM-DD (default: the day the first helpers started work in the region)"
        )
        parser.add_argument("--days", type=int, default=90, help="before/after window in days (default: 90)")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix: str = options["region"].strip()
        if prefix and not prefix.isdigit():
            raise CommandError("--region is a code prefix (digits)")
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days is from 1 to 366")
        start, end = selectors.period_or_default(
            date_option(options["start"], "start"), date_option(options["end"], "end"), today=clock.today()
        )
        if start > end:
            raise CommandError("--end is before --start")
        period = selectors.operation_figures(user=None, prefix=prefix, start=start, end=end)
        line = (
            f"operation {prefix or 'all'} {start}..{end}: {period.facilities} facilities, "
            f"{period.operating} operating ({_rate(period)}), {period.avg_daily_hours or '-'} h/day"
        )
        pivot = date_option(options["pivot"], "pivot") or selectors.helpers_started_on(user=None, prefix=prefix)
        if pivot is None:
            self.stdout.write(f"{line}; no posts yet, no before/after")
            return
        before, after = selectors.before_after(user=None, prefix=prefix, pivot=pivot, days=options["days"])
        change = selectors.change(before, after)
        self.stdout.write(
            f"{line}; around {pivot} ({options['days']} days): rate {_rate(before)} -> {_rate(after)} "
            f"({_signed(change.rate_points, ' pp')}), hours {before.avg_daily_hours or '-'} -> "
            f"{after.avg_daily_hours or '-'} ({_signed(change.hours_percent, ' %')})"
        )
