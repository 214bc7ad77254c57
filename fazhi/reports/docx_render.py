"""The annual report as a 公文 (GB/T 9704—2012): A4, margins 37/35/28/26 mm, a 22 × 28 grid, title in 二号
方正小标宋简体, body in 三号 仿宋_GB2312, headings 一、 黑体 / （一） 楷体_GB2312 / 1. and （1） 仿宋 bold,
numerals in Times New Roman, page numbers "— 1 —" in 四号 宋体 (odd pages right, even pages left), the
signing organ and the date at the end (7.3.5.2), and on request the 版头: the organ's mark in red and the
red separator line (7.2.4, 7.2.7) — off for the copy published to the public."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .models import AnnualReport

BODY_PT = 16  # 三号
LINE_PT = 28.95  # 225 mm of text height / 22 lines
# 28 characters in 156 mm (442.2 pt) on 三号: each character condensed by 0.25 pt (w:spacing, in 1/20 pt).
# A line grid with condensed characters lays out the same in Word and LibreOffice; a character grid
# (linesAndChars) is rendered by LibreOffice as two cells per character.
CONDENSE_TWENTIETHS = -5
STYLES = {
    # name: (east-Asian font, size pt, bold, alignment, first-line indent in characters)
    "公文标题": ("方正小标宋简体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "公文正文": ("仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "一级标题": ("黑体", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "二级标题": ("楷体_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "三级标题": ("仿宋_GB2312", BODY_PT, True, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "落款": ("仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "发文机关标志": ("方正小标宋简体", 26, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
}
RED = RGBColor(0xFF, 0x00, 0x00)
LEVEL_2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
LEVEL_3 = re.compile(r"^(\d{1,2}[.．]|[（(]\d{1,2}[)）])")


def _fonts(element, east_asia: str) -> None:
    """Latin text and numerals in Times New Roman, Chinese in ``east_asia`` (python-docx sets only the
    Latin name, so w:eastAsia is written directly)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), "Times New Roman")
    fonts.set(qn("w:eastAsia"), east_asia)


def _styles(document) -> None:
    # Word and LibreOffice lay the character grid out on the Normal style's size: make it 三号 仿宋
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element, "仿宋_GB2312")
    for name, (font, size, bold, alignment, indent) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold
        _fonts(style.element, font)
        if size == BODY_PT:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(CONDENSE_TWENTIETHS))
            style.element.get_or_add_rPr().append(spacing)
        fmt = style.paragraph_format
        fmt.alignment = alignment
        fmt.first_line_indent = Pt(BODY_PT * indent) if indent else None
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT if size == BODY_PT else 36)
        fmt.widow_control = False


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the page number sits 7 mm below the text area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, alignment) -> None:
    """ "— 7 —" in 四号 宋体, one character in from the outer edge."""
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)

    def run(text: str = ""):
        r = paragraph.add_run(text)
        r.font.size = Pt(14)
        _fonts(r._element, "宋体")
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._element.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            r._element.append(instruction)
        else:
            r.text = text
    run(" —")


def _style_for(line: str) -> str:
    if LEVEL_2.match(line):
        return "二级标题"
    if LEVEL_3.match(line):
        return "三级标题"
    return "公文正文"


def signed_date(day) -> str:
    """成文日期 as GB/T 9704—2012 7.3.5.4 writes it: Arabic numerals, the year in full, month and day
    without a leading zero (2025年3月1日, never 2025年03月01日 or 二〇二五年三月一日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width(text: str) -> float:
    """Width in characters of 三号: a numeral or Latin letter (Times New Roman) is half a character."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def signature_indents(signatory: str, dated: str) -> tuple[float, float]:
    """Right indents, in characters, of the 发文机关署名 and the 成文日期 of a report without a seal
    (GB/T 9704—2012 7.3.5.2): the organ 2 characters from the right; the date on the next line, its first
    character 2 to the right of the organ's; a date longer than the organ keeps 2 characters from the
    right and pushes the organ right instead."""
    organ, date = _width(signatory), _width(dated)
    if date > organ:
        return 4 + date - organ, 2
    return 2, organ - date


def _letterhead(document, report: AnnualReport) -> None:
    """发文机关标志 (the organ's name and 文件, red, centred, 35 mm below the top of the text area) and the
    red separator line under it, as wide as the text (GB/T 9704—2012 7.2.4, 7.2.7)."""
    mark = document.paragraphs[0]
    mark.style = document.styles["发文机关标志"]
    run = mark.add_run(f"{report.signatory}文件")
    run.font.color.rgb = RED
    mark.paragraph_format.space_before = Mm(35)
    line = document.add_paragraph("", style="公文正文")
    line.paragraph_format.first_line_indent = None
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "FF0000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    line._p.get_or_add_pPr().append(borders)
    document.add_paragraph("", style="公文正文")


def _paragraph(document, text: str, style):
    """A paragraph in ``style``, its id set directly: python-docx's add_paragraph(style=…) looks the
    default style up through every style on each call, the most of a render's time."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style.style_id
    return paragraph


def render_docx(report: AnnualReport, *, letterhead: bool = False) -> bytes:
    """The report as a 公文. ``letterhead`` adds the 版头 (for the copy sent to the upper level)."""
    document = Document()
    _styles(document)
    _page(document)
    if not document.paragraphs:
        document.add_paragraph()
    if letterhead:
        _letterhead(document, report)
        body = document.add_paragraph(report.title, style="公文标题")
    else:
        body = document.paragraphs[0]
        body.text = report.title
        body.style = document.styles["公文标题"]
    style = {name: document.styles[name] for name in STYLES}  # looked up by name once, not per paragraph
    _paragraph(document, "", style["公文正文"])
    for part in report.parts.order_by("order"):
        text = "\n".join(t for t in (part.figures.strip(), part.text.strip()) if t)
        if not text:
            continue  # a part with nothing in it is never printed as a bare heading
        _paragraph(document, part.heading, style["一级标题"])
        for line in text.splitlines():
            if line.strip():
                _paragraph(document, line.strip(), style[_style_for(line.strip())])
    _paragraph(document, "", style["公文正文"])  # 7.3.5.2: one blank line under the text
    dated = signed_date(report.signed_on) if report.signed_on else ""
    organ_indent, date_indent = signature_indents(report.signatory, dated)
    signatory = _paragraph(document, report.signatory, style["落款"])
    signatory.paragraph_format.right_indent = Pt(BODY_PT * organ_indent)
    if dated:
        date_line = _paragraph(document, dated, style["落款"])
        date_line.paragraph_format.right_indent = Pt(BODY_PT * date_indent)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
