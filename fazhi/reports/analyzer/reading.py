"""Read a report file into text, and find the debris that conversion and reposting leave in it.

Every format gives the same text: DOCX paragraphs and tables in document order (a table as tab-separated
rows, a merged cell once; Word's list numbers and heading styles as the 一、（一） a reader sees), HTML
from its title (<h1> or <title>) on with tables as tables, PDF lines (pypdfium2, with character boxes)
joined into paragraphs where a line ends inside a sentence, page numbers and running headers dropped.

Debris is never deleted: ``junk_spans`` lists the character ranges to ignore, so every offset the analyzer
reports stays an offset into the text exactly as read and decoded.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi.core.xlsx_guard import UnsafeWorkbook, check_package

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = {".txt", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm"}


class ReadError(ValueError):
    """The file cannot be read as a report; the message is Chinese and names the file."""


# The most frequent characters of Chinese prose: a GB-encoded report decodes to many of them, a Korean or
# Japanese text read as GB to rare ones.
_COMMON_HANZI = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家力里如化高自二理起小现实加量都两体制机当使点从业本去把性好应"
    "开合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质第向道此变条"
    "只没结解问意建月公无系很情者最立代想已通并提直题党程展五果员位入常文总次品式活设及管特件长求老头基资边"
    "路级少图统接知较将组见计别手角期根论运指几九区强放决西被做必战先回则任取据处队南给色光门即保治北造百规"
    "领七海口东导器压志世金增争济阶思术极交受联认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务"
    "具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律且"
    "究观越织装影算低持音众书布复容须际商非验连断深难近千周委素技备半办青省列习响约支般感劳便团往历市克何除"
    "消构府称太准精值号率族维划选标写存候亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调"
    "满县局照参红细引听该价严龙镇乡街村"
)


def _chinese_score(text: str) -> float:
    """How much ``text`` looks like Chinese prose, from -2 to 1 per character that is not ASCII: the
    everyday characters (GB2312, where reports are written) count for it, others and Korean syllables
    against it."""
    score, counted = 0, 0
    for c in text:
        if c.isascii():
            continue
        counted += 1
        if "\uac00" <= c <= "\ud7af":
            score -= 2
        else:
            try:
                c.encode("gb2312")
                score += 1
            except UnicodeEncodeError:
                score -= 1
    return score / counted if counted else 0.0


def _reads_as_chinese(text: str) -> bool:
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    hangul = sum("\uac00" <= c <= "\ud7af" for c in text)
    return bool(hanzi) and hangul == 0 and sum(c in _COMMON_HANZI for c in hanzi) >= 0.3 * len(hanzi)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 when it reads as Chinese prose (a short GBK text is
    otherwise often taken for Korean), else the encoding charset-normalizer finds."""
    try:
        as_utf8 = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        utf8_score = _chinese_score(as_utf8[:2000])
        if data.startswith(b"\xef\xbb\xbf") or as_utf8.isascii() or utf8_score >= 0.8:
            return as_utf8  # a report in UTF-8 reads as everyday characters
        # a few GBK characters can happen to be valid UTF-8 (诉讼案件 → 据蓋갭숭): the reading that looks
        # more like Chinese prose wins
        try:
            gb_reading = data.decode("gb18030")
        except UnicodeDecodeError:
            return as_utf8
        return gb_reading if _chinese_score(gb_reading[:2000]) > utf8_score else as_utf8
    try:
        as_gb: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        as_gb = None
    if as_gb is not None and _reads_as_chinese(as_gb[:2000]):
        return as_gb
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        encoding = "gb18030" if best.encoding.lower() in {"gbk", "gb2312", "cp936"} else best.encoding
        guessed = data.decode(encoding, errors="replace")
        # a short GBK text is often guessed Korean: Chinese prose is what reports are written in
        if as_gb is not None and _chinese_score(as_gb[:2000]) > _chinese_score(guessed[:2000]):
            return as_gb
        return guessed
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError(f"{name}：无法识别文字编码（既不是 UTF-8 也不是 GB18030）") from None


