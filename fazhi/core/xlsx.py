"""Any table as an Excel workbook (the "导出 Excel" of every page that shows a table)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
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


def xlsx_response(data: bytes, filename: str):
    """A download of the workbook ``data`` named ``filename``."""
    from .downloads import download

    return download(data, filename)
