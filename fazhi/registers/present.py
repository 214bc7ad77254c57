"""How a register item's fields read to a person: labels for choices, names for units and people, dates
as dates, and personal data (身份证号, 电话) masked unless the viewer may see it in full. The list, the
detail page, the print view, the export and the API all present values through ``display``."""

from __future__ import annotations

from typing import Any

from django.db import models

from fazhi.org.fields import PersonalDataField
from fazhi.org.models import Person, Unit

from .spec import Register, register_for


def may_see_personal_data(viewer: Any) -> bool:
    return bool(
        viewer is not None and (getattr(viewer, "may_view_personal_data", False) or viewer.is_superuser)
    )


def _name(obj: Any) -> str:
    if isinstance(obj, Unit | Person):
        return obj.name
    spec = register_for(type(obj))
    return str(getattr(obj, spec.natural_key[0])) if spec.natural_key else str(obj)


def display(spec: Register, item: Any, field_name: str, viewer: Any = None) -> Any:
    """A field's value as ``viewer`` may read it (``viewer=None``: as someone without the right to see
    personal data in full)."""
    if field_name == "status":
        return spec.workflow.label(item.status)
    field = spec.model_field(field_name)
    if field.many_to_many:
        return "、".join(_name(obj) for obj in getattr(item, field_name).all())
    if field.choices:
        return getattr(item, f"get_{field_name}_display")()
    value = getattr(item, field_name)
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(field, models.ForeignKey):
        return "" if value is None else _name(value)
    if isinstance(field, PersonalDataField) and value and not may_see_personal_data(viewer):
        return field.mask(value)
    return "" if value is None else value
