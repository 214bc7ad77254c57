"""Writes shared by every register: create, edit, move through the workflow, attach files, recompute
deadlines. Every entry path (pages, the CLI, the Excel import, tasks, later the API) goes through these
functions, so each write gets the same checks and the same Chinese messages:

- ``validate`` is the one validation of an item (its model's rules, dates not in the future, its natural
  key unique in its unit, linked people and records within the writer's scope);
- the workflow owns the state: a new item starts in the initial state, and one given in a later state
  (an import of a historical record) replays the steps that lead there, each step's legal precondition
  included; only ``item_transition`` changes the state of a stored item, under a row lock;
- an edit or a step read at an older version than the stored one is refused (``StaleEdit``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction

from fazhi.core.audit import stamp_actor
from fazhi.core.formats import cn_date
from fazhi.indicators.services import data_changed
from fazhi.indicators.summary import dated, dependents, touched_years
from fazhi.org.models import Person, Unit, User
from fazhi.org.selectors import ancestor_chains, ancestor_ids
from fazhi.rules.services import batch as rules_batch

from . import deadlines
from .models import Attachment, StatusChange
from .spec import REGISTRY, Child, Register, is_register_model, register_for
from .workflow import Step

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Allowed attachment types and the bytes such a file starts with (a renamed .exe is refused).
ATTACHMENT_MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".ofd": (b"PK",),
    ".zip": (b"PK",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8",),
    ".jpeg": (b"\xff\xd8",),
    ".png": (b"\x89PNG",),
    ".txt": (b"",),
}


REQUIRED = "必填，不能为空"  # one message for an empty required field, on the form and in an import


class StaleEdit(ValidationError):
    """The item changed since the writer read it: nothing was saved. ``changes`` lists what the others
    changed as (field label, value read, value now); ``version`` is the stored version to retry from."""

    def __init__(self, message: str, *, version: int, changes: list[tuple[str, str, str]]):
        super().__init__(message)
        self.version = version
        self.changes = changes


def _check_can_write(actor: User, unit_id: int | None, scope_ids: Iterable[int]) -> None:
    if not actor.can_edit:
        raise PermissionDenied("只读用户不能修改台账。")
    if unit_id not in set(scope_ids):
        raise PermissionDenied("该事项的所属单位不在您的权限范围内。")


# -- the one validation ---------------------------------------------------------------------------
def natural_key(spec: Register, item: Any) -> tuple | None:
    if not spec.natural_key:
        return None
    return (item.unit_id, *(getattr(item, spec.model_field(f).attname) for f in spec.natural_key))


def duplicate_message(spec: Register, item: Any) -> str:
    values = "、".join(f"{spec.header(f)}“{getattr(item, f)}”" for f in spec.natural_key)
    return f"本单位已有{values}的{spec.item_label}，不能重复登记。"


def _linked_units(spec: Register, item: Any, before: Any | None) -> dict[str, int | None]:
    """The owning unit of every person or register record the item links to and that changed."""
    units: dict[str, int | None] = {}
    for model_field in spec.model._meta.concrete_fields:
        if not isinstance(model_field, models.ForeignKey) or model_field.name == "unit":
            continue
        related = model_field.related_model
        if related is not Person and not is_register_model(related):
            continue
        value_id = getattr(item, model_field.attname)
        if value_id is None or (before is not None and getattr(before, model_field.attname) == value_id):
            continue  # an unchanged link is kept even where the writer could not choose it
        target = getattr(item, model_field.name)
        units[model_field.name] = target.unit_id
    return units


def validate(
    spec: Register,
    item: Any,
    *,
    scope_ids: Iterable[int],
    before: Any | None = None,
    known_keys: set[tuple] | None = None,
) -> None:
    """Every check of one item, the same on every entry path; raises ValidationError by field.

    ``before`` is the stored item an edit starts from (unchanged links are not re-checked);
    ``known_keys`` are the natural keys already taken, when a bulk caller read them once."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    foreign = [f.name for f in spec.model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    try:  # links are checked below against the scope, not one query each
        item.full_clean(exclude=foreign, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                add(name, message)
    if item.status not in spec.workflow.states:
        add("status", f"“{item.status}”不是{spec.item_label}的状态。")
    now = deadlines.today()
    for column in spec.columns:
        model_field = spec.model_field(column.field)
        value = getattr(item, column.field, None) if not model_field.many_to_many else None
        if isinstance(model_field, models.DateField) and not column.planned and value and value > now:
            add(column.field, f"{spec.header(column.field)}（{cn_date(value)}）不能晚于今天。")
    scope = set(scope_ids)
    for name, unit_id in _linked_units(spec, item, before).items():
        if unit_id not in scope and not _adopted_above(spec, name, item, unit_id):
            add(name, f"所选{spec.header(name)}不在您的权限范围内。")
    key = natural_key(spec, item)
    if before is not None and key == natural_key(spec, before):
        key = None  # unchanged: it was unique when stored, and the constraint keeps it so
    if key is not None and not errors:
        if known_keys is not None:
            taken = key in known_keys
        else:
            lookup = {f: getattr(item, f) for f in spec.natural_key}
            taken = (
                spec.model._default_manager.filter(unit_id=item.unit_id, **lookup)
                .exclude(pk=item.pk)
                .exists()
            )
        if taken:
            add(spec.natural_key[0], duplicate_message(spec, item))
    if errors:
        raise ValidationError(errors)


def _adopted_above(spec: Register, name: str, item: Any, unit_id: int | None) -> bool:
    """Whether a linked record outside the scope belongs to a unit above the item's own, in a register
    whose items the units below may rely on (``Register.linkable_below``)."""
    related = spec.model_field(name).related_model
    if unit_id is None or item.unit_id is None or not is_register_model(related):
        return False
    return register_for(related).linkable_below and unit_id in ancestor_ids(item.unit)


def linkable_unit_ids(model: type[models.Model], scope_ids: Iterable[int]) -> list[int]:
    """The units whose records of ``model`` a writer in ``scope_ids`` may link to: the scope, and for a
    ``linkable_below`` register the units above it too."""
    scope = list(scope_ids)
    if not (is_register_model(model) and register_for(model).linkable_below):
        return scope
    parents = (
        Unit.objects.filter(pk__in=scope, parent__isnull=False)
        .exclude(parent_id__in=scope)
        .values_list("parent_id", flat=True)
    )
    above = {pk for chain in ancestor_chains(list(parents)).values() for pk in chain}
    return scope + sorted(above - set(scope))


# -- the workflow ---------------------------------------------------------------------------------
def _missing(spec: Register, item: Any, step: Step) -> list[str]:
    names = ((step.date_field,) if step.date_field else ()) + step.requires
    return [spec.header(f) for f in names if getattr(item, f) in (None, "")]


def step_refusal(spec: Register, item: Any, step: Step) -> str:
    """Why ``step`` does not apply to ``item`` (its ``when``), in the clerk's words."""
    name = step.when[0] if step.when else ""
    value = getattr(item, name)
    if isinstance(value, date):
        return f"该{spec.item_label}已有{spec.header(name)}（{cn_date(value)}），不再办理“{step.label}”。"
    shown = dict(spec.model_field(name).flatchoices).get(value, value)
    return f"{spec.header(name)}为“{shown}”的{spec.item_label}不办理“{step.label}”。"


def _may_apply(item: Any, step: Step) -> bool:
    """In a replay, on the item's final values: the step applies; or it fills the field its ``when``
    reads (公示 while no 公示日期 is recorded: the row holds the date this step recorded); or that field
    is not filled in yet (the row is then told to fill it in, not that the step does not apply)."""
    if step.applies_to(item) or step.when is None:
        return True
    return step.when[0] in step.fields or getattr(item, step.when[0]) in (None, "")


def _apply_step(spec: Register, item: Any, step: Step, on: date, *, replaying: bool = False) -> None:
    """Fill in the step's date, check its required fields, run its legal precondition, move the state."""
    if not (_may_apply(item, step) if replaying else step.applies_to(item)):
        raise ValidationError(step_refusal(spec, item, step))
    if step.date_field:
        setattr(item, step.date_field, on)
    if missing := _missing(spec, item, step):
        raise ValidationError(f"“{step.label}”需要填写：{'、'.join(missing)}。")
    if step.effect:
        step.effect(item, on)
    item.status = step.to


def _replay_path(spec: Register, item: Any, target: str) -> tuple[Step, ...]:
    """The steps from the initial state to ``target`` that the item's own fields allow: the shortest
    that uses every step date it has and every field only a dateless step fills (暂缓或退回理由);
    a ValidationError on ``status`` says what is missing or what does not belong."""
    workflow = spec.workflow
    steps = [s for steps in workflow.steps.values() for s in steps]
    dated = {s.date_field for s in steps if s.date_field}
    only_dateless = {f for s in steps if not s.date_field for f in s.requires} - {
        f for s in steps if s.date_field for f in s.requires
    }
    filled_dates = {f for f in dated if getattr(item, f) is not None}
    filled_other = {f for f in only_dateless if getattr(item, f) not in (None, "")}
    paths = workflow.paths_to(target)
    if not paths:
        raise ValidationError({"status": f"{spec.item_label}不能处于“{workflow.label(target)}”状态。"})
    applicable = [p for p in paths if all(_may_apply(item, s) for s in p)]
    if not applicable:
        blocked = next(s for s in paths[0] if not s.applies_to(item))
        raise ValidationError({"status": step_refusal(spec, item, blocked)})
    feasible = [p for p in applicable if not any(_missing(spec, item, s) for s in p)]

    def uses(path: tuple[Step, ...]) -> set[str]:
        return {f for s in path for f in s.fields}

    for wanted in (filled_dates | filled_other, filled_dates):
        for path in feasible:
            if wanted <= uses(path):
                return path
    if feasible:
        unused = filled_dates - uses(feasible[0])
        extra = "、".join(spec.header(f) for f in sorted(unused))
        skipped = next(
            (s for p in paths for s in p if not s.applies_to(item) and s.date_field in unused), None
        )
        if skipped is not None:  # the date of a step this item does not take
            why = step_refusal(spec, item, skipped).rstrip("。")
            raise ValidationError({"status": f"{why}，不应有{extra}。"})
        raise ValidationError(
            {"status": f"状态为“{workflow.label(target)}”的{spec.item_label}不应有{extra}（该步骤未办理）。"}
        )
    shortest = applicable[0]
    missing = list(dict.fromkeys(m for s in shortest for m in _missing(spec, item, s)))
    names = "→".join(f"“{s.label}”" for s in shortest)
    raise ValidationError(
        {"status": f"状态为“{workflow.label(target)}”须依次办理{names}，请填写：{'、'.join(missing)}。"}
    )


def _start_date(spec: Register, item: Any) -> date:
    start = getattr(item, spec.year_field, None) if spec.year_field else None
    return start or deadlines.today()


@dataclass
class Pending:
    """A new item checked and brought to its state in memory, with the timeline to write."""

    item: Any
    changes: list[tuple[str, str, str, date | None]] = field(default_factory=list)  # from, to, label, on


def prepare_new(
    spec: Register,
    item: Any,
    *,
    actor: User,
    scope_ids: Iterable[int],
    note: str = "登记",
    known_keys: set[tuple] | None = None,
) -> Pending:
    """Check a new item and bring it to its state without writing anything. An item given in a later
    state (an imported historical record) replays the steps that lead there, so their legal
    preconditions hold; otherwise it starts in the initial state."""
    scope_ids = list(scope_ids)
    _check_can_write(actor, item.unit_id, scope_ids)
    workflow = spec.workflow
    target = item.status or workflow.initial
    if target not in workflow.states:
        raise ValidationError({"status": f"“{target}”不是{spec.item_label}的状态。"})
    item.status = workflow.initial
    validate(spec, item, scope_ids=scope_ids, known_keys=known_keys)
    pending = Pending(item, [("", workflow.initial, note, None)])
    if target != workflow.initial:
        last = _start_date(spec, item)
        for step in _replay_path(spec, item, target):
            on = getattr(item, step.date_field) if step.date_field else last
            before = item.status
            try:
                _apply_step(spec, item, step, on, replaying=True)
            except ValidationError as exc:
                raise ValidationError({"status": [f"“{step.label}”：{m}" for m in exc.messages]}) from None
            pending.changes.append((before, step.to, step.label, on if step.date_field else None))
            last = on
        item.clean()  # the model's own rules again, on the values the steps set
    refresh_deadline(spec, item)
    return pending


def _record(item: Any, actor: User, changes: Sequence[tuple[str, str, str, date | None]], note: str = ""):
    content_type = ContentType.objects.get_for_model(item)
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                content_type=content_type, object_id=item.pk, from_status=old, to_status=new,
                label=label, on=on, by=actor, note=note[:300],
            )
            for old, new, label, on in changes
        ]
    )  # fmt: skip


