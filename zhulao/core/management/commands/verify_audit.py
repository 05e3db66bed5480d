"""Verify the audit hash chain; exits non-zero and names the first broken event when it does not hold.

After a redaction (ADR 0010) it also checks every chain epoch against its ``audit.redact`` event and
prints the heads kept from before each rewrite, to compare with copies taken before it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhulao.core import audit, redaction


class Command(BaseCommand):
    help = "Walk the audit chain in order and report the first broken link (exit status 1 if any)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit.verify_chain()
        epoch_problems = redaction.verify_epochs() if report.ok else []
        ok = report.ok and not epoch_problems
        audit.record_event(
            actor=None,
            action="audit.verify",
            object_type="core.auditevent",
            outcome="success" if ok else "failure",
            reason=report.problem or "; ".join(epoch_problems),
        )
        if not report.ok:
            raise CommandError(
                f"audit chain broken at event #{report.first_broken_seq}: {report.problem} "
                f"({report.checked} events verified before it)"
            )
        if epoch_problems:
            raise CommandError("audit chain epochs do not hold: " + "; ".join(epoch_problems))
        seq, head = audit.chain_head()
        self.stdout.write(f"audit chain intact: {report.checked} events verified, head #{seq} {head}")
        for epoch in redaction.epochs():
            self.stdout.write(
                f"epoch {epoch.number} ({epoch.started_at.isoformat()}, event #{epoch.event_seq}): "
                f"head before the rewrite #{epoch.previous_head_seq} {epoch.previous_head_hash}, "
                f"after #{epoch.new_head_seq} {epoch.new_head_hash}; "
                f"{epoch.rows_redacted} diffs masked ({', '.join(epoch.keys)}), {epoch.rows_rehashed} rows re-hashed. "
                f"Reason: {epoch.reason}"
            )
