"""Every format read alike: DOCX and HTML in document order with tables as tables, headings from styles,
the HTML title; PDF lines rebuilt into paragraphs; encrypted files, short GBK text, converter messages."""

import io
import shutil
import sys
from pathlib import Path

import pytest
from docx import Document

from fazhi.reports.analyzer.analyze import analyze_text
from fazhi.reports.analyzer.reading import ReadError, _Line, _one_line, _pdf_paragraphs, read_bytes

ROOT = Path(__file__).resolve().parents[3]
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
TITLE = "某县司法局关于2024年度法治政府建设情况的报告"


def _docx(build) -> bytes:
    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, rows, merge=None):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    if merge:  # before the text: Word's merge joins the merged cells' paragraphs
        (a, b), (c, d) = merge
        table.cell(a, b).merge(table.cell(c, d))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    return table


def test_docx_tables_stand_where_they_are_and_merged_cells_once():
    def build(document):
        document.add_paragraph(TITLE)
        document.add_paragraph("一、主要举措和成效")
        document.add_paragraph("表1 行政复议案件（单位：件）")
        _table(
            document, [["类别", "收案", "结案"], ["复议", "12", "10"], ["", "3", "3"], ["合计", "15", "13"]]
        )
        document.add_paragraph("二、存在的不足和原因")
        document.add_paragraph("普法形式单一。")

    text = read_bytes(_docx(build), "r.docx")
    assert text.index("复议\t12\t10") < text.index("二、存在的不足")
    result = analyze_text(text, "r.docx")
    cells = [(f["value"], f["unit"], f["label"]) for f in result["facts"]]
    assert cells == [
        (12, "件", "复议收案"), (10, "件", "复议结案"), (3, "件", "复议收案"), (3, "件", "复议结案"),
        (15, "件", "合计收案"), (13, "件", "合计结案"),
    ]  # fmt: skip
    sums = [c for c in result["checks"] if c["rule"] == "table_sum"]
    assert [c["ok"] for c in sums] == [True, True]
    assert "12件 + 3件 = 15，表中合计15件，一致" in sums[0]["message"]


def test_a_vertically_merged_cell_is_not_read_twice():
    def build(document):
        document.add_paragraph(TITLE)
        _table(document, [["乡镇", "调解（件）"], ["甲镇", "12"], ["乙镇", ""]], merge=((1, 1), (2, 1)))

    text = read_bytes(_docx(build), "r.docx")
    assert text.count("12") == 1
    assert [f["value"] for f in analyze_text(text, "r.docx")["facts"]] == [12]


def test_table_column_that_does_not_add_up_fails():
    text = f"{TITLE}\n单位：件\n类别\t收案\t结案\n复议\t12\t10\n诉讼\t5\t4\n合计\t17\t15\n"
    [ok, failed] = [c for c in analyze_text(text, "t.txt")["checks"] if c["rule"] == "table_sum"]
    assert ok["ok"] and not failed["ok"]
    assert "10件 + 4件 = 14，表中合计15件，不一致" in failed["message"]


def test_table_cells_of_different_rows_are_not_repeated_figures():
    rows = "\n".join(f"{town}镇\t{n}\t{n + 3}" for town, n in zip("甲乙丙丁戊", range(10, 15), strict=True))
    text = f"{TITLE}\n乡镇\t调解纠纷（件）\t普法活动（场）\n{rows}\n"
    assert not [c for c in analyze_text(text, "t.txt")["checks"] if c["rule"] == "repeated_figure"]


def test_word_heading_styles_without_typed_numbers_give_the_structure():
    def build(document):
        document.add_paragraph(TITLE, style="Title")
        document.add_paragraph("主要举措和成效", style="Heading 1")
        document.add_paragraph("加强组织领导", style="Heading 2")
        document.add_paragraph("全年集体学法4次。")
        document.add_paragraph("存在的不足和原因", style="Heading 1")
        document.add_paragraph("普法形式单一。")
        document.add_paragraph("2025年工作安排", style="Heading 1")
        document.add_paragraph("继续加强法治政府建设。")
        document.add_paragraph("第一项", style="List Number")  # Word's automatic numbering

    text = read_bytes(_docx(build), "r.docx")
    result = analyze_text(text, "r.docx")
    assert result["title"] == TITLE
    assert [s["heading"] for s in result["sections"] if s["level"] == 1] == [
        "一、主要举措和成效", "二、存在的不足和原因", "三、2025年工作安排",
    ]  # fmt: skip
    assert "（一）加强组织领导" in text and "1.第一项" in text
    present = {p["part"] for p in result["parts"] if p["present"]}
    assert {"measures", "shortcomings", "next_year"} <= present


