from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "zhulao.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from zhulao.core import demo
        from zhulao.core import selectors as core_selectors
        from zhulao.core.imports import specs
        from zhulao.people import demo as people_demo
        from zhulao.people import imports, selectors

        demo.register(people_demo.load)
        core_selectors.register_todos(selectors.todo_groups)
        specs.register(imports.SPEC)
