"""Chinese working-day arithmetic, as pure functions over per-year schedules.

A day is a working day (工作日) when it is a 调休 make-up day, or a Monday-to-Friday that is not a
statutory holiday. Periods are counted as rules.md §0 says: the start day is not counted; a period in
日 (calendar days, months, years) whose last day is a rest day ends on the next working day
(民事诉讼法 第八十五条, applied by 行政诉讼法 第一百零一条 and 行政复议法 第八十八条); a period in 工作日
skips rest days altogether.

Nothing here guesses: a computation that touches a year without a schedule raises
``UnknownScheduleError`` unless the calendar was made with ``strict=False``, in which case weekends are
used for that year and the year is recorded in ``guessed_years`` so the caller can flag the result.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class DayKind(StrEnum):
    """How a legal period is counted."""

    DAY = "日"
    WORKDAY = "工作日"
    MONTH = "月"
    YEAR = "年"


class UnknownScheduleError(ValueError):
    """A computation needed a year whose holiday schedule is not known."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未载入，无法计算工作日；请系统管理员在“工作日历”中载入国务院办公厅"
            f"{year}年节假日安排（或运行 fazhi workdays load）。"
            f" / No holiday schedule is loaded for {year}."
        )


@dataclass(frozen=True)
class YearSchedule:
    """One year's statutory rest days and 调休 make-up working days."""

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    source: str = ""
    guessed: bool = False

    def is_workday(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def workday_ordinals(self) -> list[int]:
        first = date(self.year, 1, 1).toordinal()
        last = date(self.year, 12, 31).toordinal()
        return [o for o in range(first, last + 1) if self.is_workday(date.fromordinal(o))]


def weekend_only_schedule(year: int) -> YearSchedule:
    """The stand-in used for an unknown year in non-strict mode: weekends only, marked guessed."""
    return YearSchedule(year, frozenset(), frozenset(), source="未载入：仅按周末推算", guessed=True)


@dataclass
class WorkCalendar:
    """Working-day arithmetic over a set of known year schedules."""

    schedules: Mapping[int, YearSchedule]
    strict: bool = True
    guessed_years: set[int] = field(default_factory=set)
    _ordinals: dict[int, list[int]] = field(default_factory=dict, repr=False)

    # -- schedules -------------------------------------------------------------------------------
    def schedule(self, year: int) -> YearSchedule:
        known = self.schedules.get(year)
        if known is not None:
            return known
        if self.strict:
            raise UnknownScheduleError(year)
        self.guessed_years.add(year)
        return weekend_only_schedule(year)

    def _workdays_in(self, year: int) -> list[int]:
        if year in self._ordinals:
            return self._ordinals[year]
        schedule = self.schedule(year)
        days = schedule.workday_ordinals()
        if not schedule.guessed:
            self._ordinals[year] = days
        return days

    @property
    def verified(self) -> bool:
        """False once any computation of this calendar had to guess a year."""
        return not self.guessed_years

    # -- queries ---------------------------------------------------------------------------------
    def is_workday(self, day: date) -> bool:
        return self.schedule(day.year).is_workday(day)

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        return day if self.is_workday(day) else self.add_workdays(day, 1)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` not counted); n < 0 counts backwards."""
        if n == 0:
            return start
        if n < 0:
            return self._subtract_workdays(start, -n)
        year, ordinal, remaining = start.year, start.toordinal(), n
        while True:
            days = self._workdays_in(year)
            i = bisect_right(days, ordinal)
            if remaining <= len(days) - i:
                return date.fromordinal(days[i + remaining - 1])
            remaining -= len(days) - i
            year += 1
            ordinal = date(year, 1, 1).toordinal() - 1

    def _subtract_workdays(self, start: date, n: int) -> date:
        year, ordinal, remaining = start.year, start.toordinal(), n
        while True:
            days = self._workdays_in(year)
            i = bisect_left(days, ordinal)
            if remaining <= i:
                return date.fromordinal(days[i - remaining])
            remaining -= i
            year -= 1
            ordinal = date(year, 12, 31).toordinal() + 1

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.workdays_between(end, start)
        total = 0
        for year in range(start.year, end.year + 1):
            days = self._workdays_in(year)
            total += bisect_right(days, end.toordinal()) - bisect_right(days, start.toordinal())
        return total

    def period_end(self, start: date, n: int, kind: DayKind | str, *, roll_forward: bool = True) -> date:
        """The last day of a period of ``n`` units of ``kind`` that starts after ``start``.

        A period that ends on a rest day is extended to the next working day (rules.md §0.3); a minimum
        period ("不少于30日") is not, so pass ``roll_forward=False`` for one."""
        kind = DayKind(kind)
        if kind is DayKind.WORKDAY:
            return self.add_workdays(start, n)
        if kind is DayKind.DAY:
            end = start + timedelta(days=n)
        elif kind is DayKind.MONTH:
            end = add_months(start, n)
        else:
            end = add_months(start, 12 * n)
        return self.next_workday(end) if roll_forward else end


def add_months(day: date, months: int) -> date:
    """Same day number ``months`` later; a day the target month lacks becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def schedules_from_dates(
    holidays: Iterable[date], makeup_workdays: Iterable[date], source: str
) -> dict[int, YearSchedule]:
    """Group flat date collections (as chinese_calendar ships them) into per-year schedules."""
    by_year: dict[int, tuple[set[date], set[date]]] = {}
    for day in holidays:
        by_year.setdefault(day.year, (set(), set()))[0].add(day)
    for day in makeup_workdays:
        by_year.setdefault(day.year, (set(), set()))[1].add(day)
    return {
        year: YearSchedule(year, frozenset(h), frozenset(w), source=source)
        for year, (h, w) in by_year.items()
    }
