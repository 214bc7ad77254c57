"""Demo accounts: every one shares the published demo password, so production makes each change it."""

from fazhi.org.models import User

from .services import require_password_change


def build(ctx) -> None:
    require_password_change(User.objects.values_list("pk", flat=True))
