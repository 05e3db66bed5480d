from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "zhulao.policy"
    label = "policy"
    verbose_name = "Policy parameters"

    def ready(self) -> None:
        from zhulao.core import selectors
        from zhulao.policy import todos

        selectors.register_todos(todos.todo_groups)
