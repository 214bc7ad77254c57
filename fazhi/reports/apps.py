from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    verbose_name = "年度报告"

    def ready(self):
        from . import registers  # noqa: F401  (declares the annual-report register)
