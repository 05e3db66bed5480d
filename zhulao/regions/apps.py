from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "zhulao.regions"
    label = "regions"
    verbose_name = "Regions"
