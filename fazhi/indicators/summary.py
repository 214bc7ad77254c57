"""The per-unit, per-year figures (``UnitFigures``) behind the engine: built once over all registers,
then kept up to date by applying each write's change to the unit and the units above it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from django.db import transaction
from django.utils import timezone

from fazhi.org.models import Unit
from fazhi.org.selectors import ancestor_ids

from .formulas import DEFINITIONS, Part
from .models import DataVersion, UnitFigures

YEARS_BACK = 10


def kept_years() -> range:
    """The years whose figures are kept: ten back, this year and the next."""
    this_year = timezone.localdate().year
    return range(this_year - YEARS_BACK, this_year + 2)


@cache
def part_keys() -> dict[Part, str]:
    """A stable key for every formula part (the first indicator that uses it, and its place there)."""
    keys: dict[Part, str] = {}
    for definition in DEFINITIONS.values():
        for i, part in enumerate(definition.parts()):
            keys.setdefault(part, f"{definition.id}.{i}")
    return keys


def is_ready() -> bool:
    return DataVersion.objects.filter(pk=1, figures_ready=True).exists()


def own_figures(year: int, unit_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Each unit's own figures for the year (one GROUP BY query per register table)."""
    from .engine import per_unit

    keys = part_keys()
    own: dict[int, dict[str, int]] = defaultdict(dict)
    for part, by_unit in per_unit(list(keys), year, unit_ids).items():
        for unit_id, value in by_unit.items():
            if value:
                own[unit_id][keys[part]] = value
    return own


def _add(into: dict[str, int], values: dict[str, int], sign: int = 1) -> None:
    for key, value in values.items():
        into[key] = into.get(key, 0) + sign * value
        if not into[key]:
            del into[key]


@transaction.atomic
def rebuild(years: Iterable[int] | None = None) -> int:
    """Recompute every unit's figures from the registers (after bulk loads); returns the rows written."""
    parent = dict(Unit.objects.values_list("pk", "parent_id"))
    written = 0
    for year in years or kept_years():
        own = own_figures(year)
        total: dict[int, dict[str, int]] = defaultdict(dict)
        for unit_id, values in own.items():
            seen = set()
            node: int | None = unit_id
            while node is not None and node not in seen:
                seen.add(node)
                _add(total[node], values)
                node = parent.get(node)
        UnitFigures.objects.filter(year=year).delete()
        rows = [
            UnitFigures(unit_id=unit_id, year=year, own=own.get(unit_id, {}), total=values)
            for unit_id, values in total.items()
            if values
        ]
        UnitFigures.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    DataVersion.objects.update_or_create(pk=1, defaults={"figures_ready": True})
    return written


@transaction.atomic
def refresh(unit_ids: Iterable[int]) -> None:
    """Bring the figures of ``unit_ids`` (whose register rows changed) and of the units above them up to
    date: each unit's change of its own figures is added to every row on its way to the top."""
    units = sorted(set(unit_ids))
    if not units:
        return
    chains = {pk: ancestor_ids(unit) for pk, unit in Unit.objects.in_bulk(units).items()}
    units = list(chains)  # a unit deleted meanwhile has nothing left to count
    affected = {pk for chain in chains.values() for pk in chain}
    for year in kept_years():
        fresh = own_figures(year, units)
        rows = {
            r.unit_id: r
            for r in UnitFigures.objects.select_for_update().filter(year=year, unit_id__in=affected)
        }
        changed: set[int] = set()
        for unit_id in units:
            old = rows[unit_id].own if unit_id in rows else {}
            new = fresh.get(unit_id, {})
            if old == new:
                continue
            delta = dict(new)
            _add(delta, old, sign=-1)
            for node in chains[unit_id]:
                row = rows.setdefault(node, UnitFigures(unit_id=node, year=year, own={}, total={}))
                _add(row.total, delta)
                changed.add(node)
            rows[unit_id].own = new
        for node in changed:
            rows[node].save()


def totals(year: int, unit_ids: list[int]) -> dict[int, dict[str, int]]:
    return dict(UnitFigures.objects.filter(year=year, unit_id__in=unit_ids).values_list("unit_id", "total"))
