"""How Fazhi writes values for people: dates as 2024年3月1日, figures without trailing zeros."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone


def cn_date(value: date | datetime) -> str:
    """2024年3月1日 (with the time for a datetime, in local time)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


def plain_number(value: Decimal) -> str:
    """100, 72.2, 0.5: no trailing zeros, no exponent, as reports write figures."""
    return f"{value.normalize():f}"
