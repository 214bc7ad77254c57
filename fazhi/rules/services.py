"""The rule in force for a unit and a date, and the deadlines registers compute from it.

Resolution: the override of the nearest unit up the tree (the unit itself first) valid on the date wins;
otherwise the national version valid on the date.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core.audit import stamp_actor
from fazhi.org.models import Unit, User
from fazhi.org.selectors import ancestor_ids
from fazhi.workdays.calendar import DayKind, WorkCalendar
from fazhi.workdays.services import work_calendar

from .catalogue import PERIOD_UNITS, Rule, RuleKind, national_rule, national_rules
from .models import RuleOverride
from .signals import rules_changed


@dataclass(frozen=True)
class EffectiveRule:
    rule: Rule  # with the overridden value and unit applied
    default: Rule  # the national version it replaces (the same when not overridden)
    override: RuleOverride | None


_OVERRIDE_CACHE_SECONDS = 30.0
_overridden: tuple[float, frozenset[str]] | None = None


def _overridden_codes() -> frozenset[str]:
    """Codes that some unit overrides (cached briefly per process): for all others the national rule
    applies without looking at the unit's ancestors."""
    global _overridden
    if _overridden is None or time.monotonic() - _overridden[0] > _OVERRIDE_CACHE_SECONDS:
        codes = frozenset(RuleOverride.objects.values_list("rule_code", flat=True).distinct())
        _overridden = (time.monotonic(), codes)
    return _overridden[1]


def forget_overrides() -> None:
    global _overridden
    _overridden = None


_batch: ContextVar[dict | None] = ContextVar("rules_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Within the block, each unit's chain of superiors and each rule's overrides are read once (a
    deadline refresh of thousands of items asks for the same few units and rules over and over)."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def _chain(unit: Unit) -> list[int]:
    memo = _batch.get()
    if memo is None:
        return ancestor_ids(unit)
    if ("chain", unit.pk) not in memo:
        memo[("chain", unit.pk)] = ancestor_ids(unit)
    return memo[("chain", unit.pk)]


def _overrides(code: str, chain: list[int], on: date) -> list[RuleOverride]:
    memo = _batch.get()
    if memo is None:
        found = list(RuleOverride.objects.filter(rule_code=code, unit_id__in=chain, valid_from__lte=on))
    else:
        if ("overrides", code) not in memo:
            memo[("overrides", code)] = list(RuleOverride.objects.filter(rule_code=code))
        found = [o for o in memo[("overrides", code)] if o.unit_id in chain and o.valid_from <= on]
    return [o for o in found if o.valid_to is None or on <= o.valid_to]


def effective_rule(code: str, *, unit: Unit | None = None, on: date | None = None) -> EffectiveRule:
    on = on or timezone.localdate()
    default = national_rule(code, on)
    if unit is None or code not in _overridden_codes():
        return EffectiveRule(default, default, None)
    chain = _chain(unit)
    candidates = _overrides(code, chain, on)
    if not candidates:
        return EffectiveRule(default, default, None)
    best = min(candidates, key=lambda o: (chain.index(o.unit_id), -o.valid_from.toordinal()))
    rule = replace(default, value=best.value, unit=best.measure or default.unit, source=best.source)
    return EffectiveRule(rule, default, best)


def deadline(
    code: str,
    start: date,
    *,
    unit: Unit | None = None,
    calendar: WorkCalendar | None = None,
) -> date:
    """The last day of the period ``code`` that runs from ``start``, counted as rules.md §0 says.

    For a ``minimum`` rule (e.g. 公开征求意见不少于30日) this is the earliest day the step may end (not
    moved off a rest day: the rule for a period's end on a holiday protects those who must act by it).
    Pass a non-strict ``calendar`` to accept guessed years (then check ``calendar.guessed_years``).
    """
    rule = effective_rule(code, unit=unit, on=start).rule
    if rule.kind not in (RuleKind.DEADLINE, RuleKind.MINIMUM):
        raise ValueError(f"规则“{code}”不是期限规则")
    cal = calendar or work_calendar()
    return cal.period_end(
        start, int(rule.number), DayKind(rule.unit), roll_forward=rule.kind is RuleKind.DEADLINE
    )


def annual_due_date(code: str, year: int, *, unit: Unit | None = None) -> date:
    """The last day for a yearly duty “每年M月D日之前” in ``year`` (the day before M-D)."""
    rule = effective_rule(code, unit=unit, on=date(year, 1, 1)).rule
    if rule.kind is not RuleKind.ANNUAL_DATE:
        raise ValueError(f"规则“{code}”不是年度报送日期规则")
    month, day = (int(p) for p in rule.value.split("-"))
    return date(year, month, day) - timedelta(days=1)


def report_parts(on: date | None = None) -> list[Rule]:
    """The required parts of the annual report, in order."""
    on = on or timezone.localdate()
    parts = [r for r in national_rules() if r.kind is RuleKind.REPORT_PART and r.valid_on(on)]
    return sorted(parts, key=lambda r: int(r.value))


@transaction.atomic
def override_save(*, actor: User, override: RuleOverride, unit_ids: list[int]) -> RuleOverride:
    """Record a local rule value for a unit the actor manages."""
    if not actor.can_manage:
        raise PermissionDenied("只有单位管理员或系统管理员可以调整规则。")
    if override.unit_id not in set(unit_ids):
        raise PermissionDenied("适用单位不在您有权管理的范围内。")
    default = national_rule(override.rule_code, override.valid_from)
    measure = override.measure or default.unit
    errors = {}
    if default.kind in (RuleKind.DEADLINE, RuleKind.MINIMUM):
        if measure not in PERIOD_UNITS:
            errors["measure"] = "期限规则的单位应为 日、工作日、月 或 年。"
        if not override.value.isdigit() or int(override.value) <= 0:
            errors["value"] = "期限应为正整数。"
    elif default.kind is RuleKind.ANNUAL_DATE:
        try:
            date(2024, *(int(p) for p in override.value.split("-")))
        except (TypeError, ValueError):
            errors["value"] = "年度日期应写作 月-日，如 03-01。"
    elif default.kind is RuleKind.REPORT_PART:
        errors["rule_code"] = "年度报告必备内容由中办国办规定，不能在地方调整。"
    else:
        try:
            float(override.value)
        except ValueError:
            errors["value"] = "取值应为数字。"
    if override.valid_to and override.valid_to < override.valid_from:
        errors["valid_to"] = "失效日期不能早于生效日期。"
    if errors:
        raise ValidationError(errors)
    override.full_clean()
    stamp_actor(override, actor)
    override.save()
    forget_overrides()
    # open register items whose deadline follows this rule get their new due dates (the registers
    # listen and queue the refresh; the rules do not know who counts deadlines from them)
    rules_changed.send(sender=RuleOverride, actor=actor, unit=override.unit)
    return override


@transaction.atomic
def override_delete(*, actor: User, override: RuleOverride, unit_ids: list[int]) -> None:
    """Remove a local rule value: the national rule (or an override further up) applies again."""
    if not actor.can_manage:
        raise PermissionDenied("只有单位管理员或系统管理员可以调整规则。")
    if override.unit_id not in set(unit_ids):
        raise PermissionDenied("适用单位不在您有权管理的范围内。")
    unit = override.unit
    stamp_actor(override, actor)
    override.delete()
    forget_overrides()
    rules_changed.send(sender=RuleOverride, actor=actor, unit=unit)
