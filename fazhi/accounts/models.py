"""Per-user security state kept apart from ``org.User`` (whose table other work changes)."""

from django.conf import settings
from django.db import models


class AccountSecurity(models.Model):
    """Whether a user must choose a new password before anything else (a demo or an issued password)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security", verbose_name="用户"
    )
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号安全状态"
        verbose_name_plural = "账号安全状态"

    def __str__(self) -> str:
        return str(self.user)