# -- docx: paragraphs and tables in document order -------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "一二三四五六七八九十"
_TOP_MARKS = re.compile(
    rf"^[ \t\u3000]*(?:[{_CN}]+、|[（(][{_CN}]+[)）]|\d{{1,2}}[.．、]|[（(]\d{{1,2}}[)）])"
)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"报告|情况|总结")


def chinese_count(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (list numbers as Word's chineseCounting writes them)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting"}:
        return chinese_count(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in {"none", "bullet"}:
        return ""
    return str(n)  # decimal, decimalFullWidth, decimalZero and the rest


class _Numbering:
    """Word's automatic list numbers (一、 （一） 1.) as a reader sees them: they are not in the text."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (format, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in numbering.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in a.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[a.get(f"{_W}abstractNumId", "")] = levels
        for num in numbering.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId", "")] = abstract.get(ref.get(f"{_W}val", ""), {})

    @staticmethod
    def _num_pr(paragraph):
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:  # numbering set on the heading style
            style_p_pr = style.element.pPr
            num_pr = style_p_pr.numPr if style_p_pr is not None else None
            style = style.base_style
        return num_pr

    def label(self, paragraph) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return ""

        def level_number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            n = counters.get(k, levels.get(k, ("decimal", "", 1))[2])
            return _format_number(n, levels.get(k, (fmt, "", 1))[0])

        return re.sub(r"%(\d)", level_number, text)


def _outline_level(p_pr) -> int | None:
    outline = p_pr.find(f"{_W}outlineLvl") if p_pr is not None else None
    value = outline.get(f"{_W}val", "9") if outline is not None else "9"
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


def _heading_level(paragraph) -> int | None:
    """1 for 一、, 2 for （一）…: from the paragraph's outline level, else its style's (a style named
    Heading n / 标题 n, or any style with an outline level, such as a custom 一级标题)."""
    if level := _outline_level(paragraph._p.pPr):
        return level
    style = paragraph.style
    while style is not None:
        if m := _HEADING_STYLE.match(style.name or ""):
            return int(m.group(1))
        if level := _outline_level(style.element.pPr):
            return level
        style = style.base_style
    return None


def _heading_label(level: int, counters: list[int]) -> str:
    """The number a heading style stands for in the 公文 order: 一、 （一） 1. （1）."""
    counters[level - 1] += 1
    for k in range(level, len(counters)):
        counters[k] = 0
    n = counters[level - 1]
    return [f"{chinese_count(n)}、", f"（{chinese_count(n)}）", f"{n}.", f"（{n}）"][min(level, 4) - 1]


# Parts of a paragraph whose text a reader does not see in its line: deleted revisions, field codes, text
# boxes anchored in it (their own paragraphs), comments.
_UNSEEN = {
    f"{_W}{tag}" for tag in ("del", "moveFrom", "instrText", "delText", "txbxContent", "commentReference")
}
_SPACES = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def _paragraph_text(p) -> str:
    """A paragraph's text as Word shows it: runs anywhere inside it (hyperlinks, fields, tracked
    insertions, content controls), not deleted text or text boxes."""
    pieces: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _UNSEEN:
                continue
            if tag == f"{_W}t":
                pieces.append(child.text or "")
            elif tag in _SPACES:
                pieces.append(_SPACES[tag] if tag != f"{_W}br" or child.get(f"{_W}type") != "page" else "")
            else:
                walk(child)

    walk(p)
    return "".join(pieces)


def _cell_text(tc) -> str:
    return " ".join(" ".join(_paragraph_text(p).split()) for p in tc.iter(f"{_W}p")).strip()


def _docx_table_lines(tbl) -> list[str]:
    """One line per row, cells separated by tabs; a merged cell's text stands once (its other grid cells
    are empty), so a figure is not repeated by the merge."""
    lines = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            tc_pr = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if tc_pr is not None:
                grid_span = tc_pr.find(f"{_W}gridSpan")
                if grid_span is not None and str(grid_span.get(f"{_W}val", "1")).isdigit():
                    span = max(1, int(grid_span.get(f"{_W}val")))
                v_merge = tc_pr.find(f"{_W}vMerge")
                continued = v_merge is not None and v_merge.get(f"{_W}val", "continue") == "continue"
            cells.append("" if continued else _cell_text(tc))
            cells += [""] * (span - 1)
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _docx_text(data: bytes) -> str:
    from docx import Document
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    numbering = _Numbering(document)
    counters = [0, 0, 0, 0, 0, 0, 0, 0, 0]
    lines: list[str] = []
    body_started = False

    def blocks(parent):
        for child in parent.iterchildren():
            if child.tag in {f"{_W}p", f"{_W}tbl"}:
                yield child
            elif child.tag in {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"}:
                yield from blocks(child)

    for block in blocks(document.element.body):
        if block.tag == f"{_W}tbl":
            lines += _docx_table_lines(block)
            body_started = True
            continue
        paragraph = Paragraph(block, document)
        text = _paragraph_text(block).replace("\n", " ")  # a line break inside a paragraph is not one
        if not text.strip():
            lines.append(text)
            continue
        label = numbering.label(paragraph)
        if label and _TOP_MARKS.match(text):
            label = ""  # the number typed as well: shown once
        level = _heading_level(paragraph)
        is_title = not body_started and _TITLE_WORDS.search(text) and len(text) < 80
        if not label and level and not is_title and not _TOP_MARKS.match(text):
            label = _heading_label(level, counters)  # a heading style without a typed number
        if not is_title:
            body_started = True
        lines.append(label + text)
    return "\n".join(lines)


def _legacy_to_docx(data: bytes, suffix: str, name: str) -> bytes:
    from fazhi.reports.libreoffice import ConversionUnavailable, convert

    try:
        return convert(data, suffix, "docx", what=f"读取{suffix}文件")
    except ConversionUnavailable as exc:
        raise ReadError(f"{name}：{_one_line(str(exc))}（也可先用办公软件另存为 docx 后上传）") from exc


def _one_line(message: str) -> str:
    """A converter's message without its temporary paths and Java noise, on one line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    lines = [line for line in lines if "javaldx" not in line and "java" not in line.lower()]
    text = "；".join(lines) or "转换失败"
    return re.sub(r"(?:/tmp|/var/tmp|[A-Za-z]:\\)[^\s：:，,；;）)]*", "（临时文件）", text)[:200]


# -- pdf: characters → lines → paragraphs ----------------------------------------------------------------
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[\s\-—–－_·•]*$"
)
_SENTENCE_END = tuple("。！？；：!?;:")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float


