from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "fazhi.org"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from .account_events import name_account_event

        pre_save.connect(name_account_event, sender=self.get_model("User"), dispatch_uid="org.account_events")
