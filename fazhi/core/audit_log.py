"""The audit log (审计日志): every recorded change of every audited model in a scope, newest first.

The tables are found in django-simple-history's registry, so a model that gains ``history`` appears
here without being named. What a record belongs to is read from its fields: its ``unit``, else the
record that owns it (a foreign key that deletes it with its owner: a 审查意见要点 of its 合法性审查),
else the record it is attached to (a generic link); a record of none of these (a year's 节假日安排) is
the whole system's and shown only to those who see every unit.

A page costs a fixed number of queries, whatever the number of history rows: one count and one read of
the page's keys, both a UNION over the tables of (history_date, history_id, table) ordered and cut by the
database; then, for each table on the page, one read of its rows and one of the versions before them,
and one read per linked model for names and links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.models import registered_models
from simple_history.utils import get_history_model_for_model

from fazhi.org.models import Person, Unit, User

from .audit import LOGIN, AuditEntry, Change, history_entries

if TYPE_CHECKING:
    from fazhi.org.scope import Scope

PAGE_SIZE = 50
# The kinds of record the log can be narrowed to. A login is a version of a user that says so
# (``audit.LOGIN``); the other kinds follow the model's app (or its register).
KINDS = {
    "register": "台账",
    "report": "年度报告",
    "rule": "地方规则调整",
    "schedule": "节假日安排",
    "figure": "指标填报",
    "org": "单位、人员和用户",
    "login": "登录",
    "job": "后台任务",
    "other": "其他",
}
_APP_KINDS = {
    "registers": "register",
    "reports": "report",
    "rules": "rule",
    "workdays": "schedule",
    "indicators": "figure",
    "org": "org",
    "jobs": "job",
}
_ORG_PAGES = {Unit: "org:unit_detail", Person: "org:person_detail", User: "org:user_detail"}


@dataclass(frozen=True, eq=False)
class Source:
    """One audited model and its history table."""

    number: int  # the table's place in the log (orders changes made at the same instant)
    model: type[models.Model]
    history: type[models.Model]
    kind: str


@dataclass(frozen=True)
class LogEntry:
    at: datetime
    user: str
    action: str
    changes: list[Change]
    reason: str
    kind: str  # the record's kind by its Chinese name (合法性审查, 报告部分 …)
    text: str  # the record as it was then
    url: str | None  # its page, where it has one and still exists
    unit: str  # the unit it belongs to ("" when it has none or is a unit)


# -- the audited models -------------------------------------------------------------------------------
def _history(model: type[models.Model]) -> type[models.Model] | None:
    if model._meta.auto_created:  # the through table of a many-to-many field
        return None
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def _unit_field(model: type[models.Model]) -> models.ForeignKey | None:
    field = next((f for f in model._meta.concrete_fields if f.name == "unit"), None)
    if isinstance(field, models.ForeignKey) and field.related_model is Unit:
        return field
    return None


def _owner(model: type[models.Model]) -> tuple[models.ForeignKey, type[models.Model]] | None:
    """The foreign key to the audited record that owns ``model``'s rows (deleting it deletes them)."""
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.ForeignKey)
            and field.remote_field.on_delete is models.CASCADE
            and field.related_model is not model
            and isinstance(field.related_model, type)
            and _history(field.related_model) is not None
        ):
            return field, field.related_model
    return None


def _attached(model: type[models.Model]) -> GenericForeignKey | None:
    return next((f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)), None)


def _register_key(model: type[models.Model]) -> str | None:
    from fazhi.registers.spec import REGISTRY

    return next((key for key, spec in REGISTRY.items() if spec.model is model), None)


def _kind(model: type[models.Model]) -> str:
    if model._meta.app_label in _APP_KINDS:
        return _APP_KINDS[model._meta.app_label]
    owner = _owner(model)
    if _register_key(model) is not None or (owner is not None and _register_key(owner[1]) is not None):
        return "register"
    return "other"


