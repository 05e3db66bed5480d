"""Background tasks of elder care: sending the outbox (retried), escalating emergencies."""

from __future__ import annotations

from django_tasks import task


@task()
def send_outbox_task() -> str:
    from zhulao.eldercare.services.notifications import send_due

    sent, failed = send_due()
    return f"sent {sent}, failed {failed}"


@task()
def escalate_emergencies_task() -> str:
    from zhulao.eldercare.services.emergencies import emergency_escalate_due

    return f"escalated {emergency_escalate_due()}"
