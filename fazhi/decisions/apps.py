from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fazhi.decisions"
    verbose_name = "依法决策与规范性文件"

    def ready(self):
        from . import registers  # noqa: F401  (declares this app's registers)
