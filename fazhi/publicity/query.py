"""The filters of a public listing, read from its query string: odd values are ignored, never an error."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.org.models import Unit


@dataclass(frozen=True)
class PublicFilters:
    unit: Unit | None
    year: int | None
    q: str


def public_filters(request) -> PublicFilters:
    unit = year = None
    raw_unit, raw_year = request.GET.get("unit", ""), request.GET.get("year", "")
    if raw_unit.isdigit() and len(raw_unit) < 12:
        unit = Unit.objects.filter(pk=int(raw_unit), is_active=True).first()
    if raw_year.isdigit() and len(raw_year) == 4:
        year = int(raw_year)
    return PublicFilters(unit, year, request.GET.get("q", "").strip()[:50])
