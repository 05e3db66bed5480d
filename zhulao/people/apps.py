from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "zhulao.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from zhulao.core import demo
        from zhulao.core.imports import specs
        from zhulao.people import demo as people_demo
        from zhulao.people import imports

        demo.register(people_demo.load)
        specs.register(imports.SPEC)
