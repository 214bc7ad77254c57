from django.apps import AppConfig


class OnsiteConfig(AppConfig):
    name = "fazhi.onsite"
    verbose_name = "企业安静期与扫码入检"
