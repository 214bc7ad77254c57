"""What the print views of a register say about what they print: the heading (unit, register, period)
and the filters, search and order applied, so a sheet on paper tells what it is a list of."""

from __future__ import annotations

from datetime import date

from fazhi.core.formats import cn_date

from .selectors import ListFilters, list_columns
from .spec import Register

# A printed list stops here: past a few thousand rows a browser struggles to lay the pages out, and
# nobody reads them on paper; the export has no such limit.
PRINT_LIMIT = 2000


def period(spec: Register, filters: ListFilters, today: date) -> str:
    """The dates the list covers: the year filtered on, else everything up to today."""
    if filters.year and spec.year_field:
        return f"{cn_date(date(filters.year, 1, 1))}—{cn_date(date(filters.year, 12, 31))}"
    return f"截至{cn_date(today)}"


def list_heading(spec: Register, unit_name: str, filters: ListFilters, today: date) -> str:
    """青山县长冈乡 合法性审查台账（2024年1月1日—2024年12月31日）"""
    return f"{unit_name} {spec.label}（{period(spec, filters, today)}）"


def sort_label(spec: Register, sort: str) -> str:
    """按送审日期降序 for ``-submitted_on``; "" when the list is in its default order."""
    if not sort:
        return ""
    headers = dict(list_columns(spec))
    name = sort.removeprefix("-")
    return f"按{headers.get(name, name)}{'降序' if sort.startswith('-') else '升序'}"


def filter_summary(spec: Register, filters: ListFilters) -> list[str]:
    """The filters, search and order applied, each as a reader says it: 状态：已受理, 搜索“殡葬”."""
    parts = []
    if filters.q:
        parts.append(f"搜索“{filters.q}”")
    if filters.status:
        parts.append(f"状态：{spec.workflow.label(filters.status)}")
    if filters.due:
        parts.append(f"期限：{filters.due}")
    for name, value in filters.choices:
        if value:
            choices = {str(k): str(v) for k, v in spec.model_field(name).choices or []}
            parts.append(f"{spec.header(name)}：{choices.get(value, value)}")
    if sort := sort_label(spec, filters.sort):
        parts.append(sort)
    return parts


def capped_notice(total: int) -> str:
    """What a print of more than ``PRINT_LIMIT`` rows says instead of printing them all."""
    if total <= PRINT_LIMIT:
        return ""
    return f"共{total}条，打印前{PRINT_LIMIT}条，请缩小筛选范围或导出Excel。"
