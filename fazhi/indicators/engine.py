"""Compute indicators for a unit subtree and a year.

Every formula part on the same register table becomes one conditional aggregate of a single
``GROUP BY unit_id`` query over the subtree, so the cost is one query per table (plus one for the tree
and one for hand-entered figures), never one per record or per unit. Per-unit sums are then rolled up
the unit tree in Python, and rates are divided only after their parts are rolled up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count as CountAgg
from django.db.models import Q
from django.db.models import Sum as SumAgg

from fazhi.org.models import Unit

from .catalogue import indicators
from .formulas import DEFINITIONS, InForce, Part, Ratio, Total
from .models import ManualValue
from .values import IndicatorValue, rate


@dataclass(frozen=True)
class Subtree:
    ids: list[int]  # deepest units first, so a pass in this order rolls children into parents
    parent: dict[int, int | None]


def subtree(root: Unit) -> Subtree:
    rows = (
        Unit.objects.descendants(root, include_self=True)
        .with_tree_fields()
        .values_list("pk", "parent_id", "tree_depth")
    )
    ordered = sorted(rows, key=lambda r: -r[2])
    return Subtree([pk for pk, _, _ in ordered], {pk: parent for pk, parent, _ in ordered})


def _condition(part: Part, year: int) -> Q:
    start, end = date(year, 1, 1), date(year, 12, 31)
    if isinstance(part, InForce):
        ended = Q(**{f"{part.end_field}__isnull": True}) | Q(**{f"{part.end_field}__gt": end})
        return Q(**{f"{part.start_field}__lte": end}) & ended & part.where
    return Q(**{f"{part.date_field}__gte": start, f"{part.date_field}__lte": end}) & part.where


def _per_unit(parts: Iterable[Part], tree: Subtree, year: int) -> dict[Part, dict[int, Decimal]]:
    """Each part's figure for each unit of the tree (own rows only): one query per table."""
    by_model: dict[type, list[Part]] = defaultdict(list)
    for part in dict.fromkeys(parts):
        by_model[part.model].append(part)
    result: dict[Part, dict[int, Decimal]] = {}
    for model, model_parts in by_model.items():
        aggregates = {}
        for i, part in enumerate(model_parts):
            condition = _condition(part, year)
            if isinstance(part, Total):
                aggregates[f"p{i}"] = SumAgg(part.column, filter=condition)
            else:
                aggregates[f"p{i}"] = CountAgg("pk", filter=condition)
        rows = (
            model._default_manager.filter(unit_id__in=tree.ids)
            .order_by()
            .values("unit_id")
            .annotate(**aggregates)
        )
        for part in model_parts:
            result[part] = {}
        for row in rows:
            for i, part in enumerate(model_parts):
                result[part][row["unit_id"]] = Decimal(row[f"p{i}"] or 0)
    return result


def _roll_up(own: dict[int, Decimal], tree: Subtree) -> dict[int, Decimal]:
    total: dict[int, Decimal] = defaultdict(Decimal)
    for pk in tree.ids:  # deepest first
        total[pk] += own.get(pk, Decimal(0))
        parent = tree.parent[pk]
        if parent in tree.parent:
            total[parent] += total[pk]
    return total


def compute(
    root: Unit, year: int, *, ids: Iterable[str] | None = None, units: Iterable[int] | None = None
) -> dict[int, dict[str, IndicatorValue]]:
    """{unit id: {indicator id: value}} for ``units`` (default: ``root`` and its direct subordinates),
    each figure covering the unit and everything below it. ``ids`` defaults to every indicator that has
    a register or a figure entered by hand."""
    tree = subtree(root)
    wanted_units = (
        list(units)
        if units is not None
        else [root.pk] + [pk for pk, parent in tree.parent.items() if parent == root.pk]
    )
    catalogue = indicators()
    wanted = list(ids) if ids is not None else list(catalogue)
    defined = [DEFINITIONS[i] for i in wanted if i in DEFINITIONS]
    parts = [part for definition in defined for part in definition.parts()]
    rolled = {part: _roll_up(own, tree) for part, own in _per_unit(parts, tree, year).items()}

    def total(parts_: tuple[Part, ...], pk: int) -> int:
        return int(sum((rolled[p].get(pk, Decimal(0)) for p in parts_), Decimal(0)))

    result: dict[int, dict[str, IndicatorValue]] = {pk: {} for pk in wanted_units}
    for definition in defined:
        unit = catalogue[definition.id].unit
        for pk in wanted_units:
            if isinstance(definition.formula, Ratio):
                num, den = total(definition.formula.numerator, pk), total(definition.formula.denominator, pk)
                result[pk][definition.id] = rate(num, den)
            else:
                result[pk][definition.id] = IndicatorValue(
                    rolled[definition.formula].get(pk, Decimal(0)), unit
                )
    manual_ids = [i for i in wanted if i not in DEFINITIONS]
    if manual_ids:
        _add_manual(result, manual_ids, tree, year)
    return result


def _add_manual(
    result: dict[int, dict[str, IndicatorValue]], ids: list[str], tree: Subtree, year: int
) -> None:
    """Hand-entered figures: counts roll up the tree; a rate rolls up only where every entry gave its
    numerator and denominator, else a unit shows only its own entry."""
    catalogue = indicators()
    entries = ManualValue.objects.filter(indicator__in=ids, year=year, unit_id__in=tree.ids)
    by_indicator: dict[str, dict[int, ManualValue]] = defaultdict(dict)
    for entry in entries:
        by_indicator[entry.indicator][entry.unit_id] = entry
    for indicator_id, own in by_indicator.items():
        info = catalogue[indicator_id]
        if not info.is_rate:
            rolled = _roll_up({pk: e.value for pk, e in own.items()}, tree)
            covered = _roll_up({pk: Decimal(1) for pk in own}, tree)
            for pk in result:
                if covered.get(pk):
                    result[pk][indicator_id] = IndicatorValue(rolled[pk], info.unit)
            continue
        complete = all(e.numerator is not None and e.denominator is not None for e in own.values())
        if complete:
            nums = _roll_up({pk: Decimal(e.numerator or 0) for pk, e in own.items()}, tree)
            dens = _roll_up({pk: Decimal(e.denominator or 0) for pk, e in own.items()}, tree)
            for pk in result:
                if dens.get(pk):
                    result[pk][indicator_id] = rate(int(nums[pk]), int(dens[pk]))
        else:
            for pk in result:
                if pk in own:
                    entry = own[pk]
                    result[pk][indicator_id] = IndicatorValue(
                        entry.value, "%", entry.numerator, entry.denominator
                    )
