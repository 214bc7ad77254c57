"""What the dashboard shows: the unit's figures against targets and last year, trends, rankings of
subordinate units. Every figure comes from the cached engine results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fazhi.org.models import Unit, UnitLevel
from fazhi.rules.services import effective_rule

from .catalogue import indicators
from .formulas import DEFINITIONS
from .models import ManualValue
from .services import unit_figures
from .values import IndicatorValue


@dataclass(frozen=True)
class FigureRow:
    id: str
    name: str
    area: str
    unit: str
    value: IndicatorValue
    last_year: IndicatorValue | None
    target: Decimal | None
    target_source: str
    higher_is_better: bool
    manual: bool
    reported: tuple[int, int] | None = None  # hand-entered: (units that entered it, units that report)

    @property
    def change(self) -> Decimal | None:
        if self.value.value is None or self.last_year is None or self.last_year.value is None:
            return None
        return self.value.value - self.last_year.value

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value.value is None:
            return None
        return self.value.value >= self.target if self.higher_is_better else self.value.value <= self.target


def _target(indicator_id: str, unit: Unit, year: int) -> tuple[Decimal | None, str]:
    definition = DEFINITIONS.get(indicator_id)
    if definition is None or definition.target_rule is None:
        return None, ""
    rule = effective_rule(definition.target_rule, unit=unit, on=date(year, 12, 31)).rule
    return rule.number, rule.source


def key_figures(unit: Unit, year: int) -> list[FigureRow]:
    """Every indicator with a register, and every one entered by hand for the year, in catalogue order."""
    now = unit_figures(unit, year)[unit.pk]
    before = unit_figures(unit, year - 1)[unit.pk]
    coverage = manual_coverage(unit, year)
    rows = []
    for info in indicators().values():
        if info.id not in now:
            continue
        definition = DEFINITIONS.get(info.id)
        target, source = _target(info.id, unit, year)
        rows.append(
            FigureRow(
                id=info.id,
                name=info.name,
                area=info.area,
                unit=info.unit,
                value=now[info.id],
                last_year=before.get(info.id),
                target=target,
                target_source=source,
                higher_is_better=definition.higher_is_better if definition else True,
                manual=definition is None,
                reported=coverage.get(info.id) if definition is None else None,
            )
        )
    return rows


def manual_coverage(unit: Unit, year: int) -> dict[str, tuple[int, int]]:
    """For each hand-entered indicator: how many of the units that report to ``unit`` (itself and its
    direct subordinates other than villages) entered it in their subtree, of how many — so one
    township's figure is never read as the county's without saying so."""
    from fazhi.org.selectors import branches_below

    reporters = [unit, *unit.children.exclude(level=UnitLevel.VILLAGE)]
    reporting = {r.pk for r in reporters}
    owner = {pk: branch for pk, branch in branches_below(unit).items() if branch in reporting}
    owner[unit.pk] = unit.pk
    entered: dict[str, set[int]] = {}
    for indicator, unit_id in ManualValue.objects.filter(year=year, unit_id__in=list(owner)).values_list(
        "indicator", "unit_id"
    ):
        entered.setdefault(indicator, set()).add(owner[unit_id])
    return {indicator: (len(units), len(reporters)) for indicator, units in entered.items()}


def trend(unit: Unit, years: range, indicator_ids: list[str]) -> dict[str, list[float | None]]:
    series: dict[str, list[float | None]] = {i: [] for i in indicator_ids}
    for year in years:
        figures = unit_figures(unit, year)[unit.pk]
        for indicator_id in indicator_ids:
            value = figures.get(indicator_id)
            series[indicator_id].append(None if value is None or value.value is None else float(value.value))
    return series


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit: Unit
    value: IndicatorValue


def ranking(unit: Unit, year: int, indicator_id: str) -> list[RankRow]:
    """The unit's direct subordinates by the indicator, best first (units without a figure last)."""
    figures = unit_figures(unit, year)
    children = {u.pk: u for u in Unit.objects.filter(pk__in=[pk for pk in figures if pk != unit.pk])}
    definition = DEFINITIONS.get(indicator_id)
    sign = 1 if definition is None or definition.higher_is_better else -1
    scored = [(pk, figures[pk].get(indicator_id)) for pk in children]
    with_value = sorted(
        ((pk, v) for pk, v in scored if v is not None and v.value is not None),
        key=lambda x: -sign * x[1].value,
    )
    rows, rank, previous = [], 0, None
    for n, (pk, value) in enumerate(with_value, start=1):
        if value.value != previous:
            rank, previous = n, value.value
        rows.append(RankRow(rank, children[pk], value))
    return rows


def _number(value: IndicatorValue | None) -> float | None:
    return None if value is None or value.value is None else float(value.value)


def figures_table(figures: list[FigureRow], year: int) -> tuple[list[str], list[list]]:
    headers = [
        "领域",
        "指标",
        "单位",
        f"{year}年",
        "分子",
        "分母",
        "目标",
        f"{year - 1}年",
        "是否达标",
        "来源",
    ]
    rows = [
        [
            f.area, f.name, f.unit, _number(f.value), f.value.numerator, f.value.denominator,
            None if f.target is None else float(f.target), _number(f.last_year),
            "" if f.met is None else ("达标" if f.met else "未达标"), "填报" if f.manual else "台账",
        ]
        for f in figures
    ]  # fmt: skip
    return headers, rows


def ranking_table(rows: list[RankRow], indicator_id: str) -> tuple[list[str], list[list]]:
    name = indicators()[indicator_id].name
    return ["名次", "单位", name, "分子", "分母"], [
        [r.rank, r.unit.name, _number(r.value), r.value.numerator, r.value.denominator] for r in rows
    ]
