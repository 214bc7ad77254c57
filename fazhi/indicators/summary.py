"""The per-unit, per-year figures (``UnitFigures``) behind the engine: built once over all registers,
then kept up to date by recounting only what a write touched — its own register table, for the units
and years its dates fall in — and adding the change to the unit and the units above it.

Figures are keyed by indicator id and part name (``legality_review_rate/num0``), so adding or reordering
indicators never shifts another's figures. Each definition's fingerprint is kept beside the figures; a
changed definition makes its figures stale until a rebuild, and the engine then counts that indicator
from the registers directly instead of showing a stale number."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.org.models import Unit
from fazhi.org.selectors import ancestor_chains

from .counting import per_unit_by_year
from .formulas import DEFINITIONS, KEPT_KINDS, Definition, DueIn, InForce, Part, People, Ratio
from .models import DataVersion, UnitFigures

YEARS_BACK = 10


def kept_years() -> range:
    """The years whose figures are kept: ten back, this year and the next."""
    this_year = timezone.localdate().year
    return range(this_year - YEARS_BACK, this_year + 2)


def definition_parts(definition: Definition) -> list[tuple[str, Part]]:
    """(stable key, part) of a definition: ``id/value``, or ``id/num0`` … and ``id/den0`` … of a rate."""
    if isinstance(definition.formula, Ratio):
        return [(f"{definition.id}/num{i}", p) for i, p in enumerate(definition.formula.numerator)] + [
            (f"{definition.id}/den{i}", p) for i, p in enumerate(definition.formula.denominator)
        ]
    return [(f"{definition.id}/value", definition.formula)]


def is_kept(definition: Definition) -> bool:
    """Whether the definition's figures are kept: all its parts count one table's own rows (the other
    kinds read tables whose writes do not refresh them, so the engine counts them each time)."""
    return all(isinstance(part, KEPT_KINDS) for part in definition.parts())


@cache
def part_keys() -> dict[str, Part]:
    """Every kept key and the formula part it counts."""
    return {key: part for d in DEFINITIONS.values() if is_kept(d) for key, part in definition_parts(d)}


def _keys_by_part(model: type[models.Model] | None = None) -> dict[Part, list[str]]:
    keys: dict[Part, list[str]] = defaultdict(list)
    for key, part in part_keys().items():
        if model is None or part.model is model:
            keys[part].append(key)
    return keys


def fingerprint(definition: Definition) -> str:
    """Changes whenever the definition's formula does (its tables, fields and conditions)."""
    return hashlib.sha256(repr(definition.formula).encode()).hexdigest()[:16]


def fingerprints() -> dict[str, str]:
    return {d.id: fingerprint(d) for d in DEFINITIONS.values() if is_kept(d)}


def stale_ids() -> set[str]:
    """Indicators whose kept figures cannot be used: never built, or built for another definition."""
    row = DataVersion.objects.filter(pk=1).values_list("figures_ready", "figures_fingerprint").first()
    if row is None or not row[0]:
        return {i for i, d in DEFINITIONS.items() if is_kept(d)}
    kept = row[1] or {}
    return {i for i, value in fingerprints().items() if kept.get(i) != value}


def is_ready() -> bool:
    return DataVersion.objects.filter(pk=1, figures_ready=True).exists()


# -- what a write touches ---------------------------------------------------------------------------
def _date_fields(part: Part) -> tuple[str, ...]:
    if isinstance(part, InForce | People):
        return (part.start_field, part.end_field)
    if isinstance(part, DueIn):
        return (part.after_field,)
    return (part.date_field,)


def dated(model: type[models.Model]) -> list[str]:
    """The date fields of ``model`` that its formula parts count by."""
    return sorted({f for p in part_keys().values() if p.model is model for f in _date_fields(p)})


def touched_years(model: type[models.Model], items: Iterable[Any]) -> set[int]:
    """The kept years whose figures the rows ``items`` (before and after a write) can count in."""
    years: set[int] = set()
    kept = kept_years()
    parts = [p for p in part_keys().values() if p.model is model]
    for item in items:
        for part in parts:
            if isinstance(part, InForce):
                start = getattr(item, part.start_field)
                if isinstance(start, date):  # in force from its start until the end of the kept years
                    years.update(range(max(start.year, kept.start), kept.stop))
            else:
                value = getattr(item, _date_fields(part)[0])
                if isinstance(value, date):
                    years.add(value.year)
    return years & set(kept)


