"""The annual report: drafted from the registers, edited with versions, rendered as a 公文 (GB/T 9704),
due and published per the rules, checked against the registers, rolled up for the 依法治县办."""

import io
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.cli import main
from fazhi.decisions.models import LegalityReview, NormativeDocument
from fazhi.indicators.services import data_changed
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.registers.services import item_transition
from fazhi.reports import annual, builder
from fazhi.reports.analyzer.analyze import analyze_bytes
from fazhi.reports.crosscheck import against_registers
from fazhi.reports.docx_render import render_docx
from fazhi.reports.registers import ANNUAL_REPORTS

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artifacts"


def review(unit, number, on):
    LegalityReview.objects.create(
        unit=unit,
        number=number,
        title="t",
        kind="other",
        submitter="s",
        submitted_on=on,
        status="issued",
        opinion="lawful",
        opinion_on=on,
    )


@pytest.fixture
def registers(county):
    for n in range(3):
        review(county["changgang_office"], f"R{n}", date(2024, 4, 1))
    NormativeDocument.objects.create(
        unit=county["changgang"],
        title="文件",
        drafter="d",
        drafted_on=date(2024, 3, 1),
        status="filed",
        published_on=date(2024, 3, 1),
        filed_on=date(2024, 4, 30),
        filing_due_on=date(2024, 3, 18),
    )
    return county


@pytest.fixture
def clerk(registers):
    return UserFactory(unit=registers["changgang"], role=UserRole.OPERATOR, username="clerk")


@pytest.fixture
def report(registers, clerk):
    return builder.draft_report(
        registers["changgang"], 2024, actor=clerk, unit_ids=subtree_ids(registers["changgang"])
    )


def test_draft_has_the_five_parts_with_the_registers_figures(report):
    parts = {p.part: p for p in report.parts.all()}
    assert list(parts) == ["measures", "shortcomings", "first_responsible", "next_year", "other"]
    assert report.title == "长冈乡人民政府关于2024年度法治政府建设情况的报告"
    assert parts["measures"].heading == "一、2024年推进法治政府建设的主要举措和成效"
    assert "完成合法性审查3件" in parts["measures"].figures
    assert "制发行政规范性文件1件" in parts["measures"].figures and "报备率100%" in parts["measures"].figures
    # the document was filed after its 15 days: the missed target goes into 存在的不足
    assert "规范性文件报备及时率为0%，未达到100%的目标要求" in parts["shortcomings"].figures
    assert parts["next_year"].heading == "四、2025年推进法治政府建设的主要安排"
    assert "（一）依法按时完成2025年法定事项。" in parts["next_year"].figures  # duties from the rules
    assert not parts["first_responsible"].figures  # no records of the principal: left to the writer


def test_regenerating_keeps_the_users_text(report, registers, clerk, django_capture_on_commit_callbacks):
    scope = subtree_ids(registers["changgang"])
    annual.save_text(
        report, {"measures": ("一、主要举措和成效", "（一）强化法治宣传。")}, actor=clerk, scope_ids=scope
    )
    with django_capture_on_commit_callbacks(execute=True):
        review(registers["changgang_office"], "R9", date(2024, 6, 1))
        data_changed()  # what the register services do after every write
    builder.regenerate_figures(report, unit_ids=scope)
    measures = report.parts.get(part="measures")
    assert "完成合法性审查4件" in measures.figures
    assert (measures.heading, measures.text) == ("一、主要举措和成效", "（一）强化法治宣传。")


def test_versions_compare_and_restore(report, registers, clerk):
    scope = subtree_ids(registers["changgang"])
    annual.save_text(
        report, {"next_year": ("四、2025年安排", "完善合法性审查机制。")}, actor=clerk, scope_ids=scope
    )
    first = annual.save_version(report, actor=clerk, scope_ids=scope, note="初稿")
    annual.save_text(
        report, {"next_year": ("四、2025年安排", "健全合法性审查机制。")}, actor=clerk, scope_ids=scope
    )
    [_, _, _, next_year, _] = annual.compare(first.content, annual.content(report))
    assert (
        next_year.changed
        and ("delete", "完善") in next_year.segments
        and ("insert", "健全") in next_year.segments
    )
    annual.restore_version(first, actor=clerk, scope_ids=scope)
    assert report.parts.get(part="next_year").text == "完善合法性审查机制。"
    assert [v.number for v in report.versions.all()] == [2, 1]  # the state before restoring was kept too


