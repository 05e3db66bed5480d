"""Escalate unacknowledged emergencies past their deadline and send the outbox. Run every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhulao.eldercare.services.emergencies import emergency_escalate_due
from zhulao.eldercare.services.notifications import send_due


class Command(BaseCommand):
    help = "Move unacknowledged emergencies up the ladder when their deadline passed; send due notifications."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = emergency_escalate_due()
        sent, failed = send_due()
        self.stdout.write(f"emergencies: {moved} escalated; outbox: {sent} sent, {failed} failed")
