"""Delete the throttle counters of old windows (run by run_periodic; safe to re-run)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhulao.core import throttle


class Command(BaseCommand):
    help = "Delete the rate counters (throttle windows) that began more than two days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = throttle.clean()
        self.stdout.write(f"rate counters deleted: {deleted}")
