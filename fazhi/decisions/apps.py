from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fazhi.decisions"
    verbose_name = "依法决策与规范性文件"

    def ready(self):
        from . import indicators, registers  # noqa: F401  (declare this app's registers and indicators)
