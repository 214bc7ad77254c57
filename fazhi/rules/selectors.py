from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from fazhi.org.models import Unit

from .catalogue import CONFIDENCE_LABELS, Rule, national_rules
from .services import EffectiveRule, effective_rule


@dataclass(frozen=True)
class RuleRow:
    effective: EffectiveRule
    confidence_label: str
    versions: list[Rule]


def rules_by_area(unit: Unit | None, on: date | None = None) -> dict[str, list[RuleRow]]:
    """Every rule in force on ``on``, grouped by work area, with the unit's override beside the default."""
    on = on or timezone.localdate()
    grouped: dict[str, list[RuleRow]] = {}
    seen: set[str] = set()
    for rule in national_rules():
        if rule.code in seen:
            continue
        seen.add(rule.code)
        versions = [r for r in national_rules() if r.code == rule.code]
        if not any(v.valid_on(on) for v in versions):
            continue
        eff = effective_rule(rule.code, unit=unit, on=on)
        grouped.setdefault(rule.area, []).append(
            RuleRow(eff, CONFIDENCE_LABELS[eff.default.confidence], versions)
        )
    return grouped
