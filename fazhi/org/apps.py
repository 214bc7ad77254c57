from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "fazhi.org"
    verbose_name = "单位与人员"
