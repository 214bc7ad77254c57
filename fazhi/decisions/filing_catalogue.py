"""The half-yearly 规范性文件发文目录, generated from the register, with the dates it is due."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fazhi.org.models import Unit
from fazhi.rules.services import annual_due_date

from .models import NormativeDocument

HEADERS = [
    "序号",
    "文件名称",
    "文号",
    "制定单位",
    "公布日期",
    "公布载体",
    "备案机关",
    "报送备案日期",
    "有效期至",
    "状态",
]


@dataclass(frozen=True)
class CatalogueRequest:
    year: int
    first_half: bool  # True: 1–6月 (due by 7月31日); False: the whole year (due by next 1月31日)

    @property
    def period(self) -> tuple[date, date]:
        return date(self.year, 1, 1), date(self.year, 6, 30) if self.first_half else date(self.year, 12, 31)

    @property
    def title(self) -> str:
        return f"{self.year}年{'上半年' if self.first_half else '度'}行政规范性文件发文目录"

    def due(self, unit: Unit | None) -> date:
        if self.first_half:
            return annual_due_date("normative.catalogue_first_half", self.year, unit=unit)
        return annual_due_date("normative.catalogue_full_year", self.year + 1, unit=unit)


def catalogue_documents(unit_ids: list[int], request: CatalogueRequest):
    start, end = request.period
    return (
        NormativeDocument.objects.filter(unit_id__in=unit_ids, published_on__range=(start, end))
        .select_related("unit")
        .order_by("published_on", "doc_number")
    )


def catalogue_xlsx(unit: Unit, documents, request: CatalogueRequest) -> bytes:
    from fazhi.registers.spec import register_for

    workflow = register_for(NormativeDocument).workflow
    book = Workbook()
    sheet = book.active
    sheet.title = "发文目录"
    sheet.append([f"{unit.name}{request.title}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for n, doc in enumerate(documents, start=1):
        sheet.append(
            [
                n,
                doc.title,
                doc.doc_number,
                doc.unit.name,
                doc.published_on,
                doc.publish_channel,
                doc.filed_to,
                doc.filed_on,
                doc.valid_until,
                workflow.label(doc.status),
            ]
        )
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = 'yyyy"年"m"月"d"日"'
    for letter, width in zip("ABCDEFGHIJ", (6, 40, 22, 20, 14, 16, 16, 14, 14, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
