"""Tell each helper how many of their elders are overdue, and each village committee which helpers have
overdue visits. Run once a day; a second run the same day notifies nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhulao.core import clock
from zhulao.eldercare.services.notifications import notify_overdue_visits


class Command(BaseCommand):
    help = "Notify helpers of their overdue elders and village committees of helpers with overdue visits (daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        helpers, villages = notify_overdue_visits(on=today)
        self.stdout.write(f"overdue visits on {today:%Y-%m-%d}: {helpers} helpers, {villages} village users notified")
