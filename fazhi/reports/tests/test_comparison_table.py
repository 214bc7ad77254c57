"""The comparison table of a batch (issue 11 §9): indicators down and reports across on the page and in the
XLSX alike, figures as numbers, approximate and wrong figures marked, the header frozen."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.indicators.catalogue import indicators
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.reports import services
from fazhi.reports.analyzer.analyze import analyze_text
from fazhi.reports.analyzer.table import comparison_table, table_rows, table_source, write_table_bytes

SEEDS = sorted((Path(__file__).resolve().parents[3].parent / "shared" / "seeds").glob("*.txt"))

# A township's report as they are written (the wording of the seeds: 9500余份, 近50场, 98.3%)
CHANGGANG = """青山县长冈乡人民政府关于2024年度法治政府建设情况的报告

一、2024年度推进法治政府建设的主要举措和成效
（一）加强党对法治政府建设的领导。乡党委理论学习中心组开展集体学法12次，研究法治建设工作4次。
（二）推进依法科学民主决策。全年对乡政府签订的合同、协议进行合法性审查42件，出具法律意见45份。
（三）深化普法宣传教育。开展“宪法宣传周”“民法典宣传月”等普法宣传活动近50场，散发宣传材料9500余份、悬挂横幅26条。
（四）化解矛盾纠纷。全年共调解矛盾纠纷120件，调解成功118件，调解成功率98.3%。
二、存在的不足和原因
一是普法宣传形式较为单一；二是执法人员法律素养有待提高。
三、党政主要负责人履行推进法治建设第一责任人职责情况
乡党委书记、乡长带头学法，主持召开专题会议研究法治建设工作。
四、2025年工作安排
继续深入学习贯彻习近平法治思想，推进法治政府建设。
"""
# its neighbour: 约6000份, and a success rate its own figures do not give (110 ÷ 120 is 91.7%, not 98.3%)
HEKOU = (
    CHANGGANG.replace("长冈乡", "河口镇")
    .replace("散发宣传材料9500余份", "发放宣传资料约6000份")
    .replace("调解成功118件", "调解成功110件")
    .replace("集体学法12次", "集体学法10次")
)


def _row(table, indicator_id):
    return next(r for r in table.rows if r.indicator.id == indicator_id)


def test_one_row_per_indicator_in_catalogue_order_and_one_column_per_report():
    results = [analyze_text(CHANGGANG, "报告/长冈乡.txt"), analyze_text(HEKOU, "河口镇.docx")]
    table = comparison_table(results)
    assert table.header == ["领域", "指标", "单位", "长冈乡", "河口镇"]
    order = list(indicators())
    ids = [r.indicator.id for r in table.rows]
    assert ids == sorted(ids, key=order.index) and len(ids) == 10
    assert [area for area, _ in table.by_area()] == [
        "党的领导与学法",
        "依法决策与规范性文件",
        "矛盾纠纷与公共法律服务",
        "普法",
    ]

    materials = _row(table, "publicity_materials").figures
    assert [(f.value, f.approx, f.text) for f in materials] == [
        (9500, True, "约9500"),
        (6000, True, "约6000"),
    ]
    assert materials[0].note == "报告原文：散发宣传材料9500余份、悬挂横幅26条"
    assert materials[0].number_format == '"约"#,##0'
    rate = _row(table, "mediation_success_rate").figures
    assert (rate[0].value, rate[0].number_format, rate[0].failed) == (98.3, "#,##0.0", ())
    assert rate[1].failed and "110件 ÷ 120件 = 91.7%" in rate[1].note
    assert [f.failed == () for f in _row(table, "mediation_success").figures] == [True, False]

    # the CLI keeps only each result's table_source; the table it makes is the same
    assert comparison_table([table_source(r) for r in results]) == table
    assert table_rows(table)[-2] == ["普法", "发放宣传资料份数", "份", "约9500", "约6000"]


def test_reports_of_one_unit_and_unreadable_files_get_their_own_columns():
    last_year = CHANGGANG.replace("2024年度", "2023年度").replace("2025年工作安排", "2024年工作安排")
    results = [
        analyze_text(last_year, "长冈乡2023.txt"),
        analyze_text(CHANGGANG, "长冈乡2024.txt"),
        {"file": "=HYPERLINK(1).docx", "error": "=HYPERLINK(1).docx：文件已损坏"},
    ]
    table = comparison_table(results)
    assert table.header[3:] == ["长冈乡（2023）", "长冈乡（2024）", "=HYPERLINK(1)"]
    assert comparison_table(results[1:] * 2).header[3:] == [
        "长冈乡（1）",
        "=HYPERLINK(1)（1）",
        "长冈乡（2）",
        "=HYPERLINK(1)（2）",
    ]
    assert table.reports[2].note == "=HYPERLINK(1).docx：文件已损坏"
    assert all(r.figures[2] is None for r in table.rows)
    sheet = load_workbook(BytesIO(write_table_bytes(table))).active
    assert sheet["F2"].value == "=HYPERLINK(1)" and sheet["F2"].data_type == "s"  # text, not a formula


@pytest.fixture
def batch(county):
    staff = UserFactory(unit=county["county"], role=UserRole.OPERATOR)
    uploads = [
        services.Upload("长冈乡.txt", CHANGGANG.encode()),
        services.Upload("河口镇.txt", HEKOU.encode("gb18030")),
    ]
    return services.analyze_upload(
        uploads, unit=county["county"], actor=staff, name="2024年度乡镇报告"
    ), staff


@pytest.mark.django_db
def test_the_xlsx_is_laid_out_as_the_page_with_numbers_comments_and_a_frozen_header(client, batch):
    batch, staff = batch
    client.force_login(staff)
    page = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    book = load_workbook(BytesIO(client.get(reverse("reports:batch_table", args=[batch.pk])).content))
    sheet = book["报告指标对照"]

    assert sheet["A1"].value.startswith("2024年度乡镇报告·指标对照（") and "A1" in sheet.merged_cells
    assert [c.value for c in sheet[2]] == ["领域", "指标", "单位", "长冈乡", "河口镇"]
    assert sheet.freeze_panes == "D3"  # the header row and 领域/指标/单位 stay in view
    assert sheet.print_title_rows == "$2:$2"
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=3)}
    # the page shows the same rows in the same order, and the same columns
    page_rows = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>', page)
    assert page_rows == list(rows) and len(page_rows) == 10
    page_columns = re.findall(r'<th scope="col"[^>]*><a [^>]*>([^<]+)</a></th>', page)
    assert page_columns == ["长冈乡", "河口镇"]

    figures = [c for r in rows.values() for c in r[3:] if c.value is not None]
    assert len(figures) == 20 and all(c.data_type == "n" for c in figures)
    assert all(isinstance(c.value, int) for c in figures if c.row != rows["调解成功率"][0].row)
    rate = rows["调解成功率"]
    assert (rate[2].value, rate[3].value, rate[3].number_format) == ("%", 98.3, "#,##0.0")

    materials = rows["发放宣传资料份数"]
    assert [c.value for c in materials[3:]] == [9500, 6000]
    assert materials[3].number_format == '"约"#,##0'  # shown as 约9,500, summed as 9500
    assert materials[3].comment.text == "报告原文：散发宣传材料9500余份、悬挂横幅26条"
    assert materials[4].comment.text == "报告原文：发放宣传资料约6000份、悬挂横幅26条"
    assert rows["悬挂横幅条数"][3].comment is None

    wrong = rows["调解成功数"][4]
    assert wrong.value == 110 and wrong.fill.fgColor.rgb.endswith("F8C9C9")
    assert "核对未通过：调解成功率：110件 ÷ 120件 = 91.7%" in wrong.comment.text
    assert rows["调解成功数"][3].fill.fill_type is None
    assert "文件：河口镇.txt" in sheet["E2"].comment.text

    reports = list(book["报告"].values)
    assert reports[1][:6] == ("列名", "文件", "单位", "层级", "年度", "未通过核对")
    assert [r[:5] for r in reports[2:]] == [
        ("长冈乡", "长冈乡.txt", "长冈乡", "乡镇", 2024),
        ("河口镇", "河口镇.txt", "河口镇", "乡镇", 2024),
    ]

    # on the page: the approximate figure marked with the report's words, the wrong one flagged
    assert '<abbr title="报告原文：散发宣传材料9500余份、悬挂横幅26条">约9500</abbr>' in page
    assert 'class="text-end text-nowrap table-danger" title="核对未通过：调解成功率：110件' in page
    assert (
        page.index(">普法宣传活动场次<")
        > page.index(">矛盾纠纷与公共法律服务<")
        > page.index(">党的领导与学法<")
    )


@pytest.mark.skipif(not SEEDS, reason="shared/seeds is not beside the checkout")
def test_the_seeds_compare_in_a_narrow_sheet():
    table = comparison_table([analyze_text(p.read_text(encoding="utf-8"), p.name) for p in SEEDS])
    assert table.header[3:] == ["长冈乡", "昭平台库区乡", "古丈县司法局", "湖滨新区", "岳麓区"]
    sheet = load_workbook(BytesIO(write_table_bytes(table))).active
    assert sheet.max_column == 8 and sheet.max_row == len(table.rows) + 2
    materials = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == "发放宣传资料份数")
    assert materials[3].value == 9500 and materials[3].data_type == "n"
    assert "9500余份" in materials[3].comment.text
    assert all(c.data_type == "n" for r in sheet.iter_rows(min_row=3, min_col=4) for c in r)
