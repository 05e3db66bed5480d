"""Give the candidates already qualified or on a notice their standing (拟聘 / 候补), per post.

Before standings existed a one-place post could carry several candidates on one notice. Per post, in the
eligibility engine's priority order (priority group recorded at qualification, then application time), the
first candidate takes the place if the post is vacant and every other one becomes a reserve in that order.
Reversing leaves the standings in place (they are harmless to the older code)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

NO_PRIORITY = 99


def _group(application: Any) -> int:
    group = (application.eligibility or {}).get("priority", {}).get("group")
    return group if isinstance(group, int) and not isinstance(group, bool) else NO_PRIORITY


def rank(apps: Any, schema_editor: Any) -> None:
    Application = apps.get_model("posts", "Application")
    Placement = apps.get_model("posts", "Placement")
    rows = Application.objects.filter(status__in=["qualified", "in_notice"], standing="").order_by("post_id")
    by_post: dict[int, list[Any]] = {}
    for application in rows:
        by_post.setdefault(application.post_id, []).append(application)
    for post_id, candidates in by_post.items():
        free = 0 if Placement.objects.filter(post_id=post_id, ended_on__isnull=True).exists() else 1
        candidates.sort(key=lambda a: (_group(a), a.applied_at, a.pk))
        reserve = 0
        for index, application in enumerate(candidates):
            if index < free:
                application.standing, application.reserve_order = "proposed", None
            else:
                reserve += 1
                application.standing, application.reserve_order = "reserve", reserve
            application.save(update_fields=["standing", "reserve_order"])


class Migration(migrations.Migration):
    dependencies = [("posts", "0004_application_standing")]

    operations = [migrations.RunPython(rank, migrations.RunPython.noop)]
