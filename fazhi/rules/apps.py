from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "fazhi.rules"
    verbose_name = "规则"
