"""Test machinery for any register: make a valid item of it, walk it through its workflow's steps on
realistic values, and clone it in bulk, from its declaration alone.

A register needs nothing more to get the contract tests (``registers/tests/test_contract.py``). Where its
values need more than the declaration says (a realistic 审查编号, how a precondition of a step is broken),
the app's ``tests/factories.py`` registers a ``Recipe`` for it; the contract tests import every app's
``tests.factories`` module, so such a recipe is found without being named anywhere else.

Dates are in order and in the past: an item is registered on its ``start`` date, each step comes
``GAP`` days after the one before, and a record it links to (a 合法性审查 a decision needs) is made and
finished in the days before the step that links it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.core.exceptions import ValidationError
from django.db import models

from fazhi.org.fields import IdNumberField, PersonalDataField, PhoneField
from fazhi.org.masking import id_number_check_code
from fazhi.org.models import Person, Unit, User
from fazhi.org.selectors import visible_unit_ids

from . import services
from .models import StatusChange
from .spec import Child, Register, is_register_model, register_for
from .workflow import Step, Workflow

START = date(2025, 3, 3)  # a Monday long past, in a year whose holiday schedule is known
GAP = timedelta(days=45)  # between two steps of an item
PLANNED = timedelta(days=3 * 365)  # a date that may lie ahead (a term's end, 有效期至)
REQUIRED_DATE = timedelta(days=35)  # a date a step asks for besides its own (征求意见截止日期)


@dataclass
class Recipe:
    """What a register's tests need beyond its declaration.

    ``factory`` builds an unsaved item with realistic entered values (``factory.build(unit=…)``; it
    must leave the fields of workflow steps empty); ``link(maker, unit, before)`` makes a record of
    this register that another register may link to, finished before ``before``; ``spoil`` maps a
    state to a function ``(maker, item, on) -> None`` that breaks the legal precondition of the step
    leading there (for the test that an import in that state is refused as the step refuses it);
    ``prepare(maker, item, step)`` does what a clerk does on other pages before taking ``step`` (the
    annual report's text is written on its own editor); ``related(maker, unit, on)`` gives the
    many-to-many values of a new item where the unit's clerk will not do (officers holding a 执法证)."""

    factory: type[factory.django.DjangoModelFactory] | None = None
    link: Callable[[Maker, Unit, date], Any] | None = None
    related: Callable[[Maker, Unit, date], dict[str, list]] | None = None
    spoil: dict[str, Callable[[Maker, Unit, date], dict[str, Any]]] = field(default_factory=dict)
    prepare: Callable[[Maker, Any, Step], None] | None = None


RECIPES: dict[str, Recipe] = {}


def recipe(key: str, **kwargs: Any) -> Recipe:
    RECIPES[key] = Recipe(**kwargs)
    return RECIPES[key]


class RegisterItemFactory(factory.django.DjangoModelFactory):
    """Base of a register's factory. ``build()`` gives an unsaved item (``n``: its number in a series,
    ``start``: the day it was registered); ``create()`` registers it through ``services.item_create``
    as ``actor`` (by default a county operator), so a later ``status`` replays the steps that lead
    there, their legal preconditions included."""

    class Meta:
        abstract = True

    unit = factory.SubFactory("fazhi.org.tests.factories.UnitFactory")

    class Params:
        n = factory.Sequence(lambda n: n + 1)
        start = START

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        spec = register_for(model_class)
        related = {k: kwargs.pop(k) for k in list(kwargs) if spec.model_field(k).many_to_many}
        item = model_class(*args, **kwargs)
        actor = actor or _county_operator(item.unit)
        return services.item_create(
            spec, item, actor=actor, scope_ids=visible_unit_ids(actor), related=related or None
        )


def _county_operator(unit: Unit) -> User:
    root = unit
    while root.parent_id is not None:
        root = root.parent
    user, _ = User.objects.get_or_create(username=f"factory-{root.code}", defaults={"unit": root})
    return user


# -- paths through a workflow ------------------------------------------------------------------------
def main_path(workflow: Workflow) -> tuple[Step, ...]:
    """The longest way from the initial state to a closed one without visiting a state twice: the
    walk that sets the most fields, and one an import can replay."""
    paths = [
        p
        for state in workflow.states
        if state in workflow.closed
        for p in workflow.paths_to(state)
        if len({s.to for s in p} | {workflow.initial}) == len(p) + 1  # no state entered twice
    ]
    return max(paths, key=len, default=())  # the first of the longest, in the order states are declared


def _shortest(workflow: Workflow, source: str, targets: set[str]) -> tuple[Step, ...] | None:
    """The fewest steps from ``source`` to any of ``targets`` (breadth first)."""
    frontier: list[tuple[str, tuple[Step, ...]]] = [(source, ())]
    seen = {source}
    while frontier:
        nxt = []
        for state, path in frontier:
            if state in targets:
                return path
            for step in workflow.steps_from(state):
                if step.to not in seen:
                    seen.add(step.to)
                    nxt.append((step.to, (*path, step)))
        frontier = nxt
    return None


def covering_walks(workflow: Workflow) -> list[tuple[Step, ...]]:
    """Walks from the initial state that together take every step of the workflow once at least, each
    ending in a closed state where one can be reached."""
    walks: list[tuple[Step, ...]] = []
    taken: set[tuple[str, Step]] = set()
    for source, steps in workflow.steps.items():
        for step in steps:
            if (source, step) in taken:
                continue
            before = _shortest(workflow, workflow.initial, {source})
            if before is None:
                continue
            after = _shortest(workflow, step.to, set(workflow.closed)) or ()
            walk = (*before, step, *after)
            state = workflow.initial
            for s in walk:
                taken.add((state, s))
                state = s.to
            walks.append(walk)
    return walks


def end_state(workflow: Workflow, path: tuple[Step, ...]) -> str:
    return path[-1].to if path else workflow.initial


# -- values -------------------------------------------------------------------------------------------
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "志强", "丽娟", "海燕", "国庆", "红梅", "晓东", "文华", "桂兰", "明辉", "玉梅"]


