"""Template filters: Chinese dates, masked personal data."""

from datetime import date

from django import template

from fazhi.core.formats import cn_date
from fazhi.org.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter(name="cn_date")
def cn_date_filter(value):
    """2024年3月1日 for a date (with the time for a datetime); any other value unchanged."""
    if value is None:
        return ""
    return cn_date(value) if isinstance(value, date) else value


@register.filter
def weekday_cn(value: date) -> str:
    return "星期" + "一二三四五六日"[value.weekday()]


@register.simple_tag(takes_context=True)
def personal(context, value: str, kind: str = "id") -> str:
    """Show personal data in full only to users allowed to see it."""
    user = context["request"].user
    if not value or (user.is_authenticated and (user.may_view_personal_data or user.is_superuser)):
        return value
    return mask_phone(value) if kind == "phone" else mask_id_number(value)
