"""Reads of register items, always within the units a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from fazhi.org.models import Person, Unit

from .deadlines import DueState, due_conditions, due_state, soon_limit, today
from .models import Attachment, StatusChange
from .spec import REGISTRY, Register, register_for


def link_choices(model: Any, scope_ids: list[int], keep: list[int | None] | None = None) -> QuerySet:
    """The units, people or register records a writer in ``scope_ids`` may link an item to — plus the
    ones already linked (``keep``), so an edit never drops a value its editor could not have chosen."""
    kept = [pk for pk in keep or [] if pk is not None]
    if model is Unit:
        return Unit.objects.filter(Q(pk__in=scope_ids) | Q(pk__in=kept)).order_by("code")
    if model is Person:
        people = Q(unit_id__in=scope_ids, is_active=True) | Q(pk__in=kept)
        return Person.objects.filter(people).select_related("unit").order_by("unit__code", "name")
    return (
        model._default_manager.filter(Q(unit_id__in=scope_ids) | Q(pk__in=kept))
        .select_related("unit")
        .order_by("-pk")
    )


def link_label(obj: Any) -> str:
    """How a linked unit, person or record is named in a choice: with its unit, so two 王芳 differ."""
    if isinstance(obj, Unit):
        return obj.name
    if isinstance(obj, Person):
        return f"{obj.name}（{obj.unit.name}）"
    spec = register_for(type(obj))
    key = getattr(obj, spec.natural_key[0]) if spec.natural_key else obj.pk
    title = spec.title(obj)
    text = f"{key} {title}" if str(key) != title else title
    return f"{text}（{obj.unit.name}）"


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    status: str = ""
    due: str = ""  # a DueState value
    year: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (field, value) of the register's own filters


def items_in(spec: Register, unit_ids: list[int], filters: ListFilters | None = None) -> QuerySet:
    """The register's items owned by ``unit_ids``, filtered; newest first."""
    f = filters or ListFilters()
    linked = [n for n in spec.list_columns if spec.model_field(n).many_to_one]
    items = spec.model.objects.filter(unit_id__in=unit_ids).select_related("unit", "responsible", *linked)
    if f.q:
        query = Q()
        for name in spec.search_fields:
            query |= Q(**{f"{name}__icontains": f.q})
        items = (
            items.filter(query).distinct()
            if any("__" in n for n in spec.search_fields)
            else items.filter(query)
        )
    if f.status:
        items = items.filter(status=f.status)
    if f.year and spec.year_field:
        items = items.filter(**{f"{spec.year_field}__year": f.year})
    for field, value in f.choices:
        if value:
            items = items.filter(**{field: value})
    if f.due:
        now = today()
        condition = due_conditions(now, soon_limit(now)).get(DueState(f.due))
        if condition is not None:
            items = items.exclude(status__in=spec.workflow.closed).filter(condition)
    return items.order_by("-created_at", "-pk")


def items_for_export(spec: Register, unit_ids: list[int], filters: ListFilters | None = None) -> QuerySet:
    """``items_in`` with every link read in the same query (or one more per many-to-many field), so an
    export costs a fixed number of queries whatever its length."""
    items = items_in(spec, unit_ids, filters)
    links = [f.name for f in spec.model._meta.concrete_fields if f.is_relation]
    many = [c.field for c in spec.columns if spec.model_field(c.field).many_to_many]
    return items.select_related(*links).prefetch_related(*many)


def item_in_scope(spec: Register, pk: int, visible_ids: list[int]):
    item = get_object_or_404(spec.model.objects.select_related("unit", "responsible"), pk=pk)
    if item.unit_id not in set(visible_ids):
        raise PermissionDenied(f"该{spec.item_label}不属于您可查看的单位。")
    return item


def timeline(item) -> QuerySet[StatusChange]:
    content_type = ContentType.objects.get_for_model(item)
    return StatusChange.objects.filter(content_type=content_type, object_id=item.pk).select_related("by")


def attachments(item) -> QuerySet[Attachment]:
    content_type = ContentType.objects.get_for_model(item)
    return Attachment.objects.filter(content_type=content_type, object_id=item.pk).select_related(
        "uploaded_by"
    )


def attachment_in_scope(pk: int, visible_ids: list[int]) -> Attachment:
    attachment = get_object_or_404(Attachment, pk=pk)
    item = attachment.item
    if item is None or item.unit_id not in set(visible_ids):
        raise PermissionDenied("该附件不属于您可查看的单位。")
    return attachment


def with_due_state(spec: Register, items, on: date | None = None) -> list:
    """The items with ``due_state`` set (正常/临期/逾期) for display."""
    now = on or today()
    limit = soon_limit(now)
    result = list(items)
    for item in result:
        item.due_state = due_state(item.due_date, spec.workflow.is_open(item.status), now, limit)
    return result


@dataclass(frozen=True)
class Alert:
    spec: Register
    item: object
    state: DueState


def open_alerts(
    unit_ids: list[int] | None, *, limit: int = 50
) -> tuple[list[Alert], dict[str, dict[str, int]]]:
    """Open items of every register that are 临期 or 逾期, soonest due first (at most ``limit``), and
    how many of each there are per register. ``unit_ids=None``: every unit (the whole tree)."""
    now = today()
    last_soon = soon_limit(now)
    alerts: list[Alert] = []
    counts: dict[str, dict[str, int]] = {}
    for spec in REGISTRY.values():
        if not spec.deadline:
            continue
        due = (
            spec.model._default_manager.filter(due_date__lte=last_soon)
            .exclude(status__in=spec.workflow.closed)
            .order_by("due_date", "pk")
        )
        if unit_ids is not None:
            due = due.filter(unit_id__in=unit_ids)
        states = due_conditions(now, last_soon)
        numbers = due.aggregate(
            overdue=Count("pk", filter=states[DueState.OVERDUE]),
            soon=Count("pk", filter=states[DueState.SOON]),
        )
        if numbers["overdue"] or numbers["soon"]:
            counts[spec.key] = {"逾期": numbers["overdue"], "临期": numbers["soon"]}
        for item in due.select_related("unit")[:limit]:
            alerts.append(Alert(spec, item, due_state(item.due_date, True, now, last_soon)))
    alerts.sort(key=lambda a: (a.item.due_date, a.spec.key))
    return alerts[:limit], counts


def alerts_table(alerts: list[Alert]) -> tuple[list[str], list[list]]:
    headers = ["状态", "事项类型", "事项", "单位", "期限事项", "期满日"]
    rows = [
        [a.state.value, a.spec.item_label, str(a.item), a.item.unit.name, a.item.due_label, a.item.due_date]
        for a in alerts
    ]
    return headers, rows