def _lookups(q: Q) -> list[str]:
    found = []
    for child in q.children:
        if isinstance(child, Q):
            found += _lookups(child)
        elif isinstance(child, tuple):
            found.append(child[0])
    return found


@cache
def dependents(model: type[models.Model]) -> list[tuple[type[models.Model], str, tuple[str, ...]]]:
    """(table, link, fields): the tables whose parts look through ``link`` at these ``fields`` of
    ``model`` (e.g. a document's part reads its review's opinion date), so a change of those fields
    changes the figures of the rows that link to it."""
    found: dict[tuple[type[models.Model], str], set[str]] = defaultdict(set)
    for part in part_keys().values():
        for lookup in _lookups(part.where):
            link, _, rest = lookup.partition("__")
            if not rest:
                continue
            field = part.model._meta.get_field(link)
            if field.is_relation and field.related_model is model:
                found[(part.model, link)].add(rest.split("__")[0])
    return [(m, link, tuple(sorted(fields))) for (m, link), fields in found.items()]


# -- building and keeping ---------------------------------------------------------------------------
def _own_figures(
    years: Iterable[int], unit_ids: list[int] | None = None, model: type[models.Model] | None = None
) -> dict[int, dict[int, dict[str, int]]]:
    """{year: {unit: {key: value}}} of each unit's own rows (one GROUP BY per register table, all
    years at once); ``model`` limits it to one table's keys."""
    keys = _keys_by_part(model)
    years = list(years)
    own: dict[int, dict[int, dict[str, int]]] = {y: defaultdict(dict) for y in years}
    for (part, year), by_unit in per_unit_by_year(list(keys), years, unit_ids).items():
        for unit_id, value in by_unit.items():
            if value:
                for key in keys[part]:
                    own[year][unit_id][key] = value
    return own


def _add(into: dict[str, int], values: dict[str, int], sign: int = 1) -> None:
    for key, value in values.items():
        into[key] = into.get(key, 0) + sign * value
        if not into[key]:
            del into[key]


@transaction.atomic
def rebuild(years: Iterable[int] | None = None) -> int:
    """Recompute every unit's figures from the registers (after bulk loads or a changed definition);
    returns the rows written."""
    parent = dict(Unit.objects.values_list("pk", "parent_id"))
    written = 0
    years = list(years or kept_years())
    own_by_year = _own_figures(years)
    for year in years:
        own = own_by_year[year]
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
    DataVersion.objects.update_or_create(
        pk=1, defaults={"figures_ready": True, "figures_fingerprint": fingerprints()}
    )
    return written


@transaction.atomic
def refresh(model: type[models.Model], unit_ids: Iterable[int], years: Iterable[int]) -> None:
    """Bring the figures of ``model``'s table for ``unit_ids`` (whose rows changed) and ``years`` up to
    date: each unit's change of its own figures is added to every row on its way to the top."""
    units = sorted(set(unit_ids))
    years = sorted(set(years) & set(kept_years()))
    keys = {k for ks in _keys_by_part(model).values() for k in ks}
    if not units or not years or not keys:
        return
    chains = ancestor_chains(units)
    units = list(chains)  # a unit deleted meanwhile has nothing left to count
    affected = {pk for chain in chains.values() for pk in chain}
    fresh = _own_figures(years, units, model)
    rows = {
        (r.year, r.unit_id): r
        for r in UnitFigures.objects.select_for_update().filter(year__in=years, unit_id__in=affected)
    }
    changed: set[tuple[int, int]] = set()
    for year in years:
        for unit_id in units:
            row = rows.get((year, unit_id))
            old = {k: v for k, v in (row.own if row else {}).items() if k in keys}
            new = fresh[year].get(unit_id, {})
            if old == new:
                continue
            delta = dict(new)
            _add(delta, old, sign=-1)
            for node in chains[unit_id]:
                target = rows.setdefault((year, node), UnitFigures(unit_id=node, year=year, own={}, total={}))
                _add(target.total, delta)
                changed.add((year, node))
            own_row = rows[(year, unit_id)]
            own_row.own = {**{k: v for k, v in own_row.own.items() if k not in keys}, **new}
    stored = [rows[k] for k in changed if rows[k].pk is not None]
    UnitFigures.objects.bulk_create([rows[k] for k in changed if rows[k].pk is None])
    UnitFigures.objects.bulk_update(stored, ["own", "total"])


def totals(year: int, unit_ids: list[int]) -> dict[int, dict[str, int]]:
    return dict(UnitFigures.objects.filter(year=year, unit_id__in=unit_ids).values_list("unit_id", "total"))
