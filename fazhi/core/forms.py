from django import forms
from django.core.exceptions import ValidationError


def apply_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field exists, else on top."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def year_param(raw: str | None, *, default: int, latest: int) -> int:
    """The year a page was asked for (?year=2024), or ``default`` when it is missing or not a year
    between 2000 and ``latest``."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= latest else default