def _pdf_page_lines(page) -> list[_Line]:
    """The page's text lines, top to bottom, each read left to right (characters grouped by their
    vertical centre, so quotation marks drawn in another font stay in place)."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        chars = []
        for i in range(min(count, len(text))):
            c = text[i]
            if c in "\r\n":
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            if right <= left and c.isspace():
                continue  # a space the reader made up
            chars.append((c, left, right, (top + bottom) / 2, max(top - bottom, 1.0)))
    finally:
        textpage.close()
    chars.sort(key=lambda ch: (-ch[3], ch[1]))
    rows: list[list[tuple]] = []
    for ch in chars:
        if rows and abs(rows[-1][0][3] - ch[3]) <= 0.5 * max(rows[-1][0][4], ch[4]):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda ch: ch[1])
        size = sorted(ch[4] for ch in row)[len(row) // 2]
        pieces, previous = [], None
        for ch in row:
            if previous is not None:
                gap = ch[1] - previous[2]
                if gap > 2.5 * size:
                    pieces.append("\t")  # a table's next column
                elif gap > 0.4 * size and (previous[0].isascii() or ch[0].isascii()) and not ch[0].isspace():
                    pieces.append(" ")
            pieces.append(ch[0])
            previous = ch
        line = "".join(pieces).strip()
        if line:
            lines.append(_Line(line, row[0][1], row[-1][2], row[0][3], size))
    return lines


def _pdf_paragraphs(pages: list[list[_Line]]) -> str:
    """Lines joined into paragraphs: a line that reaches the right margin and does not end a sentence
    goes on in the next line (across a page break too); page numbers at a page's top or foot go."""
    for lines in pages:
        while lines and _PAGE_NUMBER.match(lines[-1].text):
            lines.pop()
        while lines and _PAGE_NUMBER.match(lines[0].text):
            lines.pop(0)
    if len(pages) >= 3:  # a running header or footer: the same line at the top (foot) of most pages
        for edge in (0, -1):
            seen = Counter(re.sub(r"\d+", "#", lines[edge].text) for lines in pages if lines)
            for repeated, n in seen.items():
                if n >= max(2, len(pages) // 2):
                    for lines in pages[1:] if edge == 0 else pages:
                        if lines and re.sub(r"\d+", "#", lines[edge].text) == repeated:
                            lines.pop(edge)
    every = [line for lines in pages for line in lines]
    if not every:
        return ""
    rights = sorted(line.x1 for line in every)
    margin = rights[int(len(rights) * 0.9)]
    lefts = sorted(line.x0 for line in every)
    left = lefts[int(len(lefts) * 0.1)]
    out: list[str] = []
    previous: _Line | None = None
    for lines in pages:
        for k, line in enumerate(lines):
            if previous is not None:
                # an unbreakable number or a closing mark can end a wrapped line a few characters short
                full = previous.x1 >= margin - 3.5 * previous.size
                indented = line.x0 > left + 1.5 * line.size  # a paragraph's first line
                spacing = previous.top - line.top if k else previous.size * 1.5  # a new page
                same_paragraph = (
                    full
                    and not indented
                    and not previous.text.endswith(_SENTENCE_END)
                    and "\t" not in previous.text
                    and "\t" not in line.text
                    and 0 < spacing <= 2.2 * previous.size
                    and abs(line.size - previous.size) <= 0.2 * previous.size
                )
                if same_paragraph:
                    end, start = previous.text[-1], line.text[0]
                    if end.isascii() and end.isalpha() and start.isascii() and start.isalpha():
                        out.append(" ")  # English words broken at the line end
                else:
                    out.append("\n")
            out.append(line.text)
            previous = line
    return "".join(out)


def _pdf_text(data: bytes, name: str) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError(f"{name}：PDF 已加密（设有打开密码），请解除加密后再上传") from exc
        raise
    try:
        pages = [_pdf_page_lines(page) for page in pdf]
    finally:
        pdf.close()
    text = _pdf_paragraphs(pages)
    if not text.strip():
        raise ReadError(f"{name}：PDF 没有文字层（可能是扫描件），请先进行文字识别（OCR）后再上传")
    return text


# -- html: the report's title and text, tables as tables ---------------------------------------------------
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "header", "footer", "nav", "form", "hr", "center",
    "td", "th",
}  # fmt: skip
_TITLE_MARK = "\ue000"  # a private-use character: where the report's title starts in the page's text


