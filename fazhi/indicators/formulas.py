"""How an indicator is computed from the registers, declared once per indicator.

A formula counts or sums rows of one register table in the period, or rows in force at the period's
end; a rate is the ratio of two sums of such formulas. The engine turns all formulas on one table into
one GROUP BY unit query, whatever the number of indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


Part = Count | Total | InForce


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
