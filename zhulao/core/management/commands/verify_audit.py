"""Verify the audit hash chain; exits non-zero and names the first broken event when it does not hold."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhulao.core import audit


class Command(BaseCommand):
    help = "Walk the audit chain in order and report the first broken link (exit status 1 if any)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit.verify_chain()
        audit.record_event(
            actor=None,
            action="audit.verify",
            object_type="core.auditevent",
            outcome="success" if report.ok else "failure",
            reason=report.problem,
        )
        if not report.ok:
            raise CommandError(
                f"audit chain broken at event #{report.first_broken_seq}: {report.problem} "
                f"({report.checked} events verified before it)"
            )
        seq, head = audit.chain_head()
        self.stdout.write(f"audit chain intact: {report.checked} events verified, head #{seq} {head}")
