"""The comparison table of a batch of reports: one row per catalogue indicator any report states (area by
area, in the catalogue's order), one column per report. The page, the XLSX and the CSV show this one
table, so a batch of twenty reports is twenty-odd columns wide however many indicators it states.

A cell is the indicator's first stated figure. An approximate figure (约9500份, 9500余份, 近50场, 七八十家)
keeps its number, marked as approximate and with the report's words beside it; a figure a consistency
check found wrong carries the check's message.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.indicators.catalogue import Indicator, indicators

LEFT = ["领域", "指标", "单位"]  # the columns before the reports'
SHEET_TITLE = "报告指标对照"
MAX_XLSX_COLUMNS = 16_384  # a worksheet's limit (XFD)


def table_source(result: dict) -> dict:
    """What the comparison table needs of a result, in the result's own shape: its first figure per
    indicator and its failed checks (pointing into the kept figures). A batch keeps this small copy, not
    every figure and check of thousands of reports; a copy made of a copy is the same copy."""
    if "error" in result:
        return {"file": result["file"], "error": result["error"]}
    kept: dict[int, int] = {}  # a kept figure's index in the result -> its index in the copy
    facts: list[dict] = []
    seen: set[str] = set()
    for n, f in enumerate(result["facts"]):
        if f["indicator"] and f["indicator"] not in seen:
            seen.add(f["indicator"])
            kept[n] = len(facts)
            facts.append({k: f.get(k) for k in ("indicator", "value", "unit", "approx", "bounds", "quote")})
    checks = [
        {"ok": False, "message": c["message"], "facts": [kept[i] for i in c["facts"] if i in kept]}
        for c in result["checks"]
        if not c["ok"]
    ]
    return {
        "file": result["file"],
        "unit": result["unit"],
        "level": result["level"],
        "year": result["year"],
        "facts": facts,
        "checks": checks,
    }


@dataclass(frozen=True)
class Figure:
    """One report's figure for one indicator."""

    value: int | float
    approx: bool = False
    bounds: tuple[int | float, int | float] | None = None  # an approximate pair or a range: 七八十 = 70～80
    quote: str = ""  # the clause the figure stands in, as the report writes it
    failed: tuple[str, ...] = ()  # the messages of the consistency checks the figure fails

    @property
    def text(self) -> str:
        """The figure as the page and the CSV show it: 9500, 约9500, 70～80."""
        if self.bounds:
            return f"{self.bounds[0]}～{self.bounds[1]}"
        return f"约{self.value}" if self.approx else str(self.value)

    @property
    def flagged(self) -> bool:
        return self.approx or self.bounds is not None

    @property
    def note(self) -> str:
        """What a reader should know beside the number: the report's words for an approximate figure,
        the failed checks' messages (the cell's comment in the XLSX, its tooltip on the page)."""
        lines = [f"报告原文：{self.quote}"] if self.flagged and self.quote else []
        lines += [f"核对未通过：{m}" for m in self.failed]
        return "\n".join(lines)

    @property
    def number_format(self) -> str:
        """An Excel number format that shows the number as the report states it (thousands separated,
        the decimals written) and an approximate one with its 约 or its upper bound: the cell stays a
        number that sums and sorts."""
        decimals = _decimals(self.value)
        shown = "#,##0" + ("." + "0" * decimals if decimals else "")
        if self.bounds:
            return f'{shown}"～{self.bounds[1]}"'
        return f'"约"{shown}' if self.approx else shown


def _decimals(value: int | float) -> int:
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True)
class ReportColumn:
    """A report as a column: its short name (the unit or organ, else the file's name) and what the
    batch's other tables say of it."""

    name: str
    file: str
    unit: str = ""
    level: str = ""
    year: int | None = None
    failed_checks: int = 0
    error: str = ""

    @property
    def note(self) -> str:
        if self.error:
            return self.error
        parts = [f"文件：{self.file}", f"层级：{self.level or '—'}", f"年度：{self.year or '—'}"]
        return "\n".join([*parts, f"未通过核对：{self.failed_checks}项"])


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    figures: tuple[Figure | None, ...]  # one per report, None where a report states no figure for it


@dataclass(frozen=True)
class ComparisonTable:
    reports: tuple[ReportColumn, ...]
    rows: tuple[IndicatorRow, ...]

    @property
    def header(self) -> list[str]:
        return LEFT + [r.name for r in self.reports]

    def by_area(self) -> list[tuple[str, list[IndicatorRow]]]:
        """The rows grouped by the catalogue's areas, in order (the page shows an area as a heading row)."""
        groups: list[tuple[str, list[IndicatorRow]]] = []
        for row in self.rows:
            if not groups or groups[-1][0] != row.indicator.area:
                groups.append((row.indicator.area, []))
            groups[-1][1].append(row)
        return groups


