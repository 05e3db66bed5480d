"""Registry of demo-data steps: each app appends a callable ``(command, options) -> str`` in its
``AppConfig.ready``; ``manage.py load_demo`` runs them in order and prints their one-line summaries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DEMO_STEPS: list[Callable[[Any, dict[str, Any]], str]] = []


def register(step: Callable[[Any, dict[str, Any]], str]) -> Callable[[Any, dict[str, Any]], str]:
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)
    return step
