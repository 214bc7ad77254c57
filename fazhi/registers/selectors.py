"""Reads of register items, always within the units a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, OrderBy, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from fazhi.org.models import Person, Unit
from fazhi.org.selectors import ancestor_chains

from .deadlines import DueState, due_conditions, due_state, soon_limit, today
from .models import Attachment, StatusChange
from .services import linkable_unit_ids
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
        model._default_manager.filter(Q(unit_id__in=linkable_unit_ids(model, scope_ids)) | Q(pk__in=kept))
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
    sort: str = ""  # a key of ``sort_keys`` (ascending) or "-" and one (descending); "" newest first


# Columns every list shows after the register's own listed ones, and so may be sorted by.
TRAILING_COLUMNS = (("unit", "所属单位"), ("status", "状态"), ("due_date", "期满日"))


def list_columns(spec: Register) -> list[tuple[str, str]]:
    """(field, header) of the columns of the register's list, its print view included."""
    own = [(name, spec.header(name)) for name in spec.list_columns]
    listed = set(spec.list_columns)
    return own + [(name, label) for name, label in TRAILING_COLUMNS if name not in listed]


def _choice_rank(field_name: str, codes: list[str]) -> Case:
    """A choice field ranked in the order its choices are declared (a workflow's states in the order
    an item goes through them), not by the stored codes' spelling."""
    return Case(
        *(When(**{field_name: code}, then=Value(i)) for i, code in enumerate(codes)),
        default=Value(len(codes)),
        output_field=IntegerField(),
    )


def sort_keys(spec: Register) -> dict[str, Any]:
    """What the list may be sorted by, derived from the declaration: each listed column that is a
    column of the table (no many-to-many), the unit, the state and the due date, each mapped to what
    the database orders by. People and units sort by their name, linked items by their natural key,
    choices in their declared order."""
    keys: dict[str, Any] = {}
    for name, _ in list_columns(spec):
        model_field = spec.model_field(name)
        if model_field.many_to_many or not model_field.concrete:
            continue
        if name == "status":
            keys[name] = _choice_rank(name, [code for code, _ in spec.workflow.choices])
        elif model_field.is_relation:
            related = model_field.related_model
            if related in (Person, Unit):
                keys[name] = F(f"{name}__name")
            else:
                natural = register_for(related).natural_key
                keys[name] = F(f"{name}__{natural[0]}" if natural else f"{name}__pk")
        elif model_field.choices:
            keys[name] = _choice_rank(name, [str(code) for code, _ in model_field.choices])
        else:
            keys[name] = F(name)
    return keys


def parse_sort(spec: Register, raw: Any) -> str:
    """The ``sort`` parameter if it names a sortable column ("field" or "-field"), else "" (anything
    else a URL may carry is ignored, never an error)."""
    if not isinstance(raw, str):
        return ""
    name = raw.removeprefix("-")
    return raw if name and name in sort_keys(spec) else ""


def ordering(spec: Register, sort: str) -> list[OrderBy]:
    """ORDER BY of a list sorted by ``sort``: empty values last either way, ties by pk (so pages never
    repeat or skip an item); newest first when ``sort`` is empty or unknown."""
    keys = sort_keys(spec)
    descending = sort.startswith("-")
    key = keys.get(sort.removeprefix("-"))
    if key is None:
        return [F("created_at").desc(), F("pk").desc()]
    if descending:
        return [key.desc(nulls_last=True), F("pk").desc()]
    return [key.asc(nulls_last=True), F("pk").asc()]


def items_in(spec: Register, unit_ids: list[int], filters: ListFilters | None = None) -> QuerySet:
    """The register's items owned by ``unit_ids``, filtered, in the order ``filters.sort`` asks for
    (newest first by default), with the listed links read in the same query."""
    f = filters or ListFilters()
    linked = [n for n in spec.list_columns if spec.model_field(n).many_to_one]
    many = [n for n in spec.list_columns if spec.model_field(n).many_to_many]
    items = (
        spec.model.objects.filter(unit_id__in=unit_ids)
        .select_related("unit", "responsible", *linked)
        .prefetch_related(*many)
    )
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
    return items.order_by(*ordering(spec, f.sort))


def items_for_export(spec: Register, unit_ids: list[int], filters: ListFilters | None = None) -> QuerySet:
    """``items_in`` with every link read in the same query (or one more per many-to-many field), so an
    export costs a fixed number of queries whatever its length."""
    items = items_in(spec, unit_ids, filters)
    links = [f.name for f in spec.model._meta.concrete_fields if f.is_relation]
    many = [c.field for c in spec.columns if spec.model_field(c.field).many_to_many]
    return items.select_related(*links).prefetch_related(*many)


def items_for_print(
    spec: Register, unit_ids: list[int], filters: ListFilters | None, limit: int
) -> tuple[int, list]:
    """How many items the list holds, and the first ``limit`` of them in the list's order with their
    due state: a fixed number of queries however many there are."""
    items = items_in(spec, unit_ids, filters)
    total = items.count()
    return total, with_due_state(spec, items[:limit])


def unit_full_name(unit: Unit) -> str:
    """The unit's name as a heading writes it, with the units above it: 青山县长冈乡, 青山县长冈乡司法所
    (a name that already starts with its parent's, 长冈乡司法所, 青山县司法局, is not repeated)."""
    chain = ancestor_chains([unit.pk]).get(unit.pk, [unit.pk])
    names = dict(Unit.objects.filter(pk__in=chain).values_list("pk", "name"))
    full, parent = "", ""
    for pk in reversed(chain):  # from the top down
        name = names.get(pk, "")
        if parent and name.startswith(parent):
            full = full[: len(full) - len(parent)]
        full, parent = full + name, name
    return full or unit.name


def readable_unit_ids(spec: Register, scope_ids: list[int]) -> list[int]:
    """The units whose items of ``spec`` a user with ``scope_ids`` may read: the scope, and for a
    ``linkable_below`` register the units above it too (a township reads the county's 裁量基准)."""
    return linkable_unit_ids(spec.model, scope_ids) if spec.linkable_below else scope_ids


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
