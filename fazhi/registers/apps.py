from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "fazhi.registers"
    verbose_name = "台账通用功能"

    def ready(self) -> None:
        # the lower layers announce changes; the registers own their deadlines and queue the refresh
        from fazhi.rules.signals import rules_changed
        from fazhi.workdays.signals import schedules_changed

        from . import checks  # noqa: F401  (registers the start-up checks of every declaration)
        from .tasks import queue_deadline_refresh

        rules_changed.connect(queue_deadline_refresh, dispatch_uid="registers.refresh_deadlines.rules")
        schedules_changed.connect(
            queue_deadline_refresh, dispatch_uid="registers.refresh_deadlines.schedules"
        )
