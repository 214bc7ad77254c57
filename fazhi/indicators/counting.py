"""Counting formula parts straight from the register tables: one ``GROUP BY unit_id`` query per table
with a conditional aggregate per part and year. The engine (for years not kept) and the kept figures
(``summary``) both count through here."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count as CountAgg
from django.db.models import Q
from django.db.models import Sum as SumAgg

from .formulas import InForce, Part, Total


def _condition(part: Part, year: int) -> Q:
    start, end = date(year, 1, 1), date(year, 12, 31)
    if isinstance(part, InForce):
        ended = Q(**{f"{part.end_field}__isnull": True}) | Q(**{f"{part.end_field}__gt": end})
        return Q(**{f"{part.start_field}__lte": end}) & ended & part.where
    return Q(**{f"{part.date_field}__gte": start, f"{part.date_field}__lte": end}) & part.where


def _reach(parts: list[Part], years: list[int]) -> Q:
    """Rows that any of ``parts`` can count in ``years``, so an index on the date fields narrows the scan."""
    start, end = date(min(years), 1, 1), date(max(years), 12, 31)
    reach = Q(pk__in=[])
    for part in parts:
        if isinstance(part, InForce):
            reach |= Q(**{f"{part.start_field}__lte": end})
        else:
            reach |= Q(**{f"{part.date_field}__gte": start, f"{part.date_field}__lte": end})
    return reach


def per_unit_by_year(
    parts: list[Part], years: list[int], unit_ids: list[int] | None = None
) -> dict[tuple[Part, int], dict[int, int]]:
    """Each part's figure in each year for each unit's own rows (``unit_ids=None``: every unit): one
    GROUP BY unit query per register table, whatever the number of parts and years."""
    by_model: dict[type[models.Model], list[Part]] = defaultdict(list)
    for part in dict.fromkeys(parts):
        by_model[part.model].append(part)
    result: dict[tuple[Part, int], dict[int, int]] = {}
    for model, model_parts in by_model.items():
        cells = [(part, year) for part in model_parts for year in years]
        aggregates: dict[str, Any] = {}
        for i, (part, year) in enumerate(cells):
            condition = _condition(part, year)
            if isinstance(part, Total):
                aggregates[f"p{i}"] = SumAgg(part.column, filter=condition)
            else:
                aggregates[f"p{i}"] = CountAgg("pk", filter=condition)
        rows = model._default_manager.filter(_reach(model_parts, years))
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        sums: list[dict[int, int]] = [{} for _ in cells]
        for row in rows.order_by().values_list("unit_id").annotate(**aggregates):
            for i, value in enumerate(row[1:]):
                if value:
                    sums[i][row[0]] = value
        for i, cell in enumerate(cells):
            result[cell] = sums[i]
    return result


def per_unit(parts: list[Part], year: int, unit_ids: list[int] | None = None) -> dict[Part, dict[int, int]]:
    """Each part's figure for each unit's own rows in one year."""
    return {part: values for (part, _), values in per_unit_by_year(parts, [year], unit_ids).items()}
