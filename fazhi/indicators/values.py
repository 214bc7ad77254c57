"""An indicator's value for a unit subtree and a year; rates carry their numerator and denominator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class IndicatorValue:
    value: Decimal | None  # None: a rate with nothing to count (denominator 0)
    unit: str
    numerator: int | None = None
    denominator: int | None = None

    def as_dict(self) -> dict:
        value: int | float | None = None
        if self.value is not None:
            integral = self.unit != "%" and self.value == self.value.to_integral_value()
            value = int(self.value) if integral else float(self.value)
        return {
            "value": value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "unit": self.unit,
        }


def count(n: int, unit: str) -> IndicatorValue:
    return IndicatorValue(Decimal(n), unit)


def rate(numerator: int, denominator: int) -> IndicatorValue:
    """A percentage to one decimal place (half up, as reports round), or None when nothing is counted."""
    if not denominator:
        return IndicatorValue(None, "%", numerator, denominator)
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return IndicatorValue(value, "%", numerator, denominator)
