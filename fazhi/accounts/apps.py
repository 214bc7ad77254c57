from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Login security: lockout, password policy and change, idle timeout, the TOTP second factor."""

    name = "fazhi.accounts"
    verbose_name = "账号安全"
    default_auto_field = "django.db.models.BigAutoField"
