"""Registry of periodic jobs: each app names its management commands and how often they run, in its
``AppConfig.ready``. ``manage.py run_periodic`` runs them (the development server starts it beside the
task worker); a deployment may run it as a service, or call each command from cron instead. Every
registered command must be safe to re-run: the interval only says how soon a change is noticed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class PeriodicJob:
    command: str
    every: timedelta
    purpose: str


PERIODIC_JOBS: list[PeriodicJob] = []


def register(command: str, *, every: timedelta, purpose: str) -> None:
    """Add a job (once per command name; the first registration wins)."""
    if all(job.command != command for job in PERIODIC_JOBS):
        PERIODIC_JOBS.append(PeriodicJob(command, every, purpose))


# core's own job: the throttle's old windows (zhulao/core/throttle.py).
register(
    "clean_rate_counters",
    every=timedelta(hours=6),
    purpose="delete the throttle counters of windows that ended two days ago",
)
