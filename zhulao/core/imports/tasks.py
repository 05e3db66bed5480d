"""Background work of imports: a thin task that takes a job id and calls the service."""

from __future__ import annotations

from django_tasks import task


@task()
def import_run_task(job_id: int) -> None:
    """Run import job ``job_id`` (queued by ``services.import_start`` for larger files)."""
    from zhulao.core.imports import services  # services queues this task: import it at call time

    services.import_run(job_id=job_id)
