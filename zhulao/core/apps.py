from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhulao.core"
    label = "core"
    verbose_name = "Core"