def _figures_changed(spec: Register, *items: Any) -> None:
    """Tell the indicators which units and years of this register's table the write touched, and of
    the tables whose figures look through a link at the fields that changed (a document counts as
    reviewed by its review's opinion date)."""
    present = [i for i in items if i is not None]
    figures_changed_bulk(spec, present)
    if len(present) == 2 and present[0].pk == present[1].pk:
        before, after = present
        for model, link, fields in dependents(spec.model):
            if any(getattr(before, f, None) != getattr(after, f, None) for f in fields):
                rows = list(
                    model._default_manager.filter(**{f"{link}_id": after.pk}).values("unit_id", *dated(model))
                )
                if rows:
                    linked = [SimpleNamespace(**r) for r in rows]
                    data_changed(model, {r.unit_id for r in linked}, touched_years(model, linked))


def _save(spec: Register, item: Any) -> None:
    """Save, turning a violated natural key (a concurrent writer took it first) into the field's message;
    the caller's transaction is then rolled back."""
    try:
        item.save()
    except IntegrityError as exc:
        if spec.natural_key and "unique" in str(exc).lower():
            raise ValidationError({spec.natural_key[0]: duplicate_message(spec, item)}) from exc
        raise ValidationError(
            f"{spec.item_label}的数据不符合规定（{exc.__class__.__name__}），未保存。"
        ) from exc


