from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "fazhi.inspections"
    verbose_name = "双随机、一公开"

    def ready(self):
        from fazhi.core.attention import notice_source

        from . import indicators, registers  # noqa: F401  (declare this app's registers and indicators)
        from .selectors import late_results_notice

        notice_source(late_results_notice)
