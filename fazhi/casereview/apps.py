from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "fazhi.casereview"
    label = "casereview"
    verbose_name = "行政执法案卷评查"

    def ready(self):
        from . import indicators, registers  # noqa: F401  (declare this app's registers and indicators)
