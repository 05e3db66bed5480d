from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "zhulao.policy"
    label = "policy"
    verbose_name = "Policy parameters"
