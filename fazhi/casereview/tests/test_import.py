"""An Excel import of reviews scores each file from its findings sheet as the form does, and refuses a
finding of another county's rubric by row and column, importing nothing."""

import io

import pytest
from openpyxl import load_workbook

from fazhi.casereview.models import CaseFileReview, Grade, RubricItem
from fazhi.casereview.registers import CASE_FILE_REVIEWS
from fazhi.org.tests.factories import UnitFactory
from fazhi.registers import excel

pytestmark = pytest.mark.django_db


def workbook(rows, findings) -> bytes:
    book = load_workbook(io.BytesIO(excel.template_bytes(CASE_FILE_REVIEWS)))
    heads = [c.value for c in book.worksheets[0][1]]
    for row in rows:
        book.worksheets[0].append([row.get(h, "") for h in heads])
    for finding in findings:
        book["评查发现问题"].append(finding)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(number):
    return {
        "被评查单位": "长冈乡司法所", "评查编号": number, "评查机关": "青山县司法局",
        "案卷名称及文号": "超限运输案", "评查日期": "2024-05-20", "状态": "评查中",
    }  # fmt: skip


def test_imported_reviews_are_scored_from_their_findings(county, county_user, scope):
    data = workbook(
        [row("导1"), row("导2"), row("导3")],
        [["导1", 3, "违法所得仅有当事人陈述"], ["导2", 12, "询问时仅一人"], ["导2", 14, "未告知听证权"]],
    )
    excel.import_workbook(CASE_FILE_REVIEWS, data, "评查.xlsx", actor=county_user, scope_ids=scope)
    got = {r.number: (r.score, r.grade, r.vetoed) for r in CaseFileReview.objects.all()}
    assert got["导1"][1:] == (Grade.FAIL, True)
    assert got["导2"] == (92, Grade.EXCELLENT, False)
    assert got["导3"] == (100, Grade.EXCELLENT, False)


def test_a_finding_of_another_countys_rubric_is_refused_by_row(county, county_user, scope):
    RubricItem.objects.create(
        unit=UnitFactory(code="Y", name="白水县"), number=150, category="x", text="x", points=2
    )
    data = workbook([row("导1")], [["导1", 150, "未录入办案系统"]])
    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(CASE_FILE_REVIEWS, data, "评查.xlsx", actor=county_user, scope_ids=scope)
    assert any("评查发现问题第2行「评查项目序号」" in m and "白水县" in m for m in exc.value.messages)
    assert not CaseFileReview.objects.exists()
