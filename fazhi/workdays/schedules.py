"""Where year schedules come from: the chinese-calendar package, and schedules an administrator loads.

A loaded schedule is written as the State Council's notice states it::

    {"year": 2027,
     "source": "国务院办公厅关于2027年部分节假日安排的通知",
     "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}, "2027-04-05"],
     "makeup_workdays": ["2027-02-06"]}

``holidays`` items are single ISO dates or ``{start, end}`` ranges (both days included).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from .calendar import YearSchedule, schedules_from_dates

PACKAGE_SOURCE = "chinese-calendar 软件包（国务院办公厅历年节假日安排）"


class ScheduleFormatError(ValueError):
    """A loaded schedule is malformed; the message is Chinese and names the bad field."""


def package_schedules() -> dict[int, YearSchedule]:
    """Every year the installed chinese-calendar package knows."""
    from chinese_calendar import constants

    return schedules_from_dates(constants.holidays, constants.workdays, PACKAGE_SOURCE)


def _parse_date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ScheduleFormatError(f"{where}：“{value}”不是有效日期，应写作 2027-01-01") from None


def _expand(item: Any, where: str) -> list[date]:
    if isinstance(item, dict):
        if "start" not in item:
            raise ScheduleFormatError(f"{where}：缺少 start（起始日期）")
        start = _parse_date(item["start"], f"{where}.start")
        end = _parse_date(item.get("end", item["start"]), f"{where}.end")
        if end < start:
            raise ScheduleFormatError(f"{where}：结束日期 {end} 早于起始日期 {start}")
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]
    text = str(item)
    if "~" in text or "至" in text:
        left, right = text.replace("至", "~").split("~", 1)
        return _expand({"start": left, "end": right}, where)
    return [_parse_date(item, where)]


def parse_schedule(data: dict[str, Any]) -> YearSchedule:
    """Validate one year's schedule; raise ScheduleFormatError with a Chinese message."""
    if not isinstance(data, dict):
        raise ScheduleFormatError("节假日安排应为一个对象，含 year、source、holidays、makeup_workdays")
    try:
        year = int(data["year"])
    except (KeyError, TypeError, ValueError):
        raise ScheduleFormatError("year（年份）缺失或不是整数") from None
    if not 2000 <= year <= 2100:
        raise ScheduleFormatError(f"year（年份）{year} 超出 2000—2100 的范围")
    source = str(data.get("source") or "").strip()
    if not source:
        raise ScheduleFormatError("source（依据，如国务院办公厅通知的文号）不能为空")
    holidays: set[date] = set()
    for i, item in enumerate(data.get("holidays") or [], start=1):
        holidays.update(_expand(item, f"holidays 第{i}项"))
    if not holidays:
        raise ScheduleFormatError("holidays（放假日期）不能为空")
    makeup: set[date] = set()
    for i, item in enumerate(data.get("makeup_workdays") or [], start=1):
        makeup.update(_expand(item, f"makeup_workdays 第{i}项"))
    for day in sorted(holidays | makeup):
        if day.year != year:
            raise ScheduleFormatError(f"日期 {day} 不属于 {year} 年")
    if both := sorted(holidays & makeup):
        raise ScheduleFormatError(f"{both[0]} 既列为放假又列为调休上班，请核对")
    if weekdays := sorted(d for d in makeup if d.weekday() < 5):
        raise ScheduleFormatError(f"调休上班日 {weekdays[0]} 是周一至周五，本来就是工作日，请核对")
    return YearSchedule(year, frozenset(holidays), frozenset(makeup), source=source)


def parse_schedule_json(text: str) -> list[YearSchedule]:
    """One schedule object, or a list of them, as JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScheduleFormatError(f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}") from None
    items = data if isinstance(data, list) else [data]
    return [parse_schedule(item) for item in items]


def schedule_to_dict(schedule: YearSchedule) -> dict[str, Any]:
    return {
        "year": schedule.year,
        "source": schedule.source,
        "holidays": [d.isoformat() for d in sorted(schedule.holidays)],
        "makeup_workdays": [d.isoformat() for d in sorted(schedule.makeup_workdays)],
    }
