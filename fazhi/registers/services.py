"""Writes shared by every register: create, edit, move through the workflow, attach files, recompute
deadlines, import. Each checks the actor's rights and unit scope itself, so the pages, the CLI and the
importer cannot bypass them."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction

from fazhi.core.audit import stamp_actor
from fazhi.indicators.services import data_changed
from fazhi.org.models import User

from .models import Attachment, StatusChange
from .spec import REGISTRY, Register

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


def _check_can_write(actor: User, unit_id: int | None, scope_ids: list[int]) -> None:
    if not actor.can_edit:
        raise PermissionDenied("只读用户不能修改台账。")
    if unit_id not in set(scope_ids):
        raise PermissionDenied("该事项的所属单位不在您的权限范围内。")


def _record(item: models.Model, actor: User, old: str, new: str, label: str, on: date | None, note=""):
    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        from_status=old,
        to_status=new,
        label=label,
        on=on,
        by=actor,
        note=note[:300],
    )


def refresh_deadline(spec: Register, item) -> None:
    """Set the item's derived fields and open deadline (cleared once the item is closed). Does not save."""
    if spec.derive:
        spec.derive(item)
    deadline = spec.deadline(item) if spec.deadline and spec.workflow.is_open(item.status) else None
    item.due_date = deadline.due if deadline else None
    item.due_label = deadline.label if deadline else ""
    item.due_source = deadline.source if deadline else ""
    item.due_guessed = deadline.guessed if deadline else False


DUE_FIELDS = ["due_date", "due_label", "due_source", "due_guessed"]


def refresh_all_deadlines() -> int:
    """Recompute every open item's deadline after a rule override or a holiday schedule changed.

    Derived fields only: written with bulk_update, so no audit entry is made for them."""
    changed, units = 0, set()
    for spec in REGISTRY.values():
        if not spec.deadline:
            continue
        manager = spec.model._default_manager
        open_items = manager.exclude(status__in=spec.workflow.closed).select_related("unit")
        batch = []
        for item in open_items.iterator(chunk_size=2000):
            before = tuple(getattr(item, f) for f in DUE_FIELDS)
            refresh_deadline(spec, item)
            if tuple(getattr(item, f) for f in DUE_FIELDS) != before:
                batch.append(item)
        manager.bulk_update(batch, DUE_FIELDS, batch_size=1000)
        changed += len(batch)
        units |= {item.unit_id for item in batch}  # type: ignore[attr-defined]  # every RegisterItem has one
    if changed:
        data_changed(units)
    return changed


@transaction.atomic
def item_create(
    spec: Register, item, *, actor: User, scope_ids: list[int], note: str = "登记", notify: bool = True
):
    """Register a new item; ``notify=False`` lets a bulk caller (the importer) report the change once."""
    _check_can_write(actor, item.unit_id, scope_ids)
    if not item.status:
        item.status = spec.workflow.initial
    item.full_clean()
    refresh_deadline(spec, item)
    stamp_actor(item, actor)
    item.save()
    _record(item, actor, "", item.status, note, None)
    if notify:
        data_changed([item.unit_id])
    return item


@transaction.atomic
def item_update(spec: Register, item, *, actor: User, scope_ids: list[int]):
    _check_can_write(actor, item.unit_id, scope_ids)
    before = type(item)._default_manager.filter(pk=item.pk).values_list("unit_id", flat=True).first()
    item.full_clean()
    refresh_deadline(spec, item)
    stamp_actor(item, actor)
    item.save()
    data_changed({item.unit_id, before} - {None})  # an item moved to another unit changes both
    return item


@transaction.atomic
def item_transition(
    spec: Register,
    item,
    to: str,
    *,
    actor: User,
    scope_ids: list[int],
    on: date,
    values: dict | None = None,
    note: str = "",
):
    """Move ``item`` one step along its workflow, recording the step's date and required fields."""
    _check_can_write(actor, item.unit_id, scope_ids)
    step = spec.workflow.step(item.status, to)
    if step is None:
        raise ValidationError(
            f"“{spec.workflow.label(item.status)}”状态下不能执行“{spec.workflow.label(to)}”。"
        )
    for name, value in (values or {}).items():
        setattr(item, name, value)
    if step.date_field:
        setattr(item, step.date_field, on)
    missing = [
        str(item._meta.get_field(f).verbose_name) for f in step.requires if getattr(item, f) in (None, "")
    ]
    if missing:
        raise ValidationError(f"“{step.label}”需要填写：{'、'.join(missing)}。")
    if step.effect:
        step.effect(item, on)
    old = item.status
    item.status = to
    item.full_clean()
    refresh_deadline(spec, item)
    stamp_actor(item, actor)
    item.save()
    _record(item, actor, old, to, step.label, on, note)
    data_changed([item.unit_id])
    return item


def attach(spec: Register, item, *, name: str, data: bytes, actor: User, scope_ids: list[int]) -> Attachment:
    """Keep a file with a register item, after checking its size and that it is what its name says."""
    _check_can_write(actor, item.unit_id, scope_ids)
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_MAGIC:
        allowed = "、".join(s.lstrip(".") for s in ATTACHMENT_MAGIC)
        raise ValidationError(f"{name}：不支持的附件类型，可上传 {allowed}")
    if not data:
        raise ValidationError(f"{name}：文件是空的")
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