def figures_changed_bulk(spec: Register, items: Sequence[Any]) -> None:
    """After many new rows of one register (an import): one recount of their units and years."""
    data_changed(spec.model, {i.unit_id for i in items}, touched_years(spec.model, items))


def _set_related(item: Any, related: dict[str, Any] | None) -> None:
    for name, values in (related or {}).items():
        getattr(item, name).set(values)


def _check_children(spec: Register, children: dict[Child, list] | None) -> None:
    """Child rows are checked with their model's rules before anything is written."""
    for child, rows in (children or {}).items():
        for n, row in enumerate(rows, start=1):
            try:
                row.full_clean(exclude=[child.fk])
            except ValidationError as exc:
                raise ValidationError([f"{child.label}第{n}行：{m}" for m in exc.messages]) from None


def _save_children(item: Any, children: dict[Child, list] | None, actor: User) -> None:
    """The item's child rows become exactly ``rows`` (kept ones updated, others removed)."""
    for child, rows in (children or {}).items():
        kept = [r.pk for r in rows if r.pk]
        for gone in child.model._default_manager.filter(**{child.fk: item}).exclude(pk__in=kept):
            stamp_actor(gone, actor)
            gone.delete()
        for row in rows:
            setattr(row, child.fk, item)
            stamp_actor(row, actor)
            row.save()