def _html_table_lines(table) -> list[str]:
    """The table's rows as tab-separated lines on a grid: a cell spanning rows or columns stands once."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    rows = [tr for tr in table.iter("tr") if tr.getparent() is not None]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in {"td", "th"}:
                continue
            while (r, c) in grid:
                c += 1
            text = " ".join(cell.text_content().split())
            rowspan = int(cell.get("rowspan", "1")) if str(cell.get("rowspan", "1")).isdigit() else 1
            colspan = int(cell.get("colspan", "1")) if str(cell.get("colspan", "1")).isdigit() else 1
            for dr in range(max(1, min(rowspan, 500))):
                for dc in range(max(1, min(colspan, 50))):
                    grid[(r + dr, c + dc)] = text if dr == 0 and dc == 0 else ""
            c += max(1, colspan)
            width = max(width, c)
    lines = []
    for r in range(len(rows)):
        cells = [grid.get((r, c), "") for c in range(width)]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _is_data_table(table) -> bool:
    """A table of figures, not a page laid out in table cells: no cell holds a paragraph's worth of text."""
    cells = [cell for cell in table.iter("td", "th")]
    return bool(cells) and all(len(" ".join(cell.text_content().split())) <= 200 for cell in cells)


def _html_title(root) -> tuple[Any, str | None]:
    """The element holding the report's title (an <h1>…, else any short element saying 报告), and the
    <title>'s part that names the report."""
    page_title = None
    for t in root.iter("title"):
        parts = [p.strip() for p in re.split(r"[_|｜\-—–]+", t.text_content() or "") if p.strip()]
        page_title = next((p for p in parts if _TITLE_WORDS.search(p)), None)
        break
    headings = []
    for element in root.iter("h1", "h2", "h3"):
        text = " ".join(element.text_content().split())
        if text and len(text) <= 80 and _TITLE_WORDS.search(text):
            headings.append((element, re.sub(r"\s+", "", text)))
    if headings:
        # a column's name (法治政府建设年度报告) can head the page too: the <title>'s report wins
        squeezed = re.sub(r"\s+", "", page_title or "")
        matching = [e for e, text in headings if squeezed and (text in squeezed or squeezed in text)]
        return (matching or [headings[0][0]])[0], page_title
    if page_title:
        squeezed = re.sub(r"\s+", "", page_title)
        for element in root.iter():
            if not isinstance(element.tag, str) or element.tag.lower() in {"title", "head", "html", "body"}:
                continue
            text = re.sub(r"\s+", "", element.text_content())
            if text == squeezed:
                return element, page_title
    return None, page_title


