"""django-axes with two thresholds: one per account, a higher one per client address."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes compares one count against AXES_FAILURE_LIMIT; with AXES_LOCKOUT_PARAMETERS
    ["username", "ip_address"] this gives it the account's failures, or the address's scaled so that
    FAZHI_LOGIN_ADDRESS_FAILURES of them reach the limit — whichever locks first."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.FAZHI_LOGIN_ADDRESS_FAILURES
        return max(by_account, by_address * account_limit // address_limit)


def client_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username tried, cut to axes' column (255). Django's login form does not
    enforce the username's length before authenticating, and PostgreSQL refuses a longer value (500)."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    return username[:255] if isinstance(username, str) else username