@transaction.atomic
def item_create(
    spec: Register,
    item: Any,
    *,
    actor: User,
    scope_ids: Iterable[int],
    note: str = "登记",
    related: dict[str, Any] | None = None,
    children: dict[Child, list] | None = None,
):
    """Register a new item (in its initial state, or replayed to the state it was given);
    ``related`` sets many-to-many fields ({name: objects}), ``children`` its child rows."""
    scope_ids = list(scope_ids)
    pending = prepare_new(spec, item, actor=actor, scope_ids=scope_ids, note=note)
    check_related(spec, related, scope_ids, current=None, item=item)
    _check_children(spec, children)
    item.version = 1
    stamp_actor(item, actor)
    _save(spec, item)
    _set_related(item, related)
    _save_children(item, children, actor)
    _record(item, actor, pending.changes)
    _figures_changed(spec, item)
    return item


def check_related(
    spec: Register,
    related: dict[str, Any] | None,
    scope_ids: Iterable[int],
    current: Any,
    *,
    item: Any | None = None,
):
    """People or records newly linked through a many-to-many field must be within the scope; then the
    register's own ``check_related(item, values)`` sees the item with every many-to-many value it will
    have (those given, else the stored ones of ``current``)."""
    scope = set(scope_ids)
    for name, linked in (related or {}).items():
        kept = set(getattr(current, name).values_list("pk", flat=True)) if current is not None else set()
        if any(v.pk not in kept and v.unit_id not in scope for v in linked):
            raise ValidationError({name: f"所选{spec.header(name)}不在您的权限范围内。"})
    if spec.check_related is None or item is None:
        return
    values: dict[str, list] = {}
    for column in spec.columns:
        if not spec.model_field(column.field).many_to_many:
            continue
        if related is not None and column.field in related:
            values[column.field] = list(related[column.field])
        elif current is not None:
            values[column.field] = list(getattr(current, column.field).all())
        else:
            values[column.field] = []
    spec.check_related(item, values)


def _locked(spec: Register, pk: int) -> Any:
    return spec.model._default_manager.select_for_update().select_related("unit").get(pk=pk)


