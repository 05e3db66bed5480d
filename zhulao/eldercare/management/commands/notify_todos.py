"""Tell every user with to-dos waiting on the workbench how many, of which kinds. Run once a day; a second
run the same day notifies nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhulao.core import clock
from zhulao.eldercare.services.notifications import notify_todos


class Command(BaseCommand):
    help = "Notify each user of the to-dos waiting on their workbench (daily digest)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        self.stdout.write(f"to-dos on {today:%Y-%m-%d}: {notify_todos(on=today)} users notified")
