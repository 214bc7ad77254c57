from django.apps import AppConfig


class OnsiteConfig(AppConfig):
    name = "fazhi.onsite"
    verbose_name = "企业安静期与扫码入检"

    def ready(self):
        from fazhi.core.attention import notice_source

        from .selectors import quiet_period_notice

        notice_source(quiet_period_notice)
