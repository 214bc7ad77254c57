"""Start-up checks of every register declaration (``manage.py check``, and before every test run), so a
misspelt column or a workflow that does not match its model fails at once, not on a clerk's page."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .spec import REGISTRY, Register, filter_choices, is_register_model

# RegisterItem bookkeeping that is never a column of its own
BOOKKEEPING = {
    "id",
    "version",
    "due_date",
    "due_label",
    "due_source",
    "due_guessed",
    "created_at",
    "updated_at",
}


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def register_problems(spec: Register) -> list[str]:
    """What is wrong with one declaration, in words a developer acts on."""
    model, problems = spec.model, []
    names = [c.field for c in spec.columns]
    for name in names:
        field = _field(model, name)
        if field is None:
            problems.append(f"column {name!r} is not a field of {model.__name__}")
        elif field.is_relation and field.related_model is not None:
            related = field.related_model
            if related._meta.label not in ("org.Unit", "org.Person") and not is_register_model(related):
                problems.append(
                    f"column {name!r} links to {related.__name__}, which is neither a register nor a lookup"
                )
    if len(set(names)) != len(names):
        problems.append("a field is listed twice in columns")
    fields = [f for f in model._meta.get_fields() if (not f.auto_created and f.concrete) or f.many_to_many]
    for field in fields:
        if field.name not in names and field.name not in spec.excluded and field.name not in BOOKKEEPING:
            problems.append(f"field {field.name!r} is in no column and not excluded")
    problems += [f"excluded {n!r} is not a field" for n in spec.excluded if _field(model, n) is None]
    problems += [f"workflow: {p}" for p in spec.workflow.problems()]
    status = _field(model, "status")
    if status is None or list(status.choices or []) != spec.workflow.choices:
        problems.append("the status field's choices are not the workflow's states")
    for steps in spec.workflow.steps.values():
        for step in steps:
            problems += [
                f"step {step.label!r} names {f!r}, not a field"
                for f in step.fields
                if _field(model, f) is None
            ]
            if step.when is not None:
                when = _field(model, step.when[0])
                choices = {value for value, _ in (when.flatchoices if when is not None else [])}
                wanted = set(step.when[1]) - {None, ""}  # None: while the field is empty
                if when is None or not step.when[1] or not wanted <= choices:
                    problems.append(
                        f"step {step.label!r} applies when {step.when[0]!r} is not a choice of it"
                    )
    for name in spec.natural_key:
        if name not in names:
            problems.append(f"natural key field {name!r} is not a column")
    if spec.natural_key:
        wanted = {"unit", *spec.natural_key}
        unique = [c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
        if not any(set(c.fields) == wanted and c.condition is None for c in unique):
            problems.append(f"no database unique constraint on unit + {', '.join(spec.natural_key)}")
    if not spec.list_columns:
        problems.append("no column is listed")
    for child in spec.children:
        fk = _field(child.model, child.fk)
        if fk is None or fk.related_model is not model:
            problems.append(f"child {child.model.__name__}.{child.fk} is not a link to {model.__name__}")
        problems += [
            f"child column {c.field!r} is not a field of {child.model.__name__}"
            for c in child.columns
            if _field(child.model, c.field) is None
        ]
    for name in spec.filter_fields:
        field = _field(model, name)
        if field is not None and not filter_choices(field):
            problems.append(f"filter column {name!r} has neither choices nor yes/no to offer")
    if spec.year_field and _field(model, spec.year_field) is None:
        problems.append(f"year_field {spec.year_field!r} is not a field")
    return problems


@checks.register()
def check_registers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(problem, obj=spec.key, id="fazhi.E001")
        for spec in REGISTRY.values()
        for problem in register_problems(spec)
    ]
