"""The audit trail of a record, read from its django-simple-history table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models
from simple_history import utils

from .formats import cn_date

ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}
# Change reasons that say what happened to a login (``fazhi.org.accounts_audit`` records them): such a
# version changes no audited field (``last_login`` and ``password`` are not audited), so the reason is
# the entry's action.
LOGIN = "登录"
PASSWORD_CHANGE = "修改密码"
ACCOUNT_EVENTS = (LOGIN, PASSWORD_CHANGE)
EMPTY = "（空）"
NO_USER = "系统（命令行或导入）"


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


@dataclass
class _Pending:
    """A changed field whose values are not yet written out (a linked record's name is read later)."""

    label: str
    field: Any
    old: Any
    new: Any
    done: bool = False  # ``old`` and ``new`` are already the shown text (masked data, many-to-many)


def _is_link(field: Any, labels: dict[str, dict[str, str]]) -> bool:
    return (
        field is not None
        and field.name not in labels
        and not field.choices
        and field.is_relation
        and field.related_model is not None
    )


def _display(
    field: models.Field | None,
    value: Any,
    labels: dict[str, dict[str, str]],
    names: dict[Any, dict[Any, str]] | None = None,
) -> str:
    if value in (None, ""):
        return EMPTY
    if field is not None and field.name in labels:
        return labels[field.name].get(value, value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):  # and datetime
        return cn_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if _is_link(field, labels):
        assert field is not None and field.related_model is not None
        if names is None:  # not read ahead: read this one
            obj = field.related_model._default_manager.filter(pk=value).first()
            return _name(obj) if obj else f"#{value}"
        return names.get(field.related_model, {}).get(value, f"#{value}")
    if isinstance(value, list | tuple):  # a JSON list (a schedule's days)
        return "、".join(str(v) for v in value) or EMPTY
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
        names[field.name] = {pk: _name(objects[pk]) if pk in objects else f"#{pk}" for pk in ids}
    return names


def _link_names(
    pending: list[list[_Pending]], labels: dict[str, dict[str, str]]
) -> dict[Any, dict[Any, str]]:
    """The names of the records that changed links point to, one read per linked model."""
    wanted: dict[Any, set[Any]] = {}
    for changes in pending:
        for change in changes:
            if not change.done and _is_link(change.field, labels):
                ids = {v for v in (change.old, change.new) if v not in (None, "")}
                wanted.setdefault(change.field.related_model, set()).update(ids)
    return {
        model: {pk: _name(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in wanted.items()
        if ids
    }


def _name(obj: Any) -> str:
    """A linked record as people call it (a user by its display name)."""
    return str(getattr(obj, "display_name", None) or obj)


def may_view_in_full(viewer: Any) -> bool:
    """Whether ``viewer`` sees personal data (身份证号, 电话) unmasked."""
    return bool(
        viewer is not None and (getattr(viewer, "may_view_personal_data", False) or viewer.is_superuser)
    )


def _action(model: type[models.Model], record: Any, changes: list[Change]) -> tuple[str, str]:
    """The entry's action and the reason left to show beside it."""
    reason = record.history_change_reason or ""
    if record.history_type == "~" and reason in ACCOUNT_EVENTS:
        return reason, ""
    if (
        record.history_type == "~"
        and not changes
        and not reason
        and model._meta.label == settings.AUTH_USER_MODEL
        and record.history_user_id == getattr(record, model._meta.pk.attname)
    ):
        # a version from before logins were named: a user saving itself with no audited field changed
        # is what Django's login does (it saves only last_login, which is not audited)
        return LOGIN, ""
    return ACTIONS.get(record.history_type, record.history_type), reason


def history_entries(
    model: type[models.Model],
    pairs: Sequence[tuple[Any, Any | None]],
    labels: dict[str, dict[str, str]] | None = None,
    *,
    viewer: Any = None,
) -> list[AuditEntry]:
    """An entry for each (history record, the version before it or None) of ``model``, in that order,
    with what changed field by field.

    Reads are per table, not per record: the versions' many-to-many links once per field, the names of
    linked records once per linked model. ``labels`` names the values of fields whose choices live
    outside the model (a register's workflow states, say): {field name: {value: 中文}}. Personal data
    (身份证号, 电话) is masked, before and after, unless ``viewer`` may see it in full."""
    from fazhi.org.fields import PersonalDataField

    labels = labels or {}
    in_full = may_view_in_full(viewer)
    model_fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    tracked = {f.name for f in getattr(utils.get_history_model_for_model(model), "_history_m2m_fields", [])}
    many = [f for f in model._meta.many_to_many if f.name in tracked]  # tracked many-to-many fields
    versions = list({r.pk: r for pair in pairs for r in pair if r is not None}.values())
    links = _links(many, versions)  # every version's links, one read per field
    linked = _linked_names(many, links)
    pending: list[list[_Pending]] = []
    for record, previous in pairs:
        changes: list[_Pending] = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=[f.name for f in many])
            for field in many:
                old_ids, new_ids = (links[field.name].get(r.pk, frozenset()) for r in (previous, record))
                if old_ids != new_ids:
                    old, new = ("、".join(sorted(linked[field.name][pk] for pk in ids)) or EMPTY
                                for ids in (old_ids, new_ids))  # fmt: skip
                    changes.append(_Pending(str(field.verbose_name), field, old, new, done=True))
            for change in delta.changes:
                changed = model_fields.get(change.field)
                label = str(getattr(changed, "verbose_name", change.field))
                if isinstance(changed, PersonalDataField) and not in_full:
                    old, new = (changed.mask(v) if v else EMPTY for v in (change.old, change.new))
                    changes.append(_Pending(label, changed, old, new, done=True))
                else:
                    changes.append(_Pending(label, changed, change.old, change.new))
        pending.append(changes)
    names = _link_names(pending, labels)
    entries = []
    for (record, _previous), changes in zip(pairs, pending, strict=True):
        shown = [
            Change(c.label, c.old, c.new)
            if c.done
            else Change(
                c.label, _display(c.field, c.old, labels, names), _display(c.field, c.new, labels, names)
            )
            for c in changes
        ]
        action, reason = _action(model, record, shown)
        user = record.history_user
        entries.append(
            AuditEntry(
                at=record.history_date,
                user=(user.display_name if user else NO_USER),
                action=action,
                changes=shown,
                reason=reason,
            )
        )
    return entries


def audit_trail(
    obj: models.Model, labels: dict[str, dict[str, str]] | None = None, *, viewer: Any = None
) -> list[AuditEntry]:
    """Every recorded version of ``obj``, newest first, with what changed from the one before.

    ``labels`` names the values of fields whose choices live outside the model (a register's workflow
    states, say): {field name: {value: 中文}}. Personal data (身份证号, 电话) is masked, before and after,
    unless ``viewer`` may see it in full."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))  # type: ignore[attr-defined]
    pairs = [(record, records[i + 1] if i + 1 < len(records) else None) for i, record in enumerate(records)]
    return history_entries(type(obj), pairs, labels, viewer=viewer)


def stamp_actor(instance: models.Model, actor: Any) -> None:
    """Record ``actor`` as the author of the next saved version (outside requests too: CLI, imports)."""
    instance._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