def _stale(spec: Register, current: Any, read_version: int) -> StaleEdit:
    """What others changed since ``read_version``, from the item's audit history."""
    history = current.history.filter(version__gte=read_version).order_by("history_date", "history_id")
    records = list(history.select_related("history_user"))
    read = next((r for r in records if r.version == read_version), None)
    later = [r for r in records if r.version > read_version] or records[-1:]
    who = (
        "、".join(dict.fromkeys((r.history_user.display_name if r.history_user else "系统") for r in later))
        or "其他用户"
    )
    when = later[-1].history_date if later else None
    changes = []
    if read is not None and later:
        for change in later[-1].diff_against(read).changes:
            if change.field in ("version", "updated_at") or change.field.startswith("due_"):
                continue
            changes.append((spec.header(change.field), _plain(change.old), _plain(change.new)))
    at = f"于{cn_date(when)}" if when else ""  # a datetime: 2026年12月2日 05:56, in local time
    fields = "、".join(c[0] for c in changes)
    message = (
        f"保存失败：您打开后，该{spec.item_label}已被{who}{at}修改"
        + (f"（{fields}）" if fields else "")
        + "。您填写的内容仍在表单中，请核对对方的修改后再保存。"
    )
    return StaleEdit(message, version=current.version, changes=changes)


def _plain(value: Any) -> str:
    if value in (None, ""):
        return "（空）"
    if isinstance(value, date):
        return cn_date(value)
    return str(value)


@transaction.atomic
def item_update(
    spec: Register,
    item: Any,
    *,
    actor: User,
    scope_ids: Iterable[int],
    read_version: int | None = None,
    related: dict[str, Any] | None = None,
    children: dict[Child, list] | None = None,
):
    """Save an edit of ``item``. Refused when the item changed since ``read_version`` (StaleEdit), when
    the state or a field only a workflow step fills in would change, or when a check fails."""
    scope_ids = list(scope_ids)
    current = _locked(spec, item.pk)
    _check_can_write(actor, current.unit_id, scope_ids)
    _check_can_write(actor, item.unit_id, scope_ids)
    if read_version is not None and current.version != read_version:
        raise _stale(spec, current, read_version)
    if item.status != current.status:
        raise ValidationError({"status": "状态只能通过办理步骤改变。"})
    for name in sorted(spec.workflow.owned_fields):
        attname = spec.model_field(name).attname
        if getattr(item, attname) != getattr(current, attname):
            raise ValidationError({name: f"{spec.header(name)}只能在办理步骤中填写，不能在编辑中修改。"})
    validate(spec, item, scope_ids=scope_ids, before=current)
    check_related(spec, related, scope_ids, current, item=item)
    _check_children(spec, children)
    refresh_deadline(spec, item)
    item.version = current.version + 1
    stamp_actor(item, actor)
    _save(spec, item)
    _set_related(item, related)
    _save_children(item, children, actor)
    _figures_changed(spec, current, item)  # an item moved to another unit or year changes both
    return item


@transaction.atomic
def item_transition(
    spec: Register,
    item: Any,
    to: str,
    *,
    actor: User,
    scope_ids: Iterable[int],
    on: date,
    values: dict | None = None,
    note: str = "",
    expected_status: str | None = None,
):
    """Move ``item`` one step along its workflow, recording the step's date and required fields.

    The row is locked; the step runs only from the state the writer saw (``expected_status``, default
    the item's state as read), so of two concurrent steps one wins and the other is told why."""
    scope_ids = list(scope_ids)
    current = _locked(spec, item.pk)
    _check_can_write(actor, current.unit_id, scope_ids)
    seen = expected_status or item.status
    if current.status != seen:
        last = (
            StatusChange.objects.filter(
                content_type=ContentType.objects.get_for_model(current), object_id=current.pk
            )
            .select_related("by")
            .last()
        )
        who = last.by.display_name if last else "其他用户"
        raise ValidationError(
            f"该{spec.item_label}已由{who}办理为“{spec.workflow.label(current.status)}”，"
            "本次操作未执行。请刷新页面查看后再办理。"
        )
    step = spec.workflow.step(current.status, to)
    if step is None:
        raise ValidationError(
            f"“{spec.workflow.label(current.status)}”状态下不能执行“{spec.workflow.label(to)}”。"
        )
    if on > deadlines.today():
        raise ValidationError({"on": f"办理日期（{cn_date(on)}）不能晚于今天。"})
    if step.actor_rule:
        step.actor_rule(current, actor)
    before = _snapshot(current)
    for name, value in (values or {}).items():
        if name not in step.fields:
            raise ValidationError(f"“{step.label}”不能填写{spec.header(name)}。")
        setattr(current, name, value)
    old = current.status
    _apply_step(spec, current, step, on)
    validate(spec, current, scope_ids=scope_ids, before=before)
    check_related(spec, None, scope_ids, current, item=current)  # a step's date against the stored links
    refresh_deadline(spec, current)
    current.version += 1
    stamp_actor(current, actor)
    _save(spec, current)
    _record(current, actor, [(old, step.to, step.label, on)], note)
    _figures_changed(spec, before, current)
    _copy_into(item, current)
    return item