PAGE = """<html><head><title>{title}_政务公开_某某县人民政府</title></head><body>
<div class="nav"><a>首页</a> &gt; <a>政务公开</a> &gt; <a>法治政府建设年度报告</a></div>
<div>索引号：11500224/2025-00012　发布日期：2025-02-10</div>
{h1}
<p>一、主要举措和成效</p>
<p>全年共调解矛盾纠纷120件，调解成功118件。</p>
<table><tr><th>类别</th><th>收案（件）</th></tr><tr><td rowspan="2">复议</td><td>12</td></tr>
<tr><td>3</td></tr></table>
<p>二、存在的不足和原因</p><p>普法形式单一。</p>
<div class="foot">版权所有：某某县人民政府</div></body></html>"""


def test_html_title_from_h1_not_the_breadcrumb():
    page = PAGE.format(title=TITLE, h1=f"<h1>{TITLE}</h1>").encode()
    result = analyze_text(read_bytes(page, "r.html"), "r.html")
    assert (result["title"], result["unit"], result["year"]) == (TITLE, "某县司法局", 2024)
    assert [f["value"] for f in result["facts"]] == [120, 118, 12, 3]


def test_html_title_named_by_the_title_element_over_a_columns_name():
    column = "<h2>法治政府建设年度报告</h2>"
    page = PAGE.format(title=TITLE, h1=f"{column}<h1>{TITLE}</h1>").encode()
    assert analyze_text(read_bytes(page, "r.html"), "r.html")["title"] == TITLE


def test_html_title_only_in_the_title_element():
    page = PAGE.format(title=TITLE, h1="").encode()
    text = read_bytes(page, "r.html")
    result = analyze_text(text, "r.html")
    assert result["title"] == TITLE and result["year"] == 2024


def _line(text, x0, x1, top, size=12.0):
    return _Line(text, x0, x1, top, size)


def test_pdf_lines_that_wrap_inside_a_sentence_are_one_paragraph():
    page1 = [
        _line("一、主要举措和成效", 90, 230, 700),
        _line("全年共开展普法宣传活动12", 114, 520, 680),  # indented: a paragraph's first line
        _line("次，发放资料2场次，达标率98%以", 90, 520, 662),
        _line("上。", 90, 120, 644),
        _line("— 1 —", 280, 320, 40),
    ]
    page2 = [_line("二、存在的不足和原因", 90, 250, 700), _line("普法形式单一。", 114, 230, 682)]
    text = _pdf_paragraphs([page1, page2])
    assert text.split("\n") == [
        "一、主要举措和成效", "全年共开展普法宣传活动12次，发放资料2场次，达标率98%以上。",
        "二、存在的不足和原因", "普法形式单一。",
    ]  # fmt: skip
    facts = analyze_text(f"{TITLE}\n{text}", "r.pdf")["facts"]
    assert [(f["value"], f["unit"], f["approx"]) for f in facts] == [
        (12, "次", False),
        (2, "场次", False),
        (98, "%", True),
    ]


@pytest.mark.skipif(not shutil.which("soffice") or not SEEDS, reason="LibreOffice or the seeds missing")
def test_a_seed_as_docx_html_and_pdf_gives_the_plain_texts_figures():
    sys.path.insert(0, str(ROOT / "bench"))
    from report_formats import as_format

    def essentials(result):
        facts = [(f["value"], f["unit"], f["indicator"]) for f in result["facts"]]
        failed = sorted(c["rule"] for c in result["checks"] if not c["ok"])
        return facts, failed, result["unit"], result["year"]

    for seed in (SEEDS[1], SEEDS[4]):  # 001 and 004 hold the seeds' two real errors
        plain = seed.read_text(encoding="utf-8")
        expected = essentials(analyze_text(plain, "r.txt"))
        assert expected[1] == ["rate"] or expected[1] == ["repeated_figure"]
        for suffix in ("docx", "html", "pdf"):
            text = read_bytes(as_format(plain, suffix), f"r.{suffix}")
            assert essentials(analyze_text(text, f"r.{suffix}")) == expected, (seed.name, suffix)


def test_encrypted_office_file_is_called_encrypted():
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(ReadError, match="已加密"):
        read_bytes(encrypted, "r.docx")


def test_encrypted_pdf_is_called_encrypted():
    from fazhi.reports.tests.test_analyzer_gold import _pdf

    # the standard security handler with a user password (its check value does not match an empty one)
    encrypt = b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >> /ID [<%s> <%s>] " % (
        b"11" * 32, b"22" * 32, b"33" * 16, b"33" * 16,
    )  # fmt: skip
    data = _pdf(b"BT /F1 12 Tf 72 720 Td (632 cases) Tj ET").replace(
        b"trailer\n<< ", b"trailer\n<< " + encrypt
    )
    with pytest.raises(ReadError, match="已加密"):
        read_bytes(data, "r.pdf")


