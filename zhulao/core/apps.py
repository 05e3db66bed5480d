from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhulao.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from zhulao.core import selectors, todos

        selectors.register_todos(todos.audit_groups)
