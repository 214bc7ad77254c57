"""A report's figures against the registers': for each figure the analyzer maps to an indicator, the
value Fazhi computes for the same unit and year (design.md §8, last check). A figure whose clause names
one of the unit's subordinates (“最高的是城关镇（100%）”) is that subordinate's, and is compared with its
registers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.formats import plain_number
from fazhi.indicators.catalogue import indicators
from fazhi.indicators.engine import compute
from fazhi.org.models import Unit, UnitLevel


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


def _names(unit: Unit) -> list[tuple[str, Unit]]:
    """The names a report may call the unit's subordinates by (青山县城关镇, 城关镇, 县司法局, 司法局),
    longest first, so 城关镇 is not found inside 青山县城关镇 of another."""
    names = []
    for child in unit.children.exclude(level=UnitLevel.VILLAGE):
        for name in {child.name, child.short_name, child.name.removeprefix(unit.name)}:
            if len(name) >= 2:
                names.append((name, child))
    return sorted(names, key=lambda n: -len(n[0]))


def _named(fact: dict, names: list[tuple[str, Unit]]) -> Unit | None:
    """The subordinate named nearest before the figure in its clause, if any."""
    quote = fact["quote"]
    figure_at = quote.find(plain_number(Decimal(str(fact["value"]))))
    before = quote if figure_at < 0 else quote[:figure_at]
    found = [(before.rfind(name), child) for name, child in names if name in before]
    return max(found, key=lambda f: f[0])[1] if found else None


def against_registers(result: dict, unit: Unit, year: int) -> list[Difference]:
    """Every catalogued figure of an analysis result next to the registers' figure for ``unit``/``year``
    (or for the subordinate its clause names). Figures the registers have no data for (None) are listed
    too, not judged."""
    figures = {unit.pk: compute(unit, year, units=[unit.pk])[unit.pk]}
    names = _names(unit)
    catalogue = indicators()
    rows = []
    for fact in result["facts"]:
        indicator_id = fact["indicator"]
        named = _named(fact, names) or unit
        if named.pk not in figures:
            figures[named.pk] = compute(named, year, units=[named.pk])[named.pk]
        if not indicator_id or indicator_id not in figures[named.pk]:
            continue
        registered = figures[named.pk][indicator_id].value
        stated = Decimal(str(fact["value"]))
        ok = registered is not None and _agrees(
            stated, fact["approx"], registered, catalogue[indicator_id].unit
        )
        rows.append(
            Difference(
                indicator_id,
                catalogue[indicator_id].name
                if named is unit
                else f"{catalogue[indicator_id].name}（{named.name}）",
                stated,
                fact["approx"],
                registered,
                fact["quote"],
                ok,
            )
        )
    return rows