@pytest.mark.parametrize(
    "text",
    [
        "法治政府建设情况",
        "办理案件12件",
        "全年共调解纠纷",
        "司法所",
        "诉讼案件",
        "100%。(",
        "小额贷纠纷401",
        "免罚、不予",
    ],
)
def test_short_gbk_text_is_read_as_chinese(text):
    assert read_bytes(text.encode("gbk"), "r.txt") == text  # some are valid UTF-8, or pass for Korean
    assert read_bytes(text.encode("utf-8"), "r.txt") == text


def test_converter_messages_are_one_line_without_temporary_paths():
    message = (
        "LibreOffice 读取.doc文件失败：javaldx: Could not find a Java Runtime Environment!\n"
        "Warning: failed to read path from javaldx\n"
        "Error: source file could not be loaded /tmp/tmpab12cd/document.doc"
    )
    cleaned = _one_line(message)
    assert "\n" not in cleaned and "/tmp" not in cleaned and "javaldx" not in cleaned
    assert "source file could not be loaded" in cleaned


def test_a_page_laid_out_in_a_table_keeps_its_paragraphs():
    body = "".join(
        f"<p>{line}</p>" for line in ["一、主要举措和成效", "全年共调解矛盾纠纷120件，调解成功118件。" * 8]
    )
    data = "<table><tr><td>类别</td><td>收案（件）</td></tr><tr><td>复议</td><td>12</td></tr></table>"
    page = f"<html><body><table><tr><td><h1>{TITLE}</h1>{body}{data}</td></tr></table></body></html>"
    text = read_bytes(page.encode(), "r.html")
    assert text.splitlines()[:2] == [TITLE, "一、主要举措和成效"]
    assert "复议\t12" in text


def test_docx_tracked_insertions_count_and_deletions_do_not():
    from docx.oxml import parse_xml

    def build(document):
        document.add_paragraph(TITLE)
        paragraph = document.add_paragraph("全年办理案件")
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        paragraph._p.append(
            parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>11件</w:delText></w:r></w:del>')
        )
        paragraph._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>12件</w:t></w:r></w:ins>'))

    text = read_bytes(_docx(build), "r.docx")
    assert "全年办理案件12件" in text and "11件" not in text


def test_pdf_running_headers_do_not_break_a_sentence_across_pages():
    def page(n, body):
        return [_line("某县人民政府办公室", 250, 350, 780), *body, _line(f"第{n}页", 280, 320, 40)]

    pages = [
        page(
            1,
            [
                _line(TITLE, 100, 500, 740, 16),
                _line("全年共开展普法宣传活动12场次，发放宣传资料", 114, 520, 700),
            ],
        ),
        page(2, [_line("3000余份。二是加强执法监督。", 90, 300, 700)]),
        page(3, [_line("三是强化队伍建设。", 114, 300, 700)]),
    ]
    text = _pdf_paragraphs(pages)
    assert "发放宣传资料3000余份。" in text and text.count("某县人民政府办公室") == 1


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_a_pdf_table_is_read_as_a_table():
    from fazhi.reports.libreoffice import convert

    def build(document):
        document.add_paragraph(TITLE)
        document.add_paragraph("表1 案件情况（单位：件）")
        table = _table(
            document,
            [["类别", "收案", "结案"], ["复议", "12", "10"], ["诉讼", "5", "4"], ["合计", "17", "15"]],
        )
        table.style = "Table Grid"
        document.add_paragraph("普法形式单一。")

    text = read_bytes(convert(_docx(build), ".docx", "pdf", what="生成测试用 PDF"), "r.pdf")
    assert "复议\t12\t10" in text
    sums = [c for c in analyze_text(text, "r.pdf")["checks"] if c["rule"] == "table_sum"]
    assert [c["ok"] for c in sums] == [True, False]


def test_paragraphs_indented_with_tabs_are_not_a_table():
    text = (
        f"{TITLE}\n\t一、主要举措和成效\n\t全年共调解矛盾纠纷120件，调解成功118件。\n\t二、存在的不足和原因\n"
    )
    facts = analyze_text(text, "t.txt")["facts"]
    assert [f["indicator"] for f in facts] == ["mediation_cases", "mediation_success"]


def test_a_custom_heading_style_with_an_outline_level_gives_the_structure():
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    def build(document):
        style = document.styles.add_style("一级标题", WD_STYLE_TYPE.PARAGRAPH)
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        style.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {w} w:val="0"/>'))
        document.add_paragraph(TITLE)
        document.add_paragraph("主要举措和成效", style="一级标题")
        document.add_paragraph("全年集体学法4次。")
        document.add_paragraph("存在的不足和原因", style="一级标题")
        document.add_paragraph("普法形式单一。")

    result = analyze_text(read_bytes(_docx(build), "r.docx"), "r.docx")
    assert [s["heading"] for s in result["sections"] if s["level"] == 1] == [
        "一、主要举措和成效",
        "二、存在的不足和原因",
    ]