def test_docx_is_a_gb_t_9704_document(report, registers, clerk):
    scope = subtree_ids(registers["changgang"])
    annual.save_text(
        report,
        {
            "next_year": (
                "四、2025年推进法治政府建设的主要安排",
                "（一）深化法治宣传。\n1.开展宪法宣传周活动。",
            )
        },
        actor=clerk,
        scope_ids=scope,
    )
    report.signed_on = date(2025, 2, 20)
    report.save()
    doc = Document(io.BytesIO(render_docx(report)))
    section = doc.sections[0]

    def mm(length):
        return round(length.mm, 1)  # Word stores twentieths of a point

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(map(mm, margins)) == (37, 35, 28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")  # 22 lines of 28.95 pt
    condensed = doc.styles["公文正文"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))
    assert int(condensed) == -5  # 28 characters of 三号 in 156 mm

    def east_asia(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    styles = doc.styles
    assert (east_asia(styles["公文标题"]), styles["公文标题"].font.size) == ("方正小标宋简体", Pt(22))
    assert (east_asia(styles["公文正文"]), styles["公文正文"].font.size) == ("仿宋_GB2312", Pt(16))
    assert east_asia(styles["一级标题"]) == "黑体" and east_asia(styles["二级标题"]) == "楷体_GB2312"
    assert styles["三级标题"].font.bold and styles["公文正文"].paragraph_format.first_line_indent == Pt(32)
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert paragraphs[0] == ("公文标题", "长冈乡人民政府关于2024年度法治政府建设情况的报告")
    assert ("一级标题", "一、2024年推进法治政府建设的主要举措和成效") in paragraphs
    assert ("二级标题", "（一）深化法治宣传。") in paragraphs and (
        "三级标题",
        "1.开展宪法宣传周活动。",
    ) in paragraphs
    assert not any("其他需要报告" in text for _, text in paragraphs)  # left empty, so left out
    assert paragraphs[-2:] == [("落款", "长冈乡人民政府"), ("落款", "2025年2月20日")]
    footer = section.footer.paragraphs[0]._element.xml
    assert "— " in footer and " PAGE " in footer and doc.settings.odd_and_even_pages_header_footer


def test_due_dates_workflow_and_publication(report, registers, clerk):
    scope = subtree_ids(registers["changgang"])
    # a township government reports by 3月1日 of the next year (annual_report.government_submit)
    assert (report.due_label, report.due_date) == ("报送年度报告", date(2025, 2, 28))
    with pytest.raises(ValidationError, match=r"还没有内容，不能提交审核.*三、党政主要负责人") as refused:
        item_transition(
            ANNUAL_REPORTS, report, "reviewing", actor=clerk, scope_ids=scope, on=date(2025, 2, 10)
        )
    assert "第二十五条" in str(refused.value)
    texts = {"first_responsible": ("三、第一责任人职责", "主要负责人专题研究法治政府建设2次。"),
             "next_year": ("四、2025年主要安排", "（一）深化依法决策。")}  # fmt: skip
    annual.save_text(report, texts, actor=clerk, scope_ids=scope)
    item_transition(ANNUAL_REPORTS, report, "reviewing", actor=clerk, scope_ids=scope, on=date(2025, 2, 10))
    with pytest.raises(ValidationError, match="须由起草人以外的人员审核"):
        item_transition(
            ANNUAL_REPORTS, report, "submitted", actor=clerk, scope_ids=scope, on=date(2025, 2, 20)
        )
    head = UserFactory(unit=registers["changgang"], role=UserRole.UNIT_ADMIN)
    item_transition(ANNUAL_REPORTS, report, "submitted", actor=head, scope_ids=scope, on=date(2025, 2, 20))
    assert report.reviewed_on == date(2025, 2, 20)
    assert (report.due_label, report.due_date) == ("向社会公开", date(2025, 3, 31))
    with pytest.raises(Exception, match="公开网址"):
        item_transition(
            ANNUAL_REPORTS, report, "published", actor=clerk, scope_ids=scope, on=date(2025, 3, 5)
        )
    item_transition(
        ANNUAL_REPORTS,
        report,
        "published",
        actor=clerk,
        scope_ids=scope,
        on=date(2025, 3, 5),
        values={"public_url": "https://www.example.gov.cn/2025/fzbg.html"},
    )
    assert report.status == "published" and report.due_date is None
    with pytest.raises(Exception, match="已报送"):
        annual.save_text(report, {"other": ("五、其他", "x")}, actor=clerk, scope_ids=scope)


def test_a_figure_that_differs_from_the_registers_must_be_explained_before_review(report, registers, clerk):
    scope = subtree_ids(registers["changgang"])
    texts = {"first_responsible": ("三、第一责任人职责", "全年完成合法性审查9件。"),
             "next_year": ("四、2025年主要安排", "（一）深化依法决策。")}  # fmt: skip
    annual.save_text(report, texts, actor=clerk, scope_ids=scope)
    with pytest.raises(ValidationError, match="合法性审查件数：报告9，台账3"):
        item_transition(
            ANNUAL_REPORTS, report, "reviewing", actor=clerk, scope_ids=scope, on=date(2025, 2, 10)
        )
    explained = "含县司法局代为审查的6件，台账登记在县司法局。"
    item_transition(ANNUAL_REPORTS, report, "reviewing", actor=clerk, scope_ids=scope, on=date(2025, 2, 10),
                    values={"differences_explained": explained})  # fmt: skip
    assert report.status == "reviewing" and report.differences_explained == explained


def test_the_docx_never_prints_an_empty_part_as_a_bare_heading(report):
    from docx import Document

    document = Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name == "一级标题"]
    assert not any(h.startswith(("三、", "五、")) for h in headings)  # nothing written in them yet
    assert headings and headings[0].startswith("一、")