def comparison_table(results: list[dict]) -> ComparisonTable:
    """The table of analysis results (whole results or their ``table_source`` copies), in their order."""
    sources = [table_source(r) for r in results]
    figures: list[dict[str, Figure]] = []
    for s in sources:
        failed: dict[int, list[str]] = {}
        for c in s.get("checks", []):
            for i in c["facts"]:
                failed.setdefault(i, []).append(c["message"])
        figures.append(
            {
                f["indicator"]: Figure(
                    f["value"],
                    bool(f["approx"]),
                    tuple(f["bounds"]) if f.get("bounds") else None,
                    f.get("quote") or "",
                    tuple(failed.get(n, ())),
                )
                for n, f in enumerate(s.get("facts", []))
            }
        )
    rows = tuple(
        IndicatorRow(indicator, tuple(by_id.get(id) for by_id in figures))
        for id, indicator in indicators().items()  # the catalogue's order, area by area
        if any(id in by_id for by_id in figures)
    )
    return ComparisonTable(_columns(sources), rows)


def _columns(sources: list[dict]) -> tuple[ReportColumn, ...]:
    names = [s.get("unit") or Path(s["file"]).stem or s["file"] for s in sources]
    # two reports of one unit are told apart by their years, else numbered (the file is in the tooltip)
    years: dict[str, list] = {}
    for name, s in zip(names, sources, strict=True):
        years.setdefault(name, []).append(s.get("year"))
    seen: Counter[str] = Counter()
    unique = []
    for name, s in zip(names, sources, strict=True):
        seen[name] += 1
        same = years[name]
        if len(same) == 1:
            unique.append(name)
        elif None not in same and len(set(same)) == len(same):
            unique.append(f"{name}（{s['year']}）")
        else:
            unique.append(f"{name}（{seen[name]}）")
    return tuple(
        ReportColumn(
            name,
            Path(s["file"]).name,
            s.get("unit") or "",
            s.get("level") or "",
            s.get("year"),
            len(s.get("checks", [])),
            s.get("error", ""),
        )
        for name, s in zip(unique, sources, strict=True)
    )


def table_rows(table: ComparisonTable) -> list[list]:
    """The header and the rows as plain values (the CSV): an approximate figure keeps its 约 here, since a
    CSV has no comment to say so."""
    return [table.header] + [
        [r.indicator.area, r.indicator.name, r.indicator.unit, *(f.text if f else "" for f in r.figures)]
        for r in table.rows
    ]


def write_table_bytes(table: ComparisonTable, name: str = "") -> bytes:
    """The table as an XLSX workbook laid out as the page: a title row, the header row and the
    领域/指标/单位 columns frozen, a number in every figure's cell (an approximate one shown with its 约 and
    the report's words in a comment, a wrong one filled red with the failed check), ready to print like
    the registers' exports; a second sheet lists the reports. ``name`` (a batch's) heads the title."""
    from fazhi.core.formats import cn_date
    from fazhi.core.xlsx import as_text_cell, print_setup
    from fazhi.registers.deadlines import today

    if len(LEFT) + len(table.reports) > MAX_XLSX_COLUMNS:
        raise ValueError(f"报告超过{MAX_XLSX_COLUMNS - len(LEFT)}份，Excel 放不下这么多列，请保存为 .csv")
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    exported = f"（{cn_date(today())}导出）"
    sheet.append([f"{name}·指标对照{exported}" if name else f"{SHEET_TITLE}{exported}"])
    sheet.append(table.header)
    for row in table.rows:
        i = row.indicator
        sheet.append([i.area, i.name, i.unit, *(f.value if f else None for f in row.figures)])
    print_setup(sheet, table.header, [])
    sheet.freeze_panes = sheet.cell(3, len(LEFT) + 1).coordinate  # the header row and 领域/指标/单位
    sheet.print_title_cols = f"A:{get_column_letter(len(LEFT))}"
    approx_font, failed_fill = Font(color="7F4F00"), PatternFill("solid", fgColor="F8C9C9")
    first = len(LEFT) + 1
    for c, report in enumerate(table.reports, start=first):
        sheet.cell(2, c).comment = _comment(report.note)
        letter = get_column_letter(c)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, 11)
    for r, row in enumerate(table.rows, start=3):
        for c, figure in enumerate(row.figures, start=first):
            if figure is None:
                continue
            cell = sheet.cell(r, c)
            cell.number_format = figure.number_format
            if figure.flagged:
                cell.font = approx_font
            if figure.failed:
                cell.fill = failed_fill
            if figure.note:
                cell.comment = _comment(figure.note)

    reports = book.create_sheet("报告")
    heads = ["列名", "文件", "单位", "层级", "年度", "未通过核对", "读取错误"]
    reports.append([f"{name}·所列报告" if name else "所列报告"])
    reports.append(heads)
    for report in table.reports:
        reports.append(
            [report.name, report.file, report.unit, report.level, report.year]
            + ([None, report.error] if report.error else [report.failed_checks, None])
        )
    print_setup(reports, heads, [])
    for ws in book.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                as_text_cell(cell)  # a file or unit named "=…" stays text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _comment(text: str) -> Comment:
    comment = Comment(text, "法治政府建设管理系统")
    # wide and tall enough to read a quoted clause without resizing the box
    comment.width, comment.height = 320, 40 + 18 * (text.count("\n") + 1 + len(text) // 24)
    return comment


def write_table(path: Path, table: ComparisonTable) -> None:
    """CSV (UTF-8 with BOM, so Excel opens it) or XLSX, by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows(table_rows(table))
    elif suffix == ".xlsx":
        path.write_bytes(write_table_bytes(table))
    else:
        raise ValueError(f"{path}：对照表只能保存为 .csv 或 .xlsx")