def _snapshot(item: Any) -> Any:
    copy = type(item)(**{f.attname: getattr(item, f.attname) for f in item._meta.concrete_fields})
    copy._state.adding = False
    return copy


def _copy_into(item: Any, current: Any) -> None:
    """Give the caller's object the stored values (it may have been read before the step)."""
    for f in current._meta.concrete_fields:
        setattr(item, f.attname, getattr(current, f.attname))
    item._state.fields_cache = dict(current._state.fields_cache)


# -- deadlines ------------------------------------------------------------------------------------
def refresh_deadline(spec: Register, item: Any) -> None:
    """Set the item's derived fields and open deadline (cleared once the item is closed). Does not save."""
    if spec.derive:
        spec.derive(item)
    deadline = spec.deadline(item) if spec.deadline and spec.workflow.is_open(item.status) else None
    item.due_date = deadline.due if deadline else None
    item.due_label = deadline.label if deadline else ""
    item.due_source = deadline.source if deadline else ""
    item.due_guessed = deadline.guessed if deadline else False


DUE_FIELDS = ["due_date", "due_label", "due_source", "due_guessed"]
REFRESH_CHUNK = 2000  # open items recomputed (and locked) per transaction


def refresh_all_deadlines() -> int:
    """Recompute every open item's deadline and derived fields (``Register.derive``: a 公示 or 备案 due
    date) after a rule override or a holiday schedule changed.

    Derived fields only: written with bulk_update, so no audit entry is made for them."""
    with rules_batch():
        return _refresh_all_deadlines()


def _refresh_all_deadlines() -> int:
    changed = 0
    for spec in REGISTRY.values():
        if not spec.deadline:
            continue
        manager = spec.model._default_manager
        related = [
            f.name
            for f in spec.model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.name != "responsible"
        ]
        open_items = manager.exclude(status__in=spec.workflow.closed)
        ids = list(open_items.order_by("pk").values_list("pk", flat=True))
        fields = [f for f in spec.model._meta.concrete_fields if not f.primary_key]
        for start in range(0, len(ids), REFRESH_CHUNK):
            # the rows are locked while recomputed and written: a step taken meanwhile (a 公示 recorded)
            # waits, then derives its own fields from what this wrote, and this never writes back a
            # value read before the step
            with transaction.atomic():
                chunk = open_items.filter(pk__in=ids[start : start + REFRESH_CHUNK]).select_related(*related)
                batch, written = [], set(DUE_FIELDS)
                for item in chunk.select_for_update(of=("self",)):
                    before = [getattr(item, f.attname) for f in fields]
                    refresh_deadline(spec, item)
                    moved = {
                        f.name
                        for f, was in zip(fields, before, strict=True)
                        if getattr(item, f.attname) != was
                    }
                    if moved:
                        batch.append(item)
                        written |= moved
                if batch:
                    manager.bulk_update(batch, sorted(written), batch_size=1000)
                    _figures_changed(spec, *batch)
                changed += len(batch)
    return changed


# -- attachments ----------------------------------------------------------------------------------
def attach(
    spec: Register, item: Any, *, name: str, data: bytes, actor: User, scope_ids: Iterable[int]
) -> Attachment:
    """Keep a file with a register item, after checking its size and that it is what its name says."""
    _check_can_write(actor, item.unit_id, scope_ids)
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_MAGIC:
        allowed = "、".join(s.lstrip(".") for s in ATTACHMENT_MAGIC)
        raise ValidationError(f"{name}：不支持的附件类型，可上传 {allowed}")
    if not data:
        raise ValidationError(f"{name}：文件为空")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"{name}：文件过大，附件不超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
    if not data.startswith(ATTACHMENT_MAGIC[suffix]):
        raise ValidationError(f"{name}：文件内容与扩展名“{suffix}”不符")
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        name=name[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    stamp_actor(attachment, actor)
    attachment.file.save(f"{attachment.sha256[:16]}{suffix}", ContentFile(data), save=False)
    attachment.save()
    return attachment
