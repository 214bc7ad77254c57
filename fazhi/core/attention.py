"""What the dashboard points out besides register deadlines (安静期违规入企 …): an app declares a source
in its AppConfig.ready; the home page shows each source's nonzero count for the year with its link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    label: str  # 安静期违规入企
    count: int
    url: str  # the list behind the count
    measure: str = "次"  # the count's measure word: 次 (visits), 件 (cases), 项 (plans)


# (unit ids in scope, or None for every unit; year) -> the notice, or None
Source = Callable[[list[int] | None, int], Notice | None]
SOURCES: list[Source] = []


def notice_source(source: Source) -> Source:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def notices(unit_ids: list[int] | None, year: int) -> list[Notice]:
    found = (source(unit_ids, year) for source in SOURCES)
    return [n for n in found if n is not None and n.count]