def _html_text(data: bytes, name: str) -> str:
    import lxml.html

    root = lxml.html.fromstring(decode_text(data, name))
    title_element, page_title = _html_title(root)
    for bad in root.xpath("//script|//style|//noscript|//head|//template"):
        bad.drop_tree()
    if title_element is not None and title_element.getparent() is not None:
        title_element.text = _TITLE_MARK + (title_element.text or "")
    for table in reversed(list(root.iter("table"))):  # nested tables before the tables holding them
        if table.getparent() is None or not _is_data_table(table):
            continue  # a page laid out in a table: its cells are blocks of text
        replacement = lxml.html.Element("div")
        replacement.text = "\n" + "\n".join(_html_table_lines(table)) + "\n"
        replacement.tail = table.tail
        table.getparent().replace(table, replacement)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    lines = [re.sub(r"[ \u3000\xa0]+", " ", line).strip(" ") for line in text.splitlines()]
    text = "\n".join(line for line in lines if line.strip())
    if _TITLE_MARK in text:
        # what stands before the title is the site's chrome (breadcrumbs, menus, the index number)
        text = text[text.index(_TITLE_MARK) + 1 :]
    elif page_title and re.sub(r"\s+", "", page_title) not in re.sub(r"\s+", "", text[:2000]):
        text = page_title + "\n\n" + text  # the title only in <title>: it opens the text, set apart
    return text.replace(_TITLE_MARK, "")


def _encrypted_office(data: bytes) -> bool:
    """An encrypted docx is an OLE container holding an EncryptedPackage stream, not a zip."""
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and "EncryptedPackage".encode("utf-16-le") in data


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
    if suffix in {".docx", ".doc", ".wps"} and _encrypted_office(data):
        raise ReadError(f"{name}：文件已加密（设有打开密码），请解除加密后再上传")
    if suffix == ".docx":  # sizes and ratios of its parts, before python-docx expands them
        try:
            check_package(data, name, "文件已损坏或格式不符（BadZipFile）")
        except UnsafeWorkbook as exc:
            raise ReadError(str(exc)) from None
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
    line_end = -1
    for m in _FOOTER_RE.finditer(text):
        if m.start() < line_end:
            continue  # this line is already a footer
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        line_end = len(text) if end == -1 else end
        spans.append((start, line_end))
    return sorted(set(spans))
