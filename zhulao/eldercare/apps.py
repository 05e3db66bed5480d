from django.apps import AppConfig


class EldercareConfig(AppConfig):
    name = "zhulao.eldercare"
    label = "eldercare"
    verbose_name = "Elder care"

    def ready(self) -> None:
        from datetime import timedelta

        from zhulao.core import demo, notify, periodic
        from zhulao.core import selectors as core_selectors
        from zhulao.core.imports import specs
        from zhulao.eldercare import demo as eldercare_demo
        from zhulao.eldercare import imports, selectors
        from zhulao.eldercare.selectors.todos_urgent import helper_home
        from zhulao.eldercare.services import notifications

        core_selectors.register_todos(selectors.todo_groups)
        core_selectors.register_home(helper_home)
        notify.register(notifications.notify)
        demo.register(eldercare_demo.load)
        specs.register(imports.SPEC)
        periodic.register(
            "escalate_emergencies",
            every=timedelta(minutes=1),
            purpose="move unacknowledged emergencies up the ladder; send the outbox",
        )
        periodic.register(
            "sample_confirmation_calls",
            every=timedelta(hours=6),
            purpose="draw last month's confirmation-call sample (once per month)",
        )
        periodic.register(
            "notify_overdue_visits",
            every=timedelta(hours=6),
            purpose="remind helpers and village committees of overdue visits (once a day)",
        )
        periodic.register(
            "notify_todos", every=timedelta(hours=6), purpose="the daily digest of each user's workbench to-dos"
        )
