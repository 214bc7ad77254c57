"""The national default rules (national.toml), loaded once into immutable records.

Each rule is declared once, with its legal source and validity; registers never write a deadline or a
limit as a literal, they ask ``fazhi.rules.services`` for the value in force for their unit and date.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path

from fazhi.workdays.calendar import DayKind

CATALOGUE_FILE = Path(__file__).with_name("national.toml")


class RuleKind(StrEnum):
    DEADLINE = "deadline"
    MINIMUM = "minimum"
    ANNUAL_DATE = "annual_date"
    THRESHOLD = "threshold"
    REPORT_PART = "report_part"

    @property
    def label(self) -> str:
        return {
            "deadline": "期限（应在…内）",
            "minimum": "最短期间（不少于）",
            "annual_date": "年度报送日期（…之前）",
            "threshold": "数量标准",
            "report_part": "年度报告必备内容",
        }[self.value]


PERIOD_UNITS = {k.value for k in DayKind}
CONFIDENCE_LABELS = {"certain": "确定", "likely": "较确定", "unsure": "待核实"}


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    code: str
    area: str
    name: str
    kind: RuleKind
    value: str
    unit: str
    start: str
    source: str
    confidence: str
    valid_from: date | None
    valid_to: date | None
    note: str = ""

    @property
    def is_period(self) -> bool:
        return self.unit in PERIOD_UNITS

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)

    @property
    def day_kind(self) -> DayKind:
        if not self.is_period:
            raise CatalogueError(f"规则 {self.code} 不是期间规则（单位：{self.unit}）")
        return DayKind(self.unit)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def display_value(self) -> str:
        if self.kind is RuleKind.ANNUAL_DATE:
            month, day = (int(p) for p in self.value.split("-"))
            return f"每年{month}月{day}日之前"
        if self.kind is RuleKind.REPORT_PART:
            return f"第{self.value}项"
        measure = {"工作日": "个工作日", "月": "个月"}.get(self.unit, self.unit)
        return f"{self.value}{measure}"


def _parse(entry: dict) -> Rule:
    try:
        rule = Rule(
            code=entry["code"],
            area=entry["area"],
            name=entry["name"],
            kind=RuleKind(entry["kind"]),
            value=str(entry["value"]),
            unit=entry.get("unit", ""),
            start=entry.get("start", ""),
            source=entry["source"],
            confidence=entry["confidence"],
            valid_from=entry.get("valid_from"),
            valid_to=entry.get("valid_to"),
            note=entry.get("note", ""),
        )
    except (KeyError, ValueError) as exc:
        raise CatalogueError(f"规则条目有误：{entry.get('code', '?')}：{exc}") from exc
    if rule.confidence not in CONFIDENCE_LABELS:
        raise CatalogueError(f"规则 {rule.code} 的 confidence 应为 certain/likely/unsure")
    if rule.kind in (RuleKind.DEADLINE, RuleKind.MINIMUM) and not rule.is_period:
        raise CatalogueError(f"期限规则 {rule.code} 的单位应为 日/工作日/月/年，而不是“{rule.unit}”")
    if rule.kind is RuleKind.ANNUAL_DATE:
        date(2024, *(int(p) for p in rule.value.split("-")))  # raises on a bad MM-DD
    return rule


@cache
def national_rules() -> tuple[Rule, ...]:
    """All national rule versions, in file order."""
    data = tomllib.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    rules = tuple(_parse(entry) for entry in data["rule"])
    by_code: dict[str, list[Rule]] = {}
    for rule in rules:
        by_code.setdefault(rule.code, []).append(rule)
    for code, versions in by_code.items():
        spans = sorted((v.valid_from or date.min, v.valid_to or date.max) for v in versions)
        for (_, end), (start, _) in itertools.pairwise(spans):
            if start <= end:
                raise CatalogueError(f"规则 {code} 的多个版本有效期重叠")
    return rules


def rule_codes() -> list[str]:
    return sorted({r.code for r in national_rules()})


def national_rule(code: str, on: date | None = None) -> Rule:
    """The national version of ``code`` in force on ``on`` (today when omitted)."""
    on = on or date.today()
    versions = [r for r in national_rules() if r.code == code]
    if not versions:
        raise CatalogueError(f"规则目录中没有“{code}”")
    for rule in versions:
        if rule.valid_on(on):
            return rule
    raise CatalogueError(f"规则“{code}”在 {on} 没有有效版本")
