"""The audit trail of a record, read from its django-simple-history table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from simple_history import utils

from .formats import cn_date

ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user: str
    action: str
    changes: list[Change]
    reason: str


def _display(field: models.Field | None, value: Any, labels: dict[str, dict[str, str]]) -> str:
    if value in (None, ""):
        return "（空）"
    if field is not None and field.name in labels:
        return labels[field.name].get(value, value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):  # and datetime
        return cn_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.is_relation and field.related_model is not None:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    return str(value)


def _links(many: list[Any], records: list[Any]) -> dict[str, dict[int, frozenset[int]]]:
    """{field: {history id: linked ids}} for every version, one read of each field's history table."""
    found: dict[str, dict[int, frozenset[int]]] = {}
    for field in many:
        found[field.name] = {}
        if not records:
            continue
        table = getattr(records[0], field.name).model  # the field's history rows (one per link per version)
        target = f"{utils.get_m2m_reverse_field_name(field)}_id"
        pairs: dict[int, set[int]] = {}
        for history_id, pk in table.objects.filter(history__in=records).values_list("history_id", target):
            pairs.setdefault(history_id, set()).add(pk)
        found[field.name] = {history_id: frozenset(ids) for history_id, ids in pairs.items()}
    return found


def _linked_names(many: list[Any], links: dict[str, dict[int, frozenset[int]]]) -> dict[str, dict[int, str]]:
    """The names of everything any version linked to, one read per many-to-many field."""
    names = {}
    for field in many:
        ids = set().union(*links[field.name].values())
        objects = field.related_model._default_manager.in_bulk(ids)
        names[field.name] = {pk: str(objects[pk]) if pk in objects else f"#{pk}" for pk in ids}
    return names


def audit_trail(
    obj: models.Model, labels: dict[str, dict[str, str]] | None = None, *, viewer: Any = None
) -> list[AuditEntry]:
    """Every recorded version of ``obj``, newest first, with what changed from the one before.

    ``labels`` names the values of fields whose choices live outside the model (a register's workflow
    states, say): {field name: {value: 中文}}. Personal data (身份证号, 电话) is masked, before and after,
    unless ``viewer`` may see it in full."""
    from fazhi.org.fields import PersonalDataField

    labels = labels or {}
    entries = []
    model_fields = {f.name: f for f in obj._meta.get_fields() if hasattr(f, "verbose_name")}
    in_full = bool(
        viewer is not None and (getattr(viewer, "may_view_personal_data", False) or viewer.is_superuser)
    )
    history = obj.history.model
    tracked = {f.name for f in getattr(history, "_history_m2m_fields", [])}
    many = [f for f in obj._meta.many_to_many if f.name in tracked]  # tracked many-to-many fields
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    links = _links(many, records)  # every version's links, one read per field
    linked = _linked_names(many, links)
    for i, record in enumerate(records):
        changes: list[Change] = []
        previous = records[i + 1] if i + 1 < len(records) else None  # one read, not one per version
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=[f.name for f in many])
            for field in many:
                old_ids, new_ids = (links[field.name].get(r.pk, frozenset()) for r in (previous, record))
                if old_ids != new_ids:
                    old, new = ("、".join(sorted(linked[field.name][pk] for pk in ids)) or "（空）"
                                for ids in (old_ids, new_ids))  # fmt: skip
                    changes.append(Change(str(field.verbose_name), old, new))
            for change in delta.changes:
                field = model_fields.get(change.field)
                label = str(getattr(field, "verbose_name", change.field))
                if isinstance(field, PersonalDataField) and not in_full:
                    old, new = (field.mask(v) if v else "（空）" for v in (change.old, change.new))
                else:
                    old, new = _display(field, change.old, labels), _display(field, change.new, labels)
                changes.append(Change(label, old, new))
        user = record.history_user
        entries.append(
            AuditEntry(
                at=record.history_date,
                user=(user.display_name if user else "系统（命令行或导入）"),
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def stamp_actor(instance: models.Model, actor: Any) -> None:
    """Record ``actor`` as the author of the next saved version (outside requests too: CLI, imports)."""
    instance._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