def test_check_against_the_registers(report, registers, clerk):
    result = analyze_bytes(render_docx(report), "r.docx")
    rows = {d.indicator: d for d in against_registers(result, registers["changgang"], 2024)}
    assert rows["legality_reviews"].ok and rows["legality_reviews"].registered == 3
    scope = subtree_ids(registers["changgang"])
    annual.save_text(
        report, {"other": ("五、其他需要报告的情况", "全年完成合法性审查9件。")}, actor=clerk, scope_ids=scope
    )
    result = analyze_bytes(render_docx(report), "r.docx")
    wrong = [d for d in against_registers(result, registers["changgang"], 2024) if not d.ok]
    assert [(d.indicator, d.stated, d.registered) for d in wrong] == [("legality_reviews", 9, 3)]


def test_pages_rollup_and_commands(client, report, registers, tmp_path, capsys):
    county_user = UserFactory(unit=registers["county"], role=UserRole.UNIT_ADMIN, username="yfzx")
    client.force_login(county_user)
    page = client.get(reverse("reports:annual_edit", args=[report.pk])).content.decode()
    assert "完成合法性审查3件" in page and "保存为新版本" in page
    response = client.post(
        reverse("reports:annual_edit", args=[report.pk]),
        {"text_next_year": "健全机制。"},
        HTTP_HX_REQUEST="true",
    )
    assert "已自动保存" in response.content.decode()
    assert report.parts.get(part="next_year").text == "健全机制。"
    rollup = client.get(reverse("reports:annual_rollup"), {"year": 2024}).content.decode()
    assert "长冈乡人民政府关于2024年度" in rollup and "未起草" in rollup  # 河口镇 has none yet
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("reports:annual_rollup"), {"year": 2024, "format": "zip"}).content)
    )
    assert [n.endswith(".docx") for n in archive.namelist()] == [True]
    check = client.get(reverse("reports:annual_check", args=[report.pk])).content.decode()
    assert "合法性审查件数" in check and "一致" in check
    out = tmp_path / "r.docx"
    assert main(["report", "--unit", "C-T2", "--year", "2024", "--out", str(out), "--user", "yfzx"]) == 0
    assert Document(str(out)).paragraphs[0].text == "河口镇人民政府关于2024年度法治政府建设情况的报告"
    assert main(["analyze", "--json", "--against", "C-T1:2024", str(out)]) == 0
    capsys.readouterr()
    assert main(["report", "--unit", "C-T2", "--year", "2024", "--out", str(tmp_path / "r.pdf")]) == 2


