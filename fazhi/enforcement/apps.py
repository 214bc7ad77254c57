from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    verbose_name = "行政执法人员与执法证"

    def ready(self):
        from fazhi.core.attention import notice_source

        from . import indicators, registers  # noqa: F401  (declare this app's registers and indicators)
        from .selectors import closed_unpublished_notice

        notice_source(closed_unpublished_notice)
