"""Deadlines of register items: computed from rules and working days, shown as 正常 / 临期 / 逾期."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from fazhi.org.models import Unit
from fazhi.rules.catalogue import RuleKind
from fazhi.rules.services import effective_rule
from fazhi.workdays.calendar import DayKind, WorkCalendar
from fazhi.workdays.services import work_calendar


@dataclass(frozen=True)
class Deadline:
    label: str  # what must be done by then, e.g. 出具审查意见
    due: date
    source: str  # the rule's legal source
    guessed: bool = False  # counted in a year whose holiday schedule is not loaded


class DueState(StrEnum):
    NONE = ""
    NORMAL = "正常"
    SOON = "临期"
    OVERDUE = "逾期"


def rule_deadline(code: str, start: date, unit: Unit, label: str, *, extra_workdays: int = 0) -> Deadline:
    """The end of rule ``code``'s period from ``start`` for ``unit`` (its local override, if any).

    ``extra_workdays`` lengthens a working-day period, e.g. by the days a review was paused while the
    submitter supplemented materials.
    """
    rule = effective_rule(code, unit=unit, on=start).rule
    calendar = work_calendar(strict=False)
    kind = DayKind(rule.unit)
    n = int(rule.number) + (extra_workdays if kind is DayKind.WORKDAY else 0)
    due = calendar.period_end(start, n, kind, roll_forward=rule.kind is RuleKind.DEADLINE)
    return Deadline(label, due, rule.source, guessed=not calendar.verified)


def soon_limit(today: date, unit: Unit | None = None, calendar: WorkCalendar | None = None) -> date:
    """The last due date that counts as 临期 today (rule alerts.due_soon, in working days)."""
    rule = effective_rule("alerts.due_soon", unit=unit, on=today).rule
    return (calendar or work_calendar(strict=False)).add_workdays(today, int(rule.number))


def due_state(due: date | None, is_open: bool, today: date, limit: date) -> DueState:
    if due is None or not is_open:
        return DueState.NONE
    if due < today:
        return DueState.OVERDUE
    return DueState.SOON if due <= limit else DueState.NORMAL


def due_conditions(today: date, limit: date) -> dict[DueState, Q]:
    """``due_state`` in SQL, for open items: which due dates are 逾期, 临期 and 正常."""
    return {
        DueState.OVERDUE: Q(due_date__lt=today),
        DueState.SOON: Q(due_date__gte=today, due_date__lte=limit),
        DueState.NORMAL: Q(due_date__gt=limit),
    }


def today() -> date:
    return timezone.localdate()
