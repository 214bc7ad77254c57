"""The declaration of a register: everything the shared pages, forms, importer, exporter and deadline
machinery need to know about one kind of 台账. A new register declares one ``Register`` and calls
``register()``; it writes no views, forms, import code or list templates of its own.

Each model field is named once, in ``columns`` (or, deliberately, in ``excluded``); the edit form, the
list, its search and filters, the Excel template, the import and the export all derive from that list.
The declaration is checked at start-up (``registers.checks``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

from .workflow import Workflow

if TYPE_CHECKING:
    from .deadlines import Deadline


@dataclass(frozen=True)
class Column:
    """A model field as a column of the 台账: on the form, the list, the Excel template, import, export."""

    field: str
    header: str | None = None  # defaults to the field's verbose name
    required: bool = False  # must be filled on entry (the form and an imported row alike)
    listed: bool = False  # a column of the list page
    search: bool = False  # found by the list's search box (people and units by name)
    filter: bool = False  # a choice filter on the list page
    importable: bool = True  # False: computed by the register, shown and exported only
    planned: bool = False  # a date that may lie ahead (a term's end); other dates may not be after today


# The columns of the fields every RegisterItem has beside its own, declared once for every register.
STATUS = Column("status", header="状态")
RESPONSIBLE = Column("responsible", search=True)
NOTE = Column("note")


@dataclass(frozen=True, eq=False)
class Child:
    """Rows that belong to an item (the points of a review opinion, the objects of a draw …): a formset
    on the item's form, a second sheet of the Excel template keyed by the item's natural key, a table on
    the detail page."""

    model: type[models.Model]
    fk: str  # the child's foreign key to the item
    label: str  # 审查意见要点
    columns: tuple[Column, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: one declaration per register
class Register:
    key: str  # URL segment and CLI name, e.g. "legality-reviews"
    model: type[models.Model]
    label: str  # 合法性审查台账
    item_label: str  # 合法性审查
    workflow: Workflow
    columns: tuple[Column, ...]  # every field, unit first
    natural_key: tuple[str, ...] = ()  # fields that identify an item within a unit (a unique constraint)
    excluded: tuple[str, ...] = ()  # model fields deliberately in no column (derived bookkeeping)
    children: tuple[Child, ...] = ()
    title_field: str = "title"
    year_field: str | None = None  # date field whose year the list's year filter uses
    deadline: Callable[[Any], Deadline | None] | None = None
    summary: Callable[[Any], list[tuple[str, str]]] | None = None  # facts for the detail page
    derive: Callable[[Any], None] | None = None  # sets fields computed from others, before saving
    links: Callable[[Any], list[tuple[str, str]]] | None = None  # (label, url) buttons on detail
    create_url_name: str | None = None  # a register whose items are made by their own page (a report)
    extra_links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, url name)
    edit_links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # the same, for editors only
    # Checks of an item together with its many-to-many values ({field: [objects]}, every many-to-many
    # column, given or stored), run by item_create/item_update and the import after ``validate`` and
    # before anything is written; raises ValidationError (every officer of a case holds a 执法证).
    check_related: Callable[[Any, dict[str, list]], None] | None = None
    # The values a step's form offers for a choice field of this item (None: all of them), so a clerk
    # is not offered what the services would refuse (a 行政处罚 case's outcomes, not a 行政许可's).
    choices_for: Callable[[Any, str], tuple[str, ...] | None] | None = None
    # Items of a unit may be linked by the items of the units below it as well as by those in the
    # writer's scope (a county's 裁量基准, relied on by its departments' and townships' cases).
    linkable_below: bool = False

    def title(self, item: Any) -> str:
        return str(getattr(item, self.title_field))

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)

    def model_field(self, name: str) -> Any:
        return self.model._meta.get_field(name)

    def header(self, name: str) -> str:
        """A field's name in the 台账: its column's header, else the field's verbose name."""
        column = self.column(name)
        if column is not None and column.header:
            return column.header
        return str(self.model_field(name).verbose_name)

    @property
    def list_columns(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.listed)

    @property
    def filter_fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.filter)

    @property
    def search_fields(self) -> tuple[str, ...]:
        """Lookups of the search box: text fields themselves, people and units by name, linked items by
        their natural key."""
        lookups = []
        for column in self.columns:
            if not column.search:
                continue
            model_field = self.model_field(column.field)
            if model_field.is_relation:
                related = model_field.related_model
                target = (
                    "name"
                    if related is None or related._meta.label in ("org.Person", "org.Unit")
                    else (register_for(related).natural_key[0])
                )
                lookups.append(f"{column.field}__{target}")
            else:
                lookups.append(column.field)
        return tuple(lookups)

    @property
    def form_fields(self) -> tuple[str, ...]:
        """What the create and edit forms carry: entered fields that no workflow step owns."""
        owned = self.workflow.owned_fields
        return tuple(
            c.field
            for c in self.columns
            if c.importable and c.field != "status" and c.field not in owned
            and self.model_field(c.field).editable
        )  # fmt: skip

    @property
    def import_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.importable)


REGISTRY: dict[str, Register] = {}


def register(spec: Register) -> Register:
    if spec.key in REGISTRY and REGISTRY[spec.key].model is not spec.model:
        raise ValueError(f"register key {spec.key} declared twice")
    REGISTRY[spec.key] = spec
    return spec


def register_for(model: type[models.Model]) -> Register:
    for spec in REGISTRY.values():
        if spec.model is model:
            return spec
    raise LookupError(f"{model.__name__} is not a declared register")


def is_register_model(model: type[models.Model] | None) -> bool:
    return any(spec.model is model for spec in REGISTRY.values())


YES_NO = [("1", "是"), ("0", "否")]


def filter_choices(model_field: Any) -> list[tuple[str, str]]:
    """What a list filter offers for a field: its choices, or 是/否 for a yes/no field."""
    if model_field.choices:
        return list(model_field.choices)
    return YES_NO if isinstance(model_field, models.BooleanField) else []
