"""Any table as an Excel workbook (the "导出 Excel" of every page that shows a table)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(cell) -> None:
    """Keep text that a spreadsheet would run as a formula (=HYPERLINK(…), +cmd, @SUM …) as plain text:
    openpyxl writes a string starting with "=" as a live formula otherwise."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"


def table_xlsx(title: str, headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            as_text_cell(cell)
    for i, head in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(head)) * 2 + 4))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def print_setup(sheet: Any, headers: list[str], required: list[bool]) -> None:
    """Title over the table, bold header row, widths from the contents, A4 landscape fitted to width."""
    last = get_column_letter(len(headers))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3D6D6")
    for i, cell in enumerate(sheet[2]):
        cell.font = bold
        if i < len(required) and required[i]:
            cell.fill = fill
    for i, column in enumerate(sheet.iter_cols(min_row=2, max_row=min(sheet.max_row, 302)), start=1):
        longest = max((display_width(c.value) for c in column), default=4)
        sheet.column_dimensions[get_column_letter(i)].width = min(40, max(6, longest + 2))
    sheet.freeze_panes = "B3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def display_width(value: Any) -> int:
    """Columns a value takes in a spreadsheet: Chinese characters are two wide."""
    if isinstance(value, date):
        return 12
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def xlsx_response(data: bytes, filename: str):
    """A download of the workbook ``data`` named ``filename``."""
    from .downloads import download

    return download(data, filename)
