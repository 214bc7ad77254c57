"""Counting formula parts straight from the register tables: one ``GROUP BY unit`` query per table
with a conditional aggregate per part and year. The engine (for years not kept) and the kept figures
(``summary``) both count through here."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.db.models import Count as CountAgg
from django.db.models import Sum as SumAgg
from django.db.models.functions import Cast, Concat

from fazhi.rules.catalogue import CatalogueError
from fazhi.rules.services import effective_rule

from .formulas import Distinct, DueIn, InForce, Part, People, Reaching, Total, Via


def _in_force(code: str, year: int) -> bool:
    try:
        effective_rule(code, on=date(year, 12, 31))
    except CatalogueError:
        return False
    return True


def _reaching_people(reaching: Reaching, year: int) -> Any:
    """The people whose summed ``column`` in ``year`` reaches the rule's threshold: a grouped subquery
    (GROUP BY person HAVING SUM(column) >= threshold), inlined in the counting query."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    threshold = effective_rule(reaching.rule, on=end).rule.number
    return (
        reaching.model._default_manager.filter(
            reaching.where, **{f"{reaching.date_field}__gte": start, f"{reaching.date_field}__lte": end}
        )
        .order_by()
        .values(reaching.person_field)
        .annotate(reached=SumAgg(reaching.column))
        .filter(reached__gte=threshold)
        .values(reaching.person_field)
    )


def _condition(part: Part, year: int) -> Q:
    start, end = date(year, 1, 1), date(year, 12, 31)
    if isinstance(part, InForce | People):
        ended = Q(**{f"{part.end_field}__isnull": True}) | Q(**{f"{part.end_field}__gt": end})
        condition = Q(**{f"{part.start_field}__lte": end}) & ended & part.where
        if isinstance(part, People):
            rules = [r for r in (part.only_while, part.reaching and part.reaching.rule) if r]
            if not all(_in_force(code, year) for code in rules):
                return Q(pk__in=[])
            if part.reaching is not None:
                condition &= Q(**{f"{part.person_field}__in": _reaching_people(part.reaching, year)})
        return condition
    assert not isinstance(part, DueIn)
    return Q(**{f"{part.date_field}__gte": start, f"{part.date_field}__lte": end}) & part.where


def _reach(parts: list[Part], years: list[int]) -> Q:
    """Rows that any of ``parts`` can count in ``years``, so an index on the date fields narrows the scan."""
    start, end = date(min(years), 1, 1), date(max(years), 12, 31)
    reach = Q(pk__in=[])
    for part in parts:
        if isinstance(part, InForce | People):
            reach |= Q(**{f"{part.start_field}__lte": end})
        elif not isinstance(part, DueIn):
            reach |= Q(**{f"{part.date_field}__gte": start, f"{part.date_field}__lte": end})
    return reach


def _unit_field(part: Part) -> str:
    return part.unit_field if isinstance(part, Via) else "unit"


def _aggregate(part: Part, condition: Q) -> Any:
    if isinstance(part, Total):
        return SumAgg(part.column, filter=condition)
    if isinstance(part, People):
        return CountAgg(part.person_field, filter=condition, distinct=True)
    if isinstance(part, Distinct):
        if len(part.key) == 1:
            return CountAgg(part.key[0], filter=condition, distinct=True)
        texts: list[Any] = []
        for name in part.key:  # joined by a control character no field holds: ("a", "b") is never ("ab", "")
            texts += [Cast(name, models.TextField()), Value("\x1f")]
        return CountAgg(Concat(*texts[:-1], output_field=models.TextField()), filter=condition, distinct=True)
    return CountAgg("pk", filter=condition)


def per_unit_by_year(
    parts: list[Part], years: list[int], unit_ids: list[int] | None = None
) -> dict[tuple[Part, int], dict[int, int]]:
    """Each part's figure in each year for each unit's own rows (``unit_ids=None``: every unit): one
    GROUP BY unit query per register table (a table counted by another's unit, or by due dates computed
    row by row, is one more), whatever the number of parts and years."""
    by_table: dict[tuple[type[models.Model], str], list[Part]] = defaultdict(list)
    due_parts: dict[type[models.Model], list[DueIn]] = defaultdict(list)
    for part in dict.fromkeys(parts):
        if isinstance(part, DueIn):
            due_parts[part.model].append(part)
        else:
            by_table[(part.model, _unit_field(part))].append(part)
    result: dict[tuple[Part, int], dict[int, int]] = {}
    for (model, unit_field), model_parts in by_table.items():
        cells = [(part, year) for part in model_parts for year in years]
        aggregates = {
            f"p{i}": _aggregate(part, _condition(part, year)) for i, (part, year) in enumerate(cells)
        }
        rows = model._default_manager.filter(_reach(model_parts, years))
        if unit_ids is not None:
            rows = rows.filter(**{f"{unit_field}__in": unit_ids})
        sums: list[dict[int, int]] = [{} for _ in cells]
        for row in rows.order_by().values_list(unit_field).annotate(**aggregates):
            for i, value in enumerate(row[1:]):
                if value:
                    sums[i][row[0]] = value
        for i, cell in enumerate(cells):
            result[cell] = sums[i]
    for model, dues in due_parts.items():
        result.update(_due_in(model, dues, years, unit_ids))
    return result


def _due_in(
    model: type[models.Model], parts: list[DueIn], years: list[int], unit_ids: list[int] | None
) -> dict[tuple[Part, int], dict[int, int]]:
    """``DueIn`` parts of one table: one read of the rows that can fall due in ``years`` (only the fields
    the due dates need), each row's due date computed once by its app, then counted per part."""
    start, end = date(min(years), 1, 1), date(max(years), 12, 31)
    earliest = start - timedelta(days=max(p.lookback_days for p in parts))
    reach = Q(pk__in=[])
    for part in parts:
        reach |= Q(**{f"{part.after_field}__gte": earliest, f"{part.after_field}__lte": end})
    rows = model._default_manager.filter(reach).select_related("unit").order_by()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    flags = {
        f"w{i}": ExpressionWrapper(part.where, output_field=BooleanField()) if part.where else Value(True)
        for i, part in enumerate(parts)
    }
    fields = {"pk", "unit", *(p.after_field for p in parts), *(p.done_field for p in parts if p.done_field)}
    result: dict[tuple[Part, int], dict[int, int]] = {(p, y): {} for p in parts for y in years}
    wanted = set(years)
    for row in rows.only(*fields).annotate(**flags):
        dues: dict[str, date | None] = {}
        for i, part in enumerate(parts):
            if not getattr(row, f"w{i}"):
                continue
            if part.name not in dues:
                dues[part.name] = part.due(row)
            due = dues[part.name]
            if due is None or due.year not in wanted:
                continue
            if part.done_field is not None:
                done = getattr(row, part.done_field)
                if done is None or done > due:
                    continue
            counted = result[(part, due.year)]
            counted[row.unit_id] = counted.get(row.unit_id, 0) + 1
    return result


def per_unit(parts: list[Part], year: int, unit_ids: list[int] | None = None) -> dict[Part, dict[int, int]]:
    """Each part's figure for each unit's own rows in one year."""
    return {part: values for (part, _), values in per_unit_by_year(parts, [year], unit_ids).items()}
