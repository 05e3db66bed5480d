from django.apps import AppConfig


class EldercareConfig(AppConfig):
    name = "zhulao.eldercare"
    label = "eldercare"
    verbose_name = "Elder care"

    def ready(self) -> None:
        from zhulao.core import demo
        from zhulao.core import selectors as core_selectors
        from zhulao.core.imports import specs
        from zhulao.eldercare import demo as eldercare_demo
        from zhulao.eldercare import imports, selectors

        core_selectors.register_todos(selectors.todo_groups)
        demo.register(eldercare_demo.load)
        specs.register(imports.SPEC)
