from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhulao.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from zhulao.accounts import signals  # noqa: F401 - connects login/logout auditing
        from zhulao.accounts.roles import Role
        from zhulao.accounts.todos import todo_groups
        from zhulao.core import labels, selectors

        labels.ROLE_LABELS.update(Role.choices)
        selectors.register_todos(todo_groups)
