from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "fazhi.discretion"
    label = "discretion"
    verbose_name = "行政裁量权基准"

    def ready(self):
        from . import registers  # noqa: F401  (declare this app's registers)
