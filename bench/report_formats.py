"""A report's plain text written as the other formats reports are published in, to compare what the
analyzer reads from each with the plain text's result (bench/analyzer_gold.py --format, the throughput
benchmark's mixed corpus).

docx: one paragraph per line, justified with a two-character first-line indent, the lines that open
with 一、 in Word's "Heading 1" style; html: a page
with a breadcrumb, the title in <title> and <h1>, one <p> per line; pdf: the docx through LibreOffice.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path

CACHE = Path("/tmp/fazhi-bench-formats")
TOP_HEADING = re.compile(r"^[ \t\u3000]*[一二三四五六七八九十]+、")


def to_docx(text: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(12)
    for n, line in enumerate(text.splitlines()):
        if TOP_HEADING.match(line) and len(line) < 60:
            document.add_paragraph(line, style="Heading 1")
        elif n == 0 and len(line) < 60:
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:  # body paragraphs as 公文 set them: justified, the first line indented two characters
            paragraph = document.add_paragraph(line)
            paragraph.paragraph_format.first_line_indent = Pt(24)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_html(text: str) -> bytes:
    lines = [line for line in text.splitlines() if line.strip()]
    title = lines[0] if lines else ""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    site = "某某县人民政府"
    page = (
        f"<html><head><meta charset='utf-8'><title>{html.escape(title)}_政务公开_{site}</title></head>"
        f"<body><div class='crumb'>首页 &gt; 政务公开 &gt; 法治政府建设</div>"
        f"<h1>{html.escape(title)}</h1>\n{body}\n<div class='foot'>版权所有：{site}</div></body></html>"
    )
    return page.encode("utf-8")


def to_pdf(text: str) -> bytes:
    """The docx converted by LibreOffice (cached by content: a conversion takes seconds)."""
    from fazhi.reports.libreoffice import convert

    CACHE.mkdir(exist_ok=True)
    cached = CACHE / (hashlib.sha256(text.encode()).hexdigest()[:16] + ".pdf")
    if not cached.exists():
        cached.write_bytes(convert(to_docx(text), ".docx", "pdf", what="生成测试用 PDF"))
    return cached.read_bytes()


WRITERS = {"docx": to_docx, "html": to_html, "pdf": to_pdf}


def as_format(text: str, suffix: str) -> bytes:
    return text.encode("utf-8") if suffix == "txt" else WRITERS[suffix](text)