@cache
def sources() -> tuple[Source, ...]:
    """Every model with a history table, in a fixed order."""
    found = []
    for model in sorted(set(registered_models.values()), key=lambda m: m._meta.label):
        history = _history(model)
        if history is not None:
            found.append((model, history))
    return tuple(Source(n, model, history, _kind(model)) for n, (model, history) in enumerate(found))


def kind_choices() -> list[tuple[str, str]]:
    """The kinds that some audited model has, in the order of ``KINDS``."""
    present = {s.kind for s in sources()} | {"login"}
    return [(key, label) for key, label in KINDS.items() if key in present]


# -- what belongs to a scope ------------------------------------------------------------------------
def _belongs(model: type[models.Model], unit_ids: list[int], depth: int = 0) -> Q | None:
    """History rows of ``model`` whose record belongs to one of ``unit_ids``; None when its records
    belong to no unit. An owner is looked up in its own history, so a deleted owner still counts."""
    if model is Unit:
        return Q(**{f"{model._meta.pk.attname}__in": unit_ids})
    unit = _unit_field(model)
    if unit is not None:
        return Q(**{f"{unit.attname}__in": unit_ids})
    if depth > 2:
        return None
    owner = _owner(model)
    if owner is not None:
        fk, parent = owner
        inner = _belongs(parent, unit_ids, depth + 1)
        history = _history(parent)
        if inner is not None and history is not None:
            owned = history._default_manager.filter(inner).values(parent._meta.pk.attname)
            return Q(**{f"{fk.attname}__in": owned})
    attached = _attached(model)
    if attached is not None:
        parents = [(s.model, s.history, _unit_field(s.model)) for s in sources()]
        types = ContentType.objects.get_for_models(*(m for m, _history, unit in parents if unit is not None))
        found = Q(pk__in=[])
        for parent, history, unit in parents:
            if unit is not None:
                rows = history._default_manager.filter(**{f"{unit.attname}__in": unit_ids})
                found |= Q(
                    **{
                        f"{attached.ct_field}_id": types[parent].pk,
                        f"{attached.fk_field}__in": rows.values(parent._meta.pk.attname),
                    }
                )
        return found
    return None


def _of_kind(source: Source, kind: str | None) -> Q | None:
    """The filter a kind puts on ``source``'s rows; None when none of them is of that kind."""
    if kind is None:
        return Q()
    if source.model is User:  # a user's versions are its logins and its changes
        login = Q(history_change_reason=LOGIN)
        return {"login": login, "org": ~login}.get(kind)
    return Q() if source.kind == kind else None


# -- the log ------------------------------------------------------------------------------------------
def changes(
    scope: Scope,
    *,
    viewer: Any,
    unit: int | None = None,
    user: int | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> AuditLog:
    """The changes of records in ``scope`` (its unit and the units below it), newest first: of ``unit``
    and its subordinates only when given (a unit outside the scope is ignored), made by ``user``, of
    ``kind`` (a key of ``KINDS``), between ``date_from`` and ``date_to`` (local dates, both included).

    A sequence for ``Paginator``: counted and cut by the database."""
    everything = scope.covers_all
    unit_ids = scope.unit_ids
    if unit is not None and scope.unit is not None and unit != scope.unit.pk and scope.contains(unit):
        from fazhi.org.selectors import subtree_ids

        inside = set(unit_ids)
        unit_ids = [pk for pk in subtree_ids(Unit.objects.get(pk=unit)) if pk in inside]
        everything = False
    branches = []
    for source in sources():
        wanted = _of_kind(source, kind if kind in KINDS else None)
        if wanted is None:
            continue
        if not everything:
            belongs = _belongs(source.model, unit_ids)
            if belongs is None:
                continue  # the whole system's records: for those who see every unit
            wanted &= belongs
        if user is not None:
            wanted &= Q(history_user_id=user)
        if date_from is not None:
            wanted &= Q(history_date__gte=_local_midnight(date_from))
        if date_to is not None:
            wanted &= Q(history_date__lt=_local_midnight(date_to + timedelta(days=1)))
        branches.append((source, source.history._default_manager.filter(wanted)))
    return AuditLog(branches, viewer)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditLog:
    """The entries of the log as a sequence: ``count()`` is one query, a slice one query for its keys
    and a few per table on it (``Paginator`` needs no more)."""

    def __init__(self, branches: list[tuple[Source, QuerySet]], viewer: Any):
        self.branches = branches
        self.viewer = viewer

    def _keys(self) -> QuerySet | None:
        selects = [
            rows.order_by()
            .annotate(log_table=Value(source.number, output_field=IntegerField()))
            .values_list("history_date", "history_id", "log_table")
            for source, rows in self.branches
        ]
        if not selects:
            return None
        return selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]

    def count(self) -> int:
        keys = self._keys()
        return 0 if keys is None else keys.count()

    def __getitem__(self, window: slice) -> list[LogEntry]:
        keys = self._keys()
        if keys is None:
            return []
        page = list(keys.order_by("-history_date", "-log_table", "-history_id")[window])
        by_table: dict[int, list[int]] = defaultdict(list)
        for _at, history_id, table in page:
            by_table[table].append(history_id)
        tables = {source.number: source for source, _rows in self.branches}
        read: dict[tuple[int, int], tuple[Source, Any, AuditEntry]] = {}
        for table, ids in by_table.items():
            source = tables[table]
            for record, entry in _read(source, ids, self.viewer):
                read[(table, record.history_id)] = (source, record, entry)
        found = [read[(table, history_id)] for _at, history_id, table in page if (table, history_id) in read]
        return _describe(found)


