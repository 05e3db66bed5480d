"""Print the elder-care indicators of a region for a period on one line (S19). Reads only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhulao.core import clock
from zhulao.core.commands import date_option
from zhulao.eldercare.selectors.indicators import indicators
from zhulao.regions.models import Region


class Command(BaseCommand):
    help = "Elder-care indicators (archives, pairing, visits, needs, emergencies, activities, operation) of a region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="region code or prefix, e.g. 3506 or 350602100")
        parser.add_argument("--start", help="YYYY-MM-DD (default: 1 January of this year)")
        parser.add_argument("--end", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["region"].strip()
        region = Region.objects.filter(code=code.ljust(12, "0")).first() if code.isdigit() else None
        if region is None:
            raise CommandError(f"no region {code!r}")
        today = clock.today()
        start = date_option(options["start"], "start") or date(today.year, 1, 1)
        end = date_option(options["end"], "end") or today
        if start > end:
            raise CommandError("--end is before --start")
        f = indicators(user=None, region=region, start=start, end=end)
        groups = ", ".join(f"{g} {n}" for g, n in f.groups)
        rate = f.operation.operating_rate if f.operation else None
        self.stdout.write(
            f"indicators {region.code} {start}..{end}: {f.archives} archives ({groups}), {f.households} households, "
            f"{f.paired} paired with {f.helpers} helpers, {f.visits} visits to {f.elders_visited} elders, "
            f"{sum(s['count'] for s in f.services)} services, {f.needs['reported']} needs "
            f"({f.needs['handled']} handled), {f.emergencies['reported']} emergencies, "
            f"{sum(a['count'] for a in f.activities)} activities, operating rate {rate if rate is not None else '-'}"
        )
