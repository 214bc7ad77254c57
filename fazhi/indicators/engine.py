"""Compute indicators for a unit subtree and a year.

Every formula part on the same register table becomes one conditional aggregate of a single
``GROUP BY unit_id`` query, so the cost is one query per table, never one per record or per unit. Those
per-unit figures are kept (``summary``: built once, then updated by each register write), so for the kept
years the engine reads one row per wanted unit; rates are divided only after their parts are summed.
The kinds that are never kept (``People``, ``Via``, ``DueIn``: see ``formulas``) are counted from the
registers on every call, one query per table for all units at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from fazhi.org.models import Unit

from . import summary
from .catalogue import indicators
from .counting import per_unit
from .formulas import DEFINITIONS, Part, Ratio
from .models import ManualValue
from .values import IndicatorValue, rate

N = TypeVar("N", int, Decimal)


@dataclass(frozen=True)
class Subtree:
    ids: list[int]  # shallowest units first
    parent: dict[int, int | None]
    covers_all: bool  # the root is the only top unit: no need to filter rows by unit


def subtree(root: Unit) -> Subtree:
    """The root and every unit below it, from one plain read of the unit table."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    ids, parent_of, frontier = [root.pk], {root.pk: root.parent_id}, [root.pk]
    while frontier:
        below = [child for pk in frontier for child in children.get(pk, ())]
        for pk in frontier:
            for child in children.get(pk, ()):
                parent_of[child] = pk
        ids += below
        frontier = below
    return Subtree(ids, parent_of, covers_all=children[None] == [root.pk])


def _owners(tree: Subtree, wanted: list[int]) -> dict[int, tuple[int, ...]]:
    """For each unit of the tree, the wanted units at or above it (whose figures its rows count in)."""
    wanted_set, owners = set(wanted), {}
    for pk in tree.ids:  # parents before children
        parent = tree.parent[pk]
        inherited = owners.get(parent, ()) if parent is not None else ()
        owners[pk] = inherited + ((pk,) if pk in wanted_set else ())
    return owners


def _totals(
    wanted_keys: dict[str, Part], tree: Callable[[], Subtree], wanted: list[int], year: int
) -> dict[str, dict[int, int]]:
    """Each key's figure for each wanted unit, rolled up: each unit's own figures are added to the
    wanted units at or above it. Read from the kept per-unit figures where they are kept and current;
    counted from the registers otherwise (a stale figure is never used, nor one of a kind not kept)."""
    result: dict[str, dict[int, int]] = {}
    scan = dict(wanted_keys)
    if year in summary.kept_years():
        stale = summary.stale_ids()
        keepable = summary.part_keys()
        kept = {k: p for k, p in wanted_keys.items() if k in keepable and k.split("/")[0] not in stale}
        if kept:
            rows = summary.totals(year, wanted)
            result = {key: {} for key in kept}
            for pk, values in rows.items():
                for key, value in values.items():
                    if key in result:
                        result[key][pk] = value
            scan = {k: p for k, p in wanted_keys.items() if k not in kept}
    if scan:
        owners = _owners(tree(), wanted)
        whole = tree()
        counted = per_unit(list(scan.values()), year, None if whole.covers_all else whole.ids)
        for key, part in scan.items():
            result[key] = _roll(counted[part], owners)
    return result


def compute(
    root: Unit, year: int, *, ids: Iterable[str] | None = None, units: Iterable[int] | None = None
) -> dict[int, dict[str, IndicatorValue]]:
    """{unit id: {indicator id: value}} for ``units`` (default: ``root`` and its direct subordinates),
    each figure covering the unit and everything below it. ``ids`` defaults to every indicator that has
    a register or a figure entered by hand."""
    read: list[Subtree] = []

    def tree() -> Subtree:  # read only when needed: the kept figures do without it
        if not read:
            read.append(subtree(root))
        return read[0]

    if units is not None:
        wanted_units = list(units)
    else:
        wanted_units = [root.pk, *Unit.objects.filter(parent=root).values_list("pk", flat=True)]
    catalogue = indicators()
    wanted = list(ids) if ids is not None else list(catalogue)
    defined = [DEFINITIONS[i] for i in wanted if i in DEFINITIONS]
    keyed = {d.id: summary.definition_parts(d) for d in defined}
    totals = _totals({k: p for parts in keyed.values() for k, p in parts}, tree, wanted_units, year)

    def total(columns: list[dict[int, int]], pk: int) -> int:
        return sum(column.get(pk, 0) for column in columns)

    result: dict[int, dict[str, IndicatorValue]] = {pk: {} for pk in wanted_units}
    for definition in defined:
        unit = catalogue[definition.id].unit
        if isinstance(definition.formula, Ratio):
            nums = [totals[k] for k, _ in keyed[definition.id] if "/num" in k]
            dens = [totals[k] for k, _ in keyed[definition.id] if "/den" in k]
            for pk in wanted_units:
                result[pk][definition.id] = rate(total(nums, pk), total(dens, pk))
        else:
            [column] = [totals[k] for k, _ in keyed[definition.id]]
            for pk in wanted_units:
                result[pk][definition.id] = IndicatorValue(Decimal(column.get(pk, 0)), unit)
    manual_ids = [i for i in wanted if i not in DEFINITIONS]
    if manual_ids and ManualValue.objects.filter(indicator__in=manual_ids, year=year).exists():
        _add_manual(result, manual_ids, tree(), year)
    return result


def _roll(own: dict[int, N], owners: dict[int, tuple[int, ...]]) -> dict[int, N]:
    """Each unit's own figure added to the wanted units at or above it."""
    rolled: dict[int, N] = {}
    for pk, value in own.items():
        for owner in owners.get(pk, ()):
            rolled[owner] = rolled[owner] + value if owner in rolled else value
    return rolled


def _add_manual(
    result: dict[int, dict[str, IndicatorValue]], ids: list[str], tree: Subtree, year: int
) -> None:
    """Hand-entered figures: counts roll up the tree; a rate rolls up only where every entry gave its
    numerator and denominator, else a unit shows only its own entry."""
    catalogue = indicators()
    owners = _owners(tree, list(result))
    entries = ManualValue.objects.filter(indicator__in=ids, year=year)
    if not tree.covers_all:
        entries = entries.filter(unit_id__in=tree.ids)
    by_indicator: dict[str, dict[int, ManualValue]] = defaultdict(dict)
    for entry in entries:
        by_indicator[entry.indicator][entry.unit_id] = entry
    for indicator_id, own in by_indicator.items():
        info = catalogue[indicator_id]
        if not info.is_rate:
            rolled = _roll({pk: e.value for pk, e in own.items()}, owners)
            for pk, value in rolled.items():
                result[pk][indicator_id] = IndicatorValue(value, info.unit)
        elif all(e.numerator is not None and e.denominator is not None for e in own.values()):
            nums = _roll({pk: Decimal(e.numerator or 0) for pk, e in own.items()}, owners)
            dens = _roll({pk: Decimal(e.denominator or 0) for pk, e in own.items()}, owners)
            for pk, den in dens.items():
                if den:
                    result[pk][indicator_id] = rate(int(nums[pk]), int(den))
        else:
            for pk, entry in own.items():
                if pk in result:
                    result[pk][indicator_id] = IndicatorValue(
                        entry.value, "%", entry.numerator, entry.denominator
                    )
