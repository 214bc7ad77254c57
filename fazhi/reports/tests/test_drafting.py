"""The drafted annual report is a draft worth editing: every part drafted from what Fazhi holds, the
county's figures rolled up with its best and worst subordinates, shortcomings answered by measures the
user confirms, next year's statutory duties; and its 公文 details (落款, 成文日期, organ in full, 版头)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from fazhi.decisions.models import NormativeDocument
from fazhi.indicators import dashboard
from fazhi.indicators.services import manual_value_save
from fazhi.org.models import UnitLevel, UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UnitFactory, UserFactory
from fazhi.reports import builder, drafting
from fazhi.reports.analyzer.analyze import analyze_bytes
from fazhi.reports.docx_render import render_docx, signature_indents, signed_date

from .test_annual_report import review

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


@pytest.fixture
def county_with_figures(county):
    """Three townships with legality reviews (one short of the 100% target), hand-entered figures for
    two years, and a published report for the year before."""
    county["third"] = UnitFactory(
        code="C-T3", name="青山县柳林乡", level=UnitLevel.TOWNSHIP, parent=county["county"]
    )
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, username="boss")
    for n in range(4):
        review(county["changgang_office"], f"CG{n}", date(2024, 4, 1))
    for n in range(2):
        review(county["hekou"], f"HK{n}", date(2024, 5, 1))
    review(county["third"], "LL0", date(2024, 5, 1))
    for unit, filed_on in ((county["changgang"], date(2024, 3, 10)), (county["hekou"], date(2024, 4, 30))):
        NormativeDocument.objects.create(
            unit=unit, title=f"{unit.name}文件", drafter="d", drafted_on=date(2024, 3, 1), status="filed",
            published_on=date(2024, 3, 1), filed_on=filed_on, filing_due_on=date(2024, 3, 18),
        )  # fmt: skip
    scope = subtree_ids(county["county"])
    for year, meetings in ((2023, 3), (2024, 5)):
        for unit in (
            county["county"],
            county["changgang"],
            county["hekou"],
            county["third"],
            county["justice"],
        ):
            manual_value_save(
                actor=admin,
                unit=unit,
                year=year,
                indicator="rol_meetings",
                value=Decimal(meetings),
                scope_ids=scope,
            )
    return county, admin, scope


def test_county_draft_rolls_up_and_names_the_best_and_worst(county_with_figures):
    county, _admin, scope = county_with_figures
    texts = drafting.drafted_texts(county["county"], 2024, scope)
    assert "（一）坚持依法科学民主决策" in texts["measures"]
    assert "完成合法性审查7件" in texts["measures"]
    assert "各乡镇（街道）中，合法性审查件数最多的是长冈乡（4件），最少的是柳林乡（1件）" in texts["measures"]
    # part 三 from the principal's hand-entered records, with the change on last year
    assert "主持召开会议研究法治建设工作25次，同比增加10次" in texts["first_responsible"]
    # part 四: next year's statutory duties, dated and sourced from the rules
    assert "（一）依法按时完成2025年法定事项。" in texts["next_year"]
    assert (
        "年度报告通过报刊、网站等向社会公开，于2025年4月1日前完成（依据：《法治政府建设与责任落实督察工作规定》第二十四条）"
        in texts["next_year"]
    )
    assert texts["other"] == ""  # no report of 2023 on record


def test_shortcomings_name_the_units_below_target_and_the_overdue_items_with_their_causes(
    county_with_figures,
):
    county, _admin, scope = county_with_figures
    from fazhi.decisions.models import LegalityReview

    LegalityReview.objects.create(
        unit=county["hekou"], number="HK9", title="关于河道采砂的管理办法", kind="normative", submitter="s",
        submitted_on=date(2024, 6, 3), status="accepted", accepted_on=date(2024, 6, 3),
        due_date=date(2024, 6, 24), note="送审材料不全，等待补充",
    )  # fmt: skip
    text = drafting.drafted_texts(county["county"], 2024, scope)["shortcomings"]
    assert text.startswith("一是") and "二是规范性文件报备及时率为50%，未达到100%的目标要求" in text
    assert "未达标的有河口镇（0%）。" in text
    assert "尚有合法性审查1件逾期未办结" in text
    # a backlog of several registers is never read back as what their indicators count
    from fazhi.reports.analyzer.analyze import analyze_text

    listed = drafting.shortcomings_part(county["county"], 2024, [], scope)
    backlog = (
        "截至2026年12月2日，尚有行政规范性文件6件逾期未办结，赋权承接事项4件逾期未办结，"
        "合法性审查2件逾期未办结。"
    )
    facts = analyze_text(f"报告\n二、存在的不足\n{backlog}", "r.txt")["facts"]
    assert [f["indicator"] for f in facts] == [None, None, None]
    assert "件逾期未办结，" in listed or "件逾期未办结。" in listed
    assert "关于河道采砂的管理办法”，送审材料不全，等待补充" in text


def test_measures_are_suggested_for_each_shortcoming_and_written_only_when_confirmed(county_with_figures):
    county, admin, scope = county_with_figures
    report = builder.draft_report(county["county"], 2024, actor=admin, unit_ids=scope)
    measures = builder.suggested_measures(report, unit_ids=scope)
    keys = [m.key for m in measures]
    assert "indicator:normative_filing_timely_rate" in keys
    assert report.parts.get(part="next_year").text == ""  # nothing goes in unconfirmed
    with pytest.raises(ValidationError, match="请勾选"):
        builder.adopt_measures(report, ["indicator:nonsense"], actor=admin, unit_ids=scope)
    assert (
        builder.adopt_measures(
            report, ["indicator:normative_filing_timely_rate"], actor=admin, unit_ids=scope
        )
        == 1
    )
    part = report.parts.get(part="next_year")
    assert part.text.startswith("（二）建立规范性文件报备提醒和通报机制")  # numbered after the drafted （一）
    # a confirmed measure is not suggested again
    assert "indicator:normative_filing_timely_rate" not in [
        m.key for m in builder.suggested_measures(report, unit_ids=scope)
    ]


def test_the_editor_offers_the_measures_and_the_reporting_coverage(client, county_with_figures):
    county, admin, scope = county_with_figures
    report = builder.draft_report(county["county"], 2024, actor=admin, unit_ids=scope)
    client.force_login(admin)
    page = client.get(reverse("reports:annual_edit", args=[report.pk])).content.decode()
    assert "建议措施" in page and 'value="indicator:normative_filing_timely_rate"' in page
    assert "手工填报情况" not in page  # every unit that reports to the county entered its meetings
    response = client.post(
        reverse("reports:annual_adopt", args=[report.pk]),
        {"measure": ["indicator:normative_filing_timely_rate"]},
        follow=True,
    )
    assert "已将1项措施写入" in response.content.decode()
    leader = UserFactory(unit=county["county"], role=UserRole.VIEWER, username="leader")
    client.force_login(leader)
    page = client.get(reverse("reports:annual_edit", args=[report.pk])).content.decode()
    assert "建议措施" not in page
    assert (
        client.post(reverse("reports:annual_adopt", args=[report.pk]), {"measure": ["x"]}).status_code == 403
    )


def test_coverage_notes_say_how_many_units_entered_a_hand_figure(county_with_figures):
    county, admin, scope = county_with_figures
    manual_value_save(
        actor=admin,
        unit=county["hekou"],
        year=2024,
        indicator="mediation_cases",
        value=Decimal(30),
        scope_ids=scope,
    )
    assert "调解矛盾纠纷数：1/5个单位已填报" in drafting.coverage_notes(
        dashboard.key_figures(county["county"], 2024)
    )


def test_a_department_report_names_its_organ_in_full(county):
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN)
    bureau = UnitFactory(
        code="C-D9", name="县市场监督管理局", level=UnitLevel.DEPARTMENT, parent=county["county"]
    )
    report = builder.draft_report(bureau, 2024, actor=admin, unit_ids=[bureau.pk])
    assert report.title == "青山县市场监督管理局关于2024年度法治政府建设情况的报告"
    assert report.signatory == "青山县市场监督管理局"
    assert builder.organ_name(county["justice"]) == "青山县司法局"  # already in full
    assert builder.organ_name(county["county"]) == "青山县人民政府"
    assert "annual_report.department_submit" in drafting.DUTIES[UnitLevel.DEPARTMENT]


def test_signed_date_and_signature_follow_gb_t_9704():
    # 7.3.5.4: Arabic numerals, the year in full, no leading zero
    assert signed_date(date(2025, 3, 1)) == "2025年3月1日"
    assert signed_date(date(2025, 12, 31)) == "2025年12月31日"
    # 7.3.5.2: the organ 2 characters from the right; the date's first character 2 right of the organ's
    organ, dated = "青山县人民政府", "2025年3月1日"  # 7 characters; 3 + 3 halves = 6
    assert signature_indents(organ, dated) == (2, 1)
    # a date longer than the organ stays 2 from the right and the organ moves right
    assert signature_indents("青山县", "2025年12月31日") == (4 + 7 - 3, 2)


def test_approval_dates_the_report_and_the_docx_prints_it_under_the_organ(county_with_figures):
    county, admin, scope = county_with_figures
    from fazhi.registers.services import item_transition
    from fazhi.reports.registers import ANNUAL_REPORTS

    report = builder.draft_report(county["changgang"], 2024, actor=admin, unit_ids=scope)
    report.parts.filter(text="").update(text="已撰写。")
    reviewer = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, username="reviewer")
    item_transition(ANNUAL_REPORTS, report, "reviewing", actor=admin, scope_ids=scope, on=date(2025, 2, 10))
    item_transition(
        ANNUAL_REPORTS, report, "submitted", actor=reviewer, scope_ids=scope, on=date(2025, 2, 20)
    )
    report.refresh_from_db()
    assert report.signed_on == date(2025, 2, 20)
    paragraphs = Document(io.BytesIO(render_docx(report))).paragraphs
    organ, dated = paragraphs[-2], paragraphs[-1]
    assert (organ.text, dated.text) == ("长冈乡人民政府", "2025年2月20日")
    assert paragraphs[-3].text == ""  # one blank line under the text, not two
    assert organ.paragraph_format.right_indent.pt == 32  # 2 characters of 三号
    # 7 characters less 6½ (3 Chinese, 7 numerals of half a character): its first 2 right of the organ's
    assert dated.paragraph_format.right_indent.pt == 8


def test_the_letterhead_is_optional_and_off_by_default(client, county_with_figures):
    county, admin, scope = county_with_figures
    report = builder.draft_report(county["changgang"], 2024, actor=admin, unit_ids=scope)
    public = docx_text(render_docx(report))
    assert public[0] == report.title and "长冈乡人民政府文件" not in public
    document = Document(io.BytesIO(render_docx(report, letterhead=True)))
    mark = document.paragraphs[0]
    assert mark.text == "长冈乡人民政府文件"
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    assert 'w:color="FF0000"' in document.paragraphs[1]._p.xml  # the red separator line
    client.force_login(admin)
    response = client.get(reverse("reports:annual_docx", args=[report.pk]) + "?letterhead=1")
    assert docx_text(response.content)[0] == "长冈乡人民政府文件"
    # the analyzer reads the letterhead copy as the same report
    assert all(
        p["present"] or p["part"] == "other" for p in analyze_bytes(response.content, "r.docx")["parts"]
    )
