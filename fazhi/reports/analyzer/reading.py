"""Read a report file into text, and find the debris that conversion and reposting leave in it.

Debris is never deleted: ``junk_spans`` lists the character ranges to ignore, so every offset the analyzer
reports stays an offset into the text exactly as read and decoded.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = {".txt", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm"}


class ReadError(ValueError):
    """The file cannot be read as a report; the message is Chinese and names the file."""


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else the encoding charset-normalizer finds (GB18030/GBK in practice)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        encoding = "gb18030" if best.encoding.lower() in {"gbk", "gb2312", "cp936"} else best.encoding
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError(f"{name}：无法识别文字编码（既不是 UTF-8 也不是 GB18030）") from None


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _legacy_to_docx(data: bytes, suffix: str, name: str) -> bytes:
    from fazhi.reports.libreoffice import ConversionUnavailable, convert

    try:
        return convert(data, suffix, "docx", what=f"读取{suffix}文件")
    except ConversionUnavailable as exc:
        raise ReadError(f"{name}：{exc}（也可先用办公软件另存为 docx 后上传）") from exc


def _pdf_text(data: bytes, name: str) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError(f"{name}：PDF 没有文字层（可能是扫描件），请先进行文字识别（OCR）后再上传")
    return text


_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "table",
}


def _html_text(data: bytes, name: str) -> str:
    import lxml.html

    root = lxml.html.fromstring(decode_text(data, name))
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def read_bytes(data: bytes, name: str) -> str:
    """The text of a report file's contents; ``name`` gives its type by suffix and names it in errors."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(
            f"{name}：不支持的文件类型“{suffix or '无扩展名'}”，请上传 txt、docx、doc、wps、pdf 或 html 文件"
        )
    if len(data) > MAX_BYTES:
        raise ReadError(
            f"{name}：文件过大（{len(data) // 1024 // 1024} MB），上限为 {MAX_BYTES // 1024 // 1024} MB"
        )
    if not data.strip():
        raise ReadError(f"{name}：文件是空的")
    try:
        if suffix == ".txt":
            return decode_text(data, name)
        if suffix == ".docx":
            return _docx_text(data)
        if suffix in (".doc", ".wps"):  # old Word and WPS files, as many government sites still post
            return _docx_text(_legacy_to_docx(data, suffix, name))
        if suffix == ".pdf":
            return _pdf_text(data, name)
        return _html_text(data, name)
    except ReadError:
        raise
    except Exception as exc:  # a corrupt docx/pdf raises library-specific errors
        raise ReadError(f"{name}：文件已损坏或格式不符（{type(exc).__name__}）") from exc


def read_file(path: Path) -> str:
    if not path.is_file():
        raise ReadError(f"{path}：文件不存在")
    return read_bytes(path.read_bytes(), str(path))


# Debris of conversion and of reposting sites (patterns, not texts: they recur across sites).
# Each pattern opens with a literal or a character set, so each is one fast scan.
_JUNK = [
    re.compile(p, re.MULTILINE)
    for p in (
        r"\[bookmark: [^\]]*\]",
        r"扫一扫在手机打开(当前页)?",
        r"作者[:：]\s*\S*\s+来源[:：]\s*\S*",
        r"[发更][布新]时间[:：]\s*[\d\-/年月日]+\s*[\d:]*",
        r"[浏阅点](?:览量|览次数|读量|击数)[:：]\s*\d*",
        r"【\s*(打印|关闭|字体|大|中|小)[^】]*】",
        r"[上下相分](?:一篇|关文章|享到)[:：].*$",
    )
]
# A line holding one of these is a site footer as a whole.
_FOOTER_RE = re.compile(r"版权所有|ICP备|技术支持|网站地图|主办单位[:：]|网站标识码|联系我们")


def junk_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of debris, to be skipped (never removed), in order."""
    spans = [m.span() for pattern in _JUNK for m in pattern.finditer(text)]
    for m in _FOOTER_RE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        spans.append((start, len(text) if end == -1 else end))
    return sorted(set(spans))
