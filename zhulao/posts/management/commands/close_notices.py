"""Close and archive every public notice whose period has ended. Safe to re-run (cron, daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhulao.core import clock
from zhulao.posts import services
from zhulao.posts.choices import NoticeStatus
from zhulao.posts.models import PublicNotice


class Command(BaseCommand):
    help = "Archive (with their SHA-256) the open public notices whose period ended before today."

    def handle(self, *args: Any, **options: Any) -> None:
        due = PublicNotice.objects.filter(status=NoticeStatus.OPEN, closes_on__lt=clock.today())
        closed = 0
        for notice in due.order_by("closes_on", "id"):
            services.notice_close(actor=None, notice=notice)
            closed += 1
        self.stdout.write(f"notices: {closed} closed and archived")