_PEOPLE = itertools.count()  # every test person's name is the county's only one of that name
_ITEMS = itertools.count(1001)  # numbers of items, apart from the factories' own sequence


def person_name() -> str:
    i = next(_PEOPLE)
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[i // len(SURNAMES) % len(GIVEN)]
    return name if i < len(SURNAMES) * len(GIVEN) else f"{name}{i // (len(SURNAMES) * len(GIVEN))}"


def id_number(n: int) -> str:
    first17 = f"33010219850301{n % 1000:03d}"
    return first17 + id_number_check_code(first17)


@dataclass
class Draft:
    """A new item with what ``item_create`` takes besides it."""

    item: Any
    related: dict[str, list] = field(default_factory=dict)
    children: dict[Child, list] = field(default_factory=dict)


class Maker:
    """Makes items of any register as ``actor``, through the services a user's page goes through."""

    def __init__(self, actor: User):
        self.actor = actor
        self.scope_ids = visible_unit_ids(actor)
        self._people: dict[int, Person] = {}
        self._years = itertools.count()

    # people and linked records
    def person(self, unit: Unit) -> Person:
        """The unit's clerk (one per unit, each with a name of their own)."""
        if unit.pk not in self._people:
            n = next(_ITEMS)
            self._people[unit.pk] = Person.objects.create(
                unit=unit, name=person_name(), phone=f"1395710{n % 10000:04d}", id_number=id_number(n)
            )
        return self._people[unit.pk]

    def link(self, model: type[models.Model], unit: Unit, before: date) -> Any:
        """A record of register ``model`` in ``unit``, finished before ``before``, to link an item to."""
        spec = register_for(model)
        maker = RECIPES.get(spec.key, Recipe()).link
        if maker is not None:
            return maker(self, unit, before)
        path = first_path(spec.workflow)
        start = before - timedelta(days=3 * (len(path) + 1))
        item = self.create(spec, unit, start=start)
        self.walk(spec, item, path, start=start, gap=timedelta(days=3))
        return item

    def value(self, model: type[models.Model], name: str, unit: Unit, n: int, on: date,
              spec: Register | None = None) -> Any:  # fmt: skip
        """A realistic value of field ``name`` for an item of ``unit`` entered on ``on``."""
        f: Any = model._meta.get_field(name)
        column = spec.column(name) if spec is not None else None
        if f.many_to_many:
            return [self.value_of_link(f.related_model, unit, on)]
        if isinstance(f, models.ForeignKey):
            return self.value_of_link(f.related_model, unit, on)
        if f.choices:
            return f.choices[0][0]
        if isinstance(f, models.BooleanField):
            return False
        if isinstance(f, models.DateField):
            return on + PLANNED if column is not None and column.planned else on
        if isinstance(f, models.IntegerField):
            if spec is not None and varying_key_field(spec) is f:
                return on.year - next(self._years)  # 年度 that tells items apart: one a year
            return on.year if name == "year" else 1
        if isinstance(f, models.DecimalField):
            return Decimal("128.50")
        if isinstance(f, models.URLField):
            return f"https://www.example.gov.cn/xxgk/{n}.html"
        if isinstance(f, models.EmailField):
            return f"office{n}@example.gov.cn"
        if isinstance(f, PhoneField):
            return f"1380571{n:04d}"
        if isinstance(f, IdNumberField):
            return id_number(n)
        if isinstance(f, models.CharField | models.TextField):
            text = f"{f.verbose_name}{n}"
            return text[-f.max_length :] if f.max_length else text
        raise NotImplementedError(f"no test value for {model.__name__}.{name} ({type(f).__name__})")

    def value_of_link(self, related: Any, unit: Unit, on: date) -> Any:
        if related is Unit:
            return unit
        if related is Person:
            return self.person(unit)
        if is_register_model(related):
            return self.link(related, unit, on)
        raise NotImplementedError(f"no test value for a link to {related.__name__}")

    # new items
    def draft(self, spec: Register, unit: Unit, *, start: date = START, n: int | None = None,
              **values: Any) -> Draft:  # fmt: skip
        """A new item of ``spec`` in ``unit`` registered on ``start``, every entered field filled (from
        the register's factory where it has one), none that a workflow step fills in."""
        n = next(_ITEMS) if n is None else n
        entered = {name: value for name, value in values.items() if not spec.model_field(name).many_to_many}
        factory_class = RECIPES.get(spec.key, Recipe()).factory
        if factory_class is not None:
            item = factory_class.build(unit=unit, n=n, start=start, **entered)
        else:
            item = spec.model(unit=unit, **entered)
        draft = Draft(item)
        make_related = RECIPES.get(spec.key, Recipe()).related
        given = make_related(self, unit, start) if make_related is not None else {}
        for name in spec.form_fields:
            model_field = spec.model_field(name)
            if model_field.many_to_many:
                draft.related[name] = (
                    values.get(name) or given.get(name) or self.value(spec.model, name, unit, n, start, spec)
                )
            elif name not in values and getattr(item, model_field.attname) in (None, "") and name != "unit":
                setattr(item, name, self.value(spec.model, name, unit, n, start, spec))
        for child in spec.children:
            row = child.model(
                **{c.field: self.value(child.model, c.field, unit, n, start) for c in child.columns}
            )
            draft.children[child] = [row]
        return draft

    def create(self, spec: Register, unit: Unit, *, start: date = START, **values: Any) -> Any:
        draft = self.draft(spec, unit, start=start, **values)
        return self.save(spec, draft)

    def save(self, spec: Register, draft: Draft) -> Any:
        return services.item_create(
            spec, draft.item, actor=self.actor, scope_ids=self.scope_ids,
            related=draft.related or None, children=draft.children or None,
        )  # fmt: skip

    # steps
    def step_values(self, spec: Register, item: Any, step: Step, on: date) -> dict[str, Any]:
        """What a clerk fills in on the step's form besides its date."""
        values = {}
        for name in step.requires:
            model_field = spec.model_field(name)
            if isinstance(model_field, models.DateField):
                column = spec.column(name)
                values[name] = on + REQUIRED_DATE if column is not None and column.planned else on
            else:
                values[name] = self.value(spec.model, name, item.unit, item.pk, on, spec)
        return values

    def colleague(self) -> User:
        """A second user of the same unit, for a step its rules keep from the first (审核 by another)."""
        if not hasattr(self, "_colleague"):
            self._colleague = User.objects.create(
                username=f"colleague{next(_ITEMS)}", unit=self.actor.unit, role=self.actor.role
            )
        return self._colleague

    def step(self, spec: Register, item: Any, step: Step, on: date, **values: Any) -> Any:
        values = {**self.step_values(spec, item, step, on), **values}
        recipe_ = RECIPES.get(spec.key)
        if recipe_ is not None and recipe_.prepare is not None:
            recipe_.prepare(self, item, step)
        actor = self.actor
        if step.actor_rule is not None:
            try:
                step.actor_rule(item, actor)
            except ValidationError:
                actor = self.colleague()
        return services.item_transition(
            spec, item, step.to, actor=actor, scope_ids=self.scope_ids, on=on, values=values
        )

    def walk(self, spec: Register, item: Any, path: tuple[Step, ...], *, start: date = START,
             gap: timedelta = GAP, values: dict[str, Any] | None = None) -> list[date]:  # fmt: skip
        """Take ``path``'s steps one after the other (``values`` are filled in at the steps that ask
        for them, and so is the first value of each later step's ``when``, so that it applies); the
        dates they were taken on."""
        values = {**{s.when[0]: s.when[1][0] for s in path if s.when}, **(values or {})}
        dates = []
        for i, step in enumerate(path, start=1):
            on = start + i * gap
            given = {k: v for k, v in values.items() if k in step.requires}
            self.step(spec, item, step, on, **given)
            dates.append(on)
        return dates

    def copy(self, spec: Register, item: Any, **values: Any) -> Draft:
        """A new item with what an import row of stored ``item`` holds (its importable columns, its
        many-to-many values and child rows), its natural key made its own, and ``values``."""
        entered = {}
        related = {}
        for column in spec.import_columns:
            model_field = spec.model_field(column.field)
            if model_field.many_to_many:
                related[column.field] = list(getattr(item, column.field).all())
            elif column.field != "status":
                entered[model_field.attname] = getattr(item, model_field.attname)
        key_field = varying_key_field(spec)
        if key_field is not None:
            entered[key_field.attname] = _vary(key_field, entered[key_field.attname], 999)
        for name in values:
            entered.pop(spec.model_field(name).attname, None)  # a link given as an object
        entered.update(values)
        children = {}
        for child in spec.children:
            children[child] = [
                child.model(**{c.field: getattr(row, c.field) for c in child.columns})
                for row in child.model._default_manager.filter(**{child.fk: item})
            ]
        return Draft(spec.model(**entered), related, children)


def first_path(workflow: Workflow) -> tuple[Step, ...]:
    """The way to a closed state that takes each state's first step where it can: the ordinary course
    of an item (a review accepted and issued, not withdrawn)."""
    path: list[Step] = []
    state, seen = workflow.initial, {workflow.initial}
    while state not in workflow.closed:
        step = next((s for s in workflow.steps_from(state) if s.to not in seen), None)
        if step is None:
            break
        path.append(step)
        state = step.to
        seen.add(state)
    return tuple(path)


# -- many rows at once, past the services ------------------------------------------------------------
def clones(spec: Register, item: Any, count: int, *, first: int = 1) -> list[Any]:
    """``count`` copies of a stored ``item`` (its links, many-to-many and child rows too) written with
    bulk_create, each with its natural key made its own (copies numbered from ``first``): for tests of
    pages over many rows."""
    concrete = [f for f in spec.model._meta.concrete_fields if not f.primary_key]
    key_field = varying_key_field(spec)
    rows = []
    for i in range(count):
        values = {f.attname: getattr(item, f.attname) for f in concrete}
        if key_field is not None:
            values[key_field.attname] = _vary(key_field, values[key_field.attname], first + i)
        rows.append(spec.model(**values))
    rows = spec.model._default_manager.bulk_create(rows, batch_size=500)
    for f in spec.model._meta.many_to_many:
        through = getattr(spec.model, f.name).through
        source = f.m2m_field_name()
        target = f.m2m_reverse_field_name()
        linked = list(getattr(item, f.name).all())
        through.objects.bulk_create(
            [through(**{source: row, target: obj}) for row in rows for obj in linked], batch_size=1000
        )
    for child in spec.children:
        originals = list(child.model._default_manager.filter(**{child.fk: item}))
        copies = []
        for row in rows:
            for original in originals:
                values = {
                    f.attname: getattr(original, f.attname)
                    for f in child.model._meta.concrete_fields
                    if not f.primary_key
                }
                copies.append(child.model(**values))
                setattr(copies[-1], child.fk, row)
        child.model._default_manager.bulk_create(copies, batch_size=1000)
    return rows


def varying_key_field(spec: Register) -> Any:
    """The natural key field a copy changes (a text one where there is one)."""
    fields = [spec.model_field(name) for name in spec.natural_key]
    texts = [f for f in fields if isinstance(f, models.CharField | models.TextField)]
    return (texts or fields or [None])[0]


def _vary(model_field: Any, value: Any, i: int) -> Any:
    """Copy ``i`` (from 1) of a natural key value."""
    if isinstance(model_field, models.CharField | models.TextField):
        suffix, text, limit = f"-{i}", str(value), model_field.max_length
        return (text[: limit - len(suffix)] if limit else text) + suffix
    if isinstance(model_field, models.DateField):
        return value - timedelta(days=i)
    if isinstance(model_field, models.IntegerField):
        return value + i  # the maker's own items count years down
    raise NotImplementedError(f"cannot vary {model_field.name}")


# -- reading back -------------------------------------------------------------------------------------
def timeline_of(item: Any) -> list[tuple[str, str, str, date | None]]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        ).values_list("from_status", "to_status", "label", "on")
    )


def personal_data_columns(spec: Register) -> list[str]:
    return [c.field for c in spec.columns if isinstance(spec.model_field(c.field), PersonalDataField)]


def template_workbook(spec: Register, rows: list[dict[str, Any]]) -> bytes:
    """The register's own import template with ``rows`` typed into its first sheet, each a dict of
    header → cell (a header a row leaves out stays empty)."""
    import io

    from openpyxl import load_workbook

    from . import excel

    book = load_workbook(io.BytesIO(excel.template_bytes(spec)))
    heads = [c.value for c in book.worksheets[0][1]]
    for row in rows:
        book.worksheets[0].append([row.get(h, "") for h in heads])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