def test_pdf_needs_libreoffice(client, report, registers, monkeypatch):
    monkeypatch.setattr("fazhi.reports.pdf.libreoffice", lambda: None)
    client.force_login(UserFactory(unit=registers["county"], role=UserRole.UNIT_ADMIN))
    response = client.get(reverse("reports:annual_pdf", args=[report.pk]), follow=True)
    assert "本机未安装 LibreOffice" in response.content.decode()


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice not installed"
)
def test_rendered_first_page_is_kept_as_an_image(report, registers, clerk):
    """The first page rendered by LibreOffice, as a PNG in var/test-artifacts/ for a person to look at."""
    from fazhi.reports.pdf import docx_to_pdf

    pdf = docx_to_pdf(render_docx(report), "report")
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "annual-report.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(ARTIFACTS / "annual-report.pdf"),
            str(ARTIFACTS / "annual-report-page"),
        ],
        check=True,
    )
    [page] = ARTIFACTS.glob("annual-report-page*.png")
    assert page.stat().st_size > 5000


def test_a_new_report_is_always_drafted_by_the_builder(client, registers, clerk):
    client.force_login(clerk)
    response = client.get(reverse("registers:create", args=["annual-reports"]))
    assert response.status_code == 302 and response["Location"] == reverse("reports:annual_new")


def test_an_imported_report_gets_its_parts_when_opened(client, registers, clerk):
    from fazhi.reports.models import AnnualReport

    imported = AnnualReport.objects.create(
        unit=registers["changgang"],
        year=2023,
        title="长冈乡人民政府关于2023年度法治政府建设情况的报告",
        signatory="长冈乡人民政府",
        status="published",
        public_url="https://example.gov.cn/2023.html",
    )
    client.force_login(clerk)
    page = client.get(reverse("reports:annual_edit", args=[imported.pk])).content.decode()
    assert imported.parts.count() == 5 and "一、2023年推进法治政府建设的主要举措和成效" in page


def test_autosave_errors_quote_headings_as_text(client, report, registers, clerk):
    part = report.parts.get(part="other")
    part.heading = "<script>alert(1)</script>"
    part.save()
    client.force_login(clerk)
    response = client.post(
        reverse("reports:annual_edit", args=[report.pk]), {"heading_other": ""}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_two_tabs_never_overwrite_each_other_silently(report, registers, clerk):
    """Two people (or tabs) edit one part: the later save is refused with the other's text shown, the
    typed text stays, and saving again after that is a deliberate choice."""
    from django.test import Client

    other = UserFactory(unit=registers["changgang"], role=UserRole.OPERATOR, last_name="王", first_name="芳")
    mine, theirs = Client(), Client()
    mine.force_login(clerk)
    theirs.force_login(other)
    url = reverse("reports:annual_edit", args=[report.pk])
    assert 'name="rev_next_year" value="0"' in mine.get(url).content.decode()
    saved = theirs.post(
        url, {"text_next_year": "王芳写的安排。", "rev_next_year": "0"}, HTTP_HX_REQUEST="true"
    )
    assert "已自动保存" in saved.content.decode()
    refused = mine.post(url, {"text_next_year": "我写的安排。", "rev_next_year": "0"}, HTTP_HX_REQUEST="true")
    page = refused.content.decode()
    assert "已被他人修改" in page and "王芳" in page and "王芳写的安排。" in page
    assert 'name="rev_next_year" value="1"' in page  # the next save knowingly goes over it
    assert report.parts.get(part="next_year").text == "王芳写的安排。"
    # without htmx (the 保存 button): the page comes back with the typed text in the editor
    page = mine.post(
        url, {"text_next_year": "我写的安排。", "rev_next_year": "0", "save": ""}
    ).content.decode()
    assert "我写的安排。</textarea>" in page and "王芳写的安排。" in page
    again = mine.post(url, {"text_next_year": "合并后的安排。", "rev_next_year": "1"}, HTTP_HX_REQUEST="true")
    assert "已自动保存" in again.content.decode()
    part = report.parts.get(part="next_year")
    assert part.text == "合并后的安排。" and part.revision == 2
    assert [h.history_user for h in part.history.order_by("history_date")][-2:] == [other, clerk]  # audited
