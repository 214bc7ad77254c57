"""A report's figures against the registers': for each figure the analyzer maps to an indicator, the
value Fazhi computes for the same unit and year (design.md §8, last check)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fazhi.indicators.catalogue import indicators
from fazhi.indicators.engine import compute
from fazhi.org.models import Unit


@dataclass(frozen=True)
class Difference:
    indicator: str
    name: str
    stated: Decimal
    approx: bool
    registered: Decimal | None
    quote: str
    ok: bool

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "name": self.name,
            "stated": float(self.stated),
            "approx": self.approx,
            "registered": None if self.registered is None else float(self.registered),
            "quote": self.quote,
            "ok": self.ok,
        }


def _agrees(stated: Decimal, approx: bool, registered: Decimal, unit: str) -> bool:
    if unit == "%":
        return abs(stated - registered) <= Decimal("0.5") or (approx and registered >= stated)
    if approx:  # "45余件", "近50件": within a tenth, and 余/以上 never above the count
        return abs(registered - stated) <= max(Decimal(1), stated / 10)
    return stated == registered


def against_registers(result: dict, unit: Unit, year: int) -> list[Difference]:
    """Every catalogued figure of an analysis result next to the registers' figure for ``unit``/``year``.
    Figures the registers have no data for (None) are listed too, not judged."""
    figures = compute(unit, year, units=[unit.pk])[unit.pk]
    catalogue = indicators()
    rows = []
    for fact in result["facts"]:
        indicator_id = fact["indicator"]
        if not indicator_id or indicator_id not in figures:
            continue
        registered = figures[indicator_id].value
        stated = Decimal(str(fact["value"]))
        ok = registered is not None and _agrees(
            stated, fact["approx"], registered, catalogue[indicator_id].unit
        )
        rows.append(
            Difference(
                indicator_id,
                catalogue[indicator_id].name,
                stated,
                fact["approx"],
                registered,
                fact["quote"],
                ok,
            )
        )
    return rows
