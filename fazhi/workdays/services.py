"""The project's working-day calendar: package schedules plus the ones administrators loaded.

Every register computes deadlines through ``work_calendar()`` (or the shortcuts below), so a schedule
loaded here changes every deadline computed afterwards.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from .calendar import DayKind, WorkCalendar, YearSchedule
from .models import WorkdaySchedule
from .schedules import package_schedules, parse_schedule, schedule_to_dict
from .signals import schedules_changed

_CACHE_SECONDS = 30.0
# (when read, the schedules, each known year's working days as ordinals: shared by the calendars made
# from those schedules, so a deadline does not list a year's days again)
_cache: tuple[float, dict[int, YearSchedule], dict[int, list[int]]] | None = None


def _loaded_schedules() -> dict[int, YearSchedule]:
    return {
        row.year: parse_schedule(
            {
                "year": row.year,
                "source": row.source,
                "holidays": row.holidays,
                "makeup_workdays": row.makeup_workdays,
            }
        )
        for row in WorkdaySchedule.objects.all()
    }


def _cached() -> tuple[float, dict[int, YearSchedule], dict[int, list[int]]]:
    global _cache
    if _cache is None or time.monotonic() - _cache[0] > _CACHE_SECONDS:
        merged = package_schedules()
        merged.update(_loaded_schedules())
        _cache = (time.monotonic(), merged, {})
    return _cache


def all_schedules() -> dict[int, YearSchedule]:
    """Package schedules overlaid with loaded ones; cached briefly per process."""
    return _cached()[1]


def invalidate_cache() -> None:
    global _cache
    _cache = None


def work_calendar(*, strict: bool = True) -> WorkCalendar:
    """A fresh calendar; with strict=False unknown years are guessed and listed in ``guessed_years``.
    Calendars of the same schedules share the working days they have listed (never a guessed year's)."""
    _, schedules, ordinals = _cached()
    return WorkCalendar(schedules, strict=strict, _ordinals=ordinals)


@transaction.atomic
def schedule_load(schedule: YearSchedule, *, actor: Any = None) -> WorkdaySchedule:
    """Store (or replace) one year's schedule. The acting user is recorded by the history middleware;
    ``actor`` is passed on to those listening for ``schedules_changed`` (None: the CLI, the system)."""
    data = schedule_to_dict(schedule)
    row, _ = WorkdaySchedule.objects.update_or_create(
        year=schedule.year,
        defaults={k: v for k, v in data.items() if k != "year"},
    )
    invalidate_cache()
    # the open deadlines of every register are counted in working days: whoever counts them listens
    schedules_changed.send(sender=WorkdaySchedule, actor=actor, years=[schedule.year])
    return row


@dataclass(frozen=True)
class KnownYear:
    year: int
    source: str
    loaded: bool
    holidays: int
    makeup_workdays: int


def known_years() -> list[KnownYear]:
    loaded = set(WorkdaySchedule.objects.values_list("year", flat=True))
    return [
        KnownYear(s.year, s.source, s.year in loaded, len(s.holidays), len(s.makeup_workdays))
        for s in sorted(all_schedules().values(), key=lambda s: s.year)
    ]


def add_workdays(start: date, n: int) -> date:
    return work_calendar().add_workdays(start, n)


def workdays_between(start: date, end: date) -> int:
    return work_calendar().workdays_between(start, end)


def is_workday(day: date) -> bool:
    return work_calendar().is_workday(day)


def period_end(start: date, n: int, kind: DayKind | str) -> date:
    return work_calendar().period_end(start, n, kind)
