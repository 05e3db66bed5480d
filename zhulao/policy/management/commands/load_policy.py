"""Load the researched policy parameters (POLICY.md) that are not yet present. Safe to re-run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhulao.policy import services
from zhulao.policy.models import PolicyParameter
from zhulao.policy.seed import document_for, rows


class Command(BaseCommand):
    help = "Load the dated policy parameters from POLICY.md that are missing; prints a one-line summary."

    def handle(self, *args: Any, **options: Any) -> None:
        present = set(PolicyParameter.objects.values_list("key", "region_prefix", "effective_from"))
        added = 0
        for key, prefix, effective_from, value, source, confidence, note in rows():
            if (key, prefix, effective_from) in present:
                continue
            services.parameter_add(
                actor=None,
                key=key,
                region_prefix=prefix,
                effective_from=effective_from,
                value=value,
                source=source,
                confidence=confidence,
                note=note,
                **document_for(source, confidence),
            )
            added += 1
        self.stdout.write(f"policy: {added} parameter values added, {len(present)} already present")
