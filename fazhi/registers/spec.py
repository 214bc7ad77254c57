"""The declaration of a register: everything the shared pages, importer, exporter and deadline
machinery need to know about one kind of 台账. A new register declares one ``Register`` and calls
``register()``; it writes no views, import code or list templates of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django import forms
from django.db import models

from .workflow import Workflow

if TYPE_CHECKING:
    from .deadlines import Deadline


@dataclass(frozen=True)
class Column:
    """A field as a column of the list page, the Excel template, the import and the export."""

    field: str  # model field, or a dotted path for display only (e.g. "unit.name")
    header: str | None = None  # defaults to the field's verbose name
    required: bool = False  # required in an imported row
    importable: bool = True
    choices_from_labels: bool = True  # choice fields are written and read by their Chinese label


@dataclass(frozen=True)
class Register:
    key: str  # URL segment and CLI name, e.g. "legality-reviews"
    model: type[models.Model]
    label: str  # 合法性审查台账
    item_label: str  # 合法性审查
    workflow: Workflow
    form: type[forms.ModelForm]
    columns: tuple[Column, ...]  # import/export columns (unit first)
    list_columns: tuple[str, ...]  # fields shown on the list page
    search_fields: tuple[str, ...]
    filter_fields: tuple[str, ...] = ()  # choice fields offered as list filters (besides 状态 and 期限)
    natural_key: tuple[str, ...] = ()  # fields that identify an item within a unit (duplicates)
    title_field: str = "title"
    year_field: str | None = None  # date field whose year the list's year filter uses
    deadline: Callable[[models.Model], Deadline | None] | None = None
    summary: Callable[[models.Model], list[tuple[str, str]]] | None = None  # facts for the detail page
    derive: Callable[[models.Model], None] | None = None  # sets fields computed from others, before saving
    links: Callable[[models.Model], list[tuple[str, str]]] | None = None  # (label, url) buttons on detail
    create_url_name: str | None = None  # a register whose items are made by their own page (a report)
    extra_links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, url name)

    def title(self, item: models.Model) -> str:
        return str(getattr(item, self.title_field))


REGISTRY: dict[str, Register] = {}


def register(spec: Register) -> Register:
    if spec.key in REGISTRY and REGISTRY[spec.key].model is not spec.model:
        raise ValueError(f"register key {spec.key} declared twice")
    REGISTRY[spec.key] = spec
    return spec


def register_for(model: type[models.Model]) -> Register:
    return next(spec for spec in REGISTRY.values() if spec.model is model)
