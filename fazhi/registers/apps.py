from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "fazhi.registers"
    verbose_name = "台账通用功能"