def _read(source: Source, ids: list[int], viewer: Any) -> list[tuple[Any, AuditEntry]]:
    """``source``'s history rows ``ids`` with their entries: two reads (the rows, the versions before)."""
    history = source.history._default_manager
    pk = source.model._meta.pk.attname
    before = (
        history.filter(**{pk: OuterRef(pk)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(
        history.filter(history_id__in=ids)
        .select_related("history_user")
        .annotate(previous_id=Subquery(before))
    )
    previous = history.in_bulk([r.previous_id for r in records if r.previous_id is not None])
    pairs = [(r, previous.get(r.previous_id)) for r in records]
    entries = history_entries(source.model, pairs, _labels(source.model), viewer=viewer)
    return list(zip(records, entries, strict=True))


# -- what a record is called, where its page is -----------------------------------------------------
def _labels(model: type[models.Model]) -> dict[str, dict[str, str]]:
    """Chinese names of values whose choices live outside the model (as the record's own trail)."""
    label = model._meta.label
    if label == "rules.RuleOverride":
        return {"rule_code": _rule_names()}
    if label == "indicators.ManualValue":
        return {"indicator": _indicator_names()}
    key = _register_key(model)
    if key is not None:
        from fazhi.registers.spec import REGISTRY

        return {"status": REGISTRY[key].workflow.states}
    return {}


def _rule_names() -> dict[str, str]:
    from fazhi.rules.catalogue import national_rules

    return {rule.code: rule.name for rule in national_rules()}


def _indicator_names() -> dict[str, str]:
    from fazhi.indicators.catalogue import indicators

    return {id: indicator.name for id, indicator in indicators().items()}


def _user_text(user: Any) -> str:
    full = f"{user.last_name}{user.first_name}".strip()
    return f"{full}（{user.username}）" if full else user.username


TEXTS: dict[str, Callable[[Any], str]] = {
    "org.User": _user_text,
    "rules.RuleOverride": lambda o: f"{_rule_names().get(o.rule_code, o.rule_code)}：{o.value}{o.measure}",
    "indicators.ManualValue": lambda v: f"{_indicator_names().get(v.indicator, v.indicator)}（{v.year}年）",
}


def _as_it_was(model: type[models.Model], record: Any) -> models.Model:
    """The record as this version saw it, built from the history row alone (simple-history's
    ``instance`` reads the live row for fields it does not keep)."""
    values = {
        f.attname: getattr(record, f.attname)
        for f in model._meta.concrete_fields
        if hasattr(record, f.attname)
    }
    return model(**values)


def _text(model: type[models.Model], instance: models.Model) -> str:
    describe = TEXTS.get(model._meta.label)
    return describe(instance) if describe is not None else str(instance)


def _target(model: type[models.Model], record: Any) -> tuple[type[models.Model], Any] | None:
    """The record whose page shows this one: itself, the register item that owns or holds it."""
    pk = getattr(record, model._meta.pk.attname)
    if model in _ORG_PAGES or _register_key(model) is not None or hasattr(model, "get_absolute_url"):
        return model, pk
    owner = _owner(model)
    if owner is not None and _register_key(owner[1]) is not None:
        return owner[1], getattr(record, owner[0].attname)
    attached = _attached(model)
    if attached is not None:
        content_type = getattr(record, f"{attached.ct_field}_id")
        parent = ContentType.objects.get_for_id(content_type).model_class()
        if parent is not None and _register_key(parent) is not None:
            return parent, getattr(record, attached.fk_field)
    return None


def _url(model: type[models.Model], pk: Any) -> str:
    if model in _ORG_PAGES:
        return reverse(_ORG_PAGES[model], args=[pk])
    key = _register_key(model)
    if key is not None:
        return reverse("registers:detail", args=[key, pk])
    return model(pk=pk).get_absolute_url()  # type: ignore[attr-defined]


def _describe(found: list[tuple[Source, Any, AuditEntry]]) -> list[LogEntry]:
    """Entries with their record's text, page and unit: one read per linked model and one of units."""
    targets = {id(record): _target(source.model, record) for source, record, _entry in found}
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for target in targets.values():
        if target is not None:
            wanted[target[0]].add(target[1])
    live: dict[type[models.Model], dict[Any, int | None]] = {}  # what still exists, with its unit
    for model, pks in wanted.items():
        unit = _unit_field(model)
        columns = ["pk", unit.attname] if unit is not None else ["pk"]
        rows = model._default_manager.filter(pk__in=pks).order_by().values_list(*columns)
        live[model] = {row[0]: (row[1] if unit is not None else None) for row in rows}
    unit_of: dict[int, int | None] = {}
    for source, record, _entry in found:
        unit = _unit_field(source.model)
        target = targets[id(record)]
        if unit is not None:
            unit_of[id(record)] = getattr(record, unit.attname)
        elif target is not None and source.model is not Unit:
            unit_of[id(record)] = live[target[0]].get(target[1])
    names = Unit.objects.in_bulk({pk for pk in unit_of.values() if pk is not None})
    entries = []
    for source, record, entry in found:
        target = targets[id(record)]
        url = _url(*target) if target is not None and target[1] in live[target[0]] else None
        unit_pk = unit_of.get(id(record))
        entries.append(
            LogEntry(
                at=entry.at,
                user=entry.user,
                action=entry.action,
                changes=entry.changes,
                reason=entry.reason,
                kind=str(source.model._meta.verbose_name),
                text=_text(source.model, _as_it_was(source.model, record)),
                url=url,
                unit=names[unit_pk].name if unit_pk in names else "",
            )
        )
    return entries


# -- the filters' choices -----------------------------------------------------------------------------
def unit_choices(scope: Scope) -> list[tuple[int, str]]:
    """The units of the scope in tree order, indented by depth."""
    units = list(
        Unit.objects.with_tree_fields().order_siblings_by("sort_order", "code").filter(pk__in=scope.unit_ids)
    )
    top = min((u.tree_depth for u in units), default=0)
    return [(u.pk, "　" * (u.tree_depth - top) + u.name) for u in units]


def user_choices(scope: Scope) -> list[tuple[int, str]]:
    """Users of the scope's units (and those of no unit, for one who sees every unit), by name."""
    belongs = Q(unit_id__in=scope.unit_ids)
    if scope.covers_all:
        belongs |= Q(unit__isnull=True)
    users = User.objects.filter(belongs).order_by("last_name", "first_name", "username")
    return [(u.pk, _user_text(u)) for u in users.only("username", "first_name", "last_name")]
