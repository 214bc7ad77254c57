"""How an indicator is computed from the registers, declared once per indicator.

A formula counts or sums rows of one register table in the period, or rows in force at the period's
end; a rate is the ratio of two sums of such formulas. The engine turns all formulas on one table into
one GROUP BY unit query, whatever the number of indicators.

Three kinds read more than one table's own rows, so their figures are never kept (``summary``): the
engine counts them from the registers each time, still one query per table for every unit at once.
``People`` counts distinct people in force (optionally only those whose summed hours of another table
reach a rule's threshold, by a grouped subquery); ``Via`` counts rows of a table that has no unit of its
own, by the unit of the row it belongs to; ``DueIn`` counts rows by a due date only their app can compute
(working days, local rules), evaluated row by row: only for small tables such as 抽查计划.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Count:
    """Rows of ``model`` whose ``date_field`` falls in the period (and match ``where``)."""

    model: type[models.Model]
    date_field: str
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class Total:
    """The sum of ``column`` over the rows of ``model`` whose ``date_field`` falls in the period."""

    model: type[models.Model]
    column: str
    date_field: str
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class InForce:
    """Rows of ``model`` in force at the period's end: started on or before it, not ended by then."""

    model: type[models.Model]
    start_field: str
    end_field: str
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class Distinct:
    """Distinct values of ``key`` (one field, or several taken together) among the rows of ``model``
    whose ``date_field`` falls in the period, counted per unit (e.g. training sessions: the distinct
    (date, course) of a unit's training records, one record per person trained)."""

    model: type[models.Model]
    date_field: str
    key: tuple[str, ...]
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class Reaching:
    """People whose ``column`` summed over the rows of ``model`` dated in the period (matching
    ``where``) reaches the threshold rule ``rule`` of national.toml (as in force at the period's end)."""

    model: type[models.Model]
    person_field: str
    column: str
    date_field: str
    rule: str
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class People:
    """Distinct ``person_field`` of the rows of ``model`` in force at the period's end (as ``InForce``),
    matching ``where``; with ``reaching``, only the people who reach it. A person in force in two units
    counts in each of them. With ``only_while`` (a rule code), nobody is counted in a year whose end the
    rule was not yet in force on (a threshold not yet set is neither met nor missed)."""

    model: type[models.Model]
    person_field: str
    start_field: str
    end_field: str
    where: Q = field(default_factory=Q)
    reaching: Reaching | None = None
    only_while: str | None = None


@dataclass(frozen=True)
class Via:
    """Rows of ``model`` whose ``date_field`` falls in the period, counted in the unit named by
    ``unit_field``: for a table with no unit of its own (a drawn object in its plan's unit:
    ``plan__unit``), or one written outside the register framework (never kept: ``unit``)."""

    model: type[models.Model]
    unit_field: str
    date_field: str
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class DueIn:
    """Rows of ``model`` whose due date, ``due(row)`` as the owning app computes it, falls in the period;
    with ``done_field``, only those done on or before it. ``after_field`` is the date the period runs
    from (never after the due date), used to read only the rows that can fall due in the period; ``name``
    identifies ``due`` in the definition's fingerprint."""

    model: type[models.Model]
    name: str
    due: Callable[[Any], date | None] = field(repr=False, compare=False)
    after_field: str
    lookback_days: int  # the longest period ``due`` can give, in calendar days
    done_field: str | None = None
    where: Q = field(default_factory=Q)


Part = Count | Total | InForce | Distinct | People | Via | DueIn
KEPT_KINDS = (Count, Total, InForce, Distinct)  # the kinds whose per-unit figures ``summary`` keeps


@dataclass(frozen=True)
class Ratio:
    """A percentage: the sum of ``numerator`` parts over the sum of ``denominator`` parts."""

    numerator: tuple[Part, ...]
    denominator: tuple[Part, ...]


Formula = Part | Ratio


@dataclass(frozen=True)
class Definition:
    """An indicator of shared/indicators.md with a register behind it."""

    id: str
    formula: Formula
    higher_is_better: bool = True
    target_rule: str | None = None  # a threshold rule of national.toml (e.g. 100%), overridable locally
    basis: str = ""  # what the figure counts, in the words of the policy that asks for it

    def parts(self) -> tuple[Part, ...]:
        if isinstance(self.formula, Ratio):
            return self.formula.numerator + self.formula.denominator
        return (self.formula,)


DEFINITIONS: dict[str, Definition] = {}


def define(*definitions: Definition) -> None:
    """Declare indicators (called from a register app's indicators module)."""
    from .catalogue import indicators

    catalogue = indicators()
    for definition in definitions:
        if definition.id not in catalogue:
            raise ValueError(f"indicator {definition.id} is not in the catalogue (shared/indicators.md)")
        is_rate = isinstance(definition.formula, Ratio)
        if is_rate != catalogue[definition.id].is_rate:
            raise ValueError(f"indicator {definition.id}: a rate must be a Ratio and a count must not")
        DEFINITIONS[definition.id] = definition
