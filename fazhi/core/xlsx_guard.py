"""Checks of an uploaded .xlsx before any spreadsheet parser sees it, so a hostile file (a zip bomb, a
sheet claiming a million rows and sixteen thousand columns, a gigabyte text cell) is refused cheaply and
with a clear Chinese message instead of exhausting the server.

An .xlsx is a zip of XML parts: the sizes and compression ratios of the parts are read from the zip's
directory, and each worksheet's XML is streamed once in chunks to find its real extent (the declared
``<dimension>`` may lie either way)."""

from __future__ import annotations

import io
import re
import zipfile

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all parts together
MAX_RATIO = 100  # uncompressed / compressed size of one part larger than 1 MB (real sheets: under 20)
MAX_SHARED_STRINGS = 64 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 10_000
CHUNK = 1024 * 1024

CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
DIMENSION = re.compile(rb'<dimension ref="[A-Z]{1,3}\d{1,7}(?::([A-Z]{1,3})(\d{1,7}))?"')
SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class UnsafeWorkbook(ValueError):
    """The file is refused before it is parsed; the message says why, in Chinese, naming the file."""


def column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n


def check_package(data: bytes, name: str, invalid: str = "不是有效的 Excel（.xlsx）文件") -> zipfile.ZipFile:
    """Raise UnsafeWorkbook unless ``data`` is a zip package (.xlsx, .docx) whose parts are of sane size
    and compression ratio, read from the zip's directory only; returns the opened archive. ``invalid``
    says what a file that is no zip at all is."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeWorkbook(f"{name}：{invalid}") from None
    if len(members) > MAX_MEMBERS:
        raise UnsafeWorkbook(f"{name}：文件结构异常（包含{len(members)}个部件），已拒绝")
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise UnsafeWorkbook(
            f"{name}：解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，已拒绝（可分成几个文件导入）"
        )
    for member in members:
        if member.file_size > CHUNK and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnsafeWorkbook(f"{name}：文件压缩比异常（疑似“压缩炸弹”），已拒绝")
        if member.filename.endswith("sharedStrings.xml") and member.file_size > MAX_SHARED_STRINGS:
            raise UnsafeWorkbook(
                f"{name}：文字内容过多（超过 {MAX_SHARED_STRINGS // 1024 // 1024} MB），已拒绝"
            )
    return archive


def check(data: bytes, name: str, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> None:
    """Raise UnsafeWorkbook unless ``data`` is a workbook of sane size: parts within their sizes and
    ratios, every worksheet at most ``max_rows`` rows (besides its header) and ``max_columns`` columns."""
    archive = check_package(data, name)
    for member in archive.infolist():
        if SHEET_PART.match(member.filename):
            _check_sheet(archive, member, name, max_rows, max_columns)


def _check_sheet(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, max_rows: int, max_columns: int
):
    last_row, last_col, tail, first = 0, 0, b"", True
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                text = tail + chunk
                if first and (declared := DIMENSION.search(text)) and declared.group(1):
                    _limits(
                        name, int(declared.group(2)), column_number(declared.group(1)), max_rows, max_columns
                    )
                    first = False
                for match in CELL_REF.finditer(text):
                    last_col = max(last_col, column_number(match.group(1)))
                    last_row = max(last_row, int(match.group(2)))
                _limits(name, last_row, last_col, max_rows, max_columns)
                tail = text[-64:]
    except (zipfile.BadZipFile, OSError, EOFError):
        raise UnsafeWorkbook(f"{name}：文件已损坏，无法读取") from None


def _limits(name: str, rows: int, columns: int, max_rows: int, max_columns: int) -> None:
    if rows > max_rows + 1:
        raise UnsafeWorkbook(f"{name}：工作表超过{max_rows}行，一次最多导入{max_rows}行")
    if columns > max_columns:
        raise UnsafeWorkbook(f"{name}：工作表超过{max_columns}列，请只保留模板中的列")
