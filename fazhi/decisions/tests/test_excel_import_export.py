"""Excel for the registers: the template, all-or-nothing import with a row-by-row report, export, CLI."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from fazhi.cli import main
from fazhi.decisions.models import LegalityReview
from fazhi.decisions.registers import LEGALITY_REVIEWS, NORMATIVE_DOCUMENTS
from fazhi.registers.excel import ImportFailed, export_bytes, import_workbook, template_bytes
from fazhi.registers.models import StatusChange
from fazhi.registers.selectors import items_in

pytestmark = pytest.mark.django_db

HEADERS = [
    "所属单位",
    "审查编号",
    "送审事项",
    "事项类型",
    "送审单位",
    "送审日期",
    "受理日期",
    "审查人员",
    "审查结论",
    "出具意见日期",
    "状态",
]


def workbook(*rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    [
        "长冈乡司法所",
        "长冈审〔2024〕1号",
        "关于农村建房管理的规范性文件送审稿",
        "规范性文件",
        "乡村建办",
        "2024-03-01",
        "2024-03-04",
        "李审查",
        "合法",
        "2024年3月12日",
        "已出具意见",
    ],
    [
        "C-T1S",
        "长冈审〔2024〕2号",
        "光伏项目招商引资协议",
        "行政协议",
        "乡经发办",
        datetime(2024, 5, 6),
        "",
        "",
        "",
        "",
        "",
    ],
]


def test_template_lists_columns_choices_and_notes():
    book = load_workbook(io.BytesIO(template_bytes(LEGALITY_REVIEWS)))
    sheet, notes = book["合法性审查"], book["填写说明"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["所属单位", "审查编号", "送审事项", "事项类型", "送审单位", "送审日期"]
    # 事项类型 (column D) offers its choices, listed on the hidden 选项 sheet
    [kinds] = [v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith("D")]
    column = kinds.formula1.split("!")[1].split(":")[0].strip("$").split("$")[0]
    offered = [c.value for c in book["选项"][column] if c.value]
    assert "重大行政决策" in offered and "规范性文件" in offered
    hints = {row[0].value: row[2].value for row in notes.iter_rows(min_row=2) if row[0].value}
    assert "重大行政决策、规范性文件、行政协议" in hints["事项类型"]
    assert hints["送审日期"].startswith("日期")


def test_good_rows_are_imported_with_their_status_and_audit(county, office_user, scope, reviewer):
    items = import_workbook(
        LEGALITY_REVIEWS, workbook(*GOOD), "台账.xlsx", actor=office_user, scope_ids=scope
    )
    first, second = sorted(items, key=lambda r: r.number)
    assert (first.status, first.opinion, first.opinion_on, first.reviewer) == (
        "issued",
        "lawful",
        date(2024, 3, 12),
        reviewer,
    )
    assert (second.status, second.submitted_on, second.unit) == (
        "submitted",
        date(2024, 5, 6),
        county["changgang_office"],
    )
    assert StatusChange.objects.filter(label="从台账.xlsx导入").count() == 2
    assert first.history.first().history_user == office_user


def test_bad_rows_are_all_reported_and_nothing_is_imported(office_user, scope, reviewer, new_review):
    new_review(number="长冈审〔2024〕7号")
    bad = [
        GOOD[0],
        ["河口镇", "长冈审〔2024〕3号", "事项", "行政协议", "乡经发办", "2024-05-06", "", "", "", "", ""],
        ["长冈乡司法所", "长冈审〔2024〕4号", "", "行政协议", "乡经发办", "2024/13/01", "", "", "", "", ""],
        [
            "长冈乡司法所",
            "长冈审〔2024〕5号",
            "事项",
            "行政许可",
            "乡经发办",
            "2024-05-06",
            "",
            "王五",
            "",
            "",
            "",
        ],
        ["长冈乡司法所", "长冈审〔2024〕1号", "重复", "其他", "乡经发办", "2024-05-06", "", "", "", "", ""],
        ["长冈乡司法所", "长冈审〔2024〕7号", "已有", "其他", "乡经发办", "2024-05-06", "", "", "", "", ""],
        [
            "长冈乡司法所",
            "长冈审〔2024〕8号",
            "结论缺失",
            "其他",
            "乡经发办",
            "2024-05-06",
            "",
            "",
            "",
            "2024-05-20",
            "",
        ],
    ]
    with pytest.raises(ImportFailed) as failed:
        import_workbook(LEGALITY_REVIEWS, workbook(*bad), "台账.xlsx", actor=office_user, scope_ids=scope)
    assert failed.value.messages == [
        "第3行「所属单位」：单位“河口镇”不存在或不在您的权限范围内",
        "第4行「送审事项」：必填，不能为空",
        "第4行「送审日期」：“2024/13/01”不是有效日期（应为 2024-03-01 或 2024年3月1日）",
        "第5行「事项类型」：“行政许可”不是可选值（重大行政决策、规范性文件、行政协议、重大执法决定、其他）",
        "第5行「审查人员」：人员“王五”不存在或不在您的权限范围内",
        "第6行：与第2行重复（审查编号相同）",
        "第7行「审查编号」：本单位已有审查编号“长冈审〔2024〕7号”的合法性审查，不能重复登记。",
        "第8行「审查结论」：已填写出具意见日期，请选择审查结论。",
    ]
    assert LegalityReview.objects.count() == 1  # only the one made before


def test_bad_files_and_headers(office_user, scope):
    with pytest.raises(ImportFailed, match="不是有效的 Excel"):
        import_workbook(LEGALITY_REVIEWS, b"not excel", "x.xlsx", actor=office_user, scope_ids=scope)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(
            LEGALITY_REVIEWS,
            workbook(["x"], headers=["所属单位", "编号"]),
            "x.xlsx",
            actor=office_user,
            scope_ids=scope,
        )
    assert "第1行：未知的列“编号”" in failed.value.messages
    assert "第1行：缺少必填列“审查编号”" in failed.value.messages
    with pytest.raises(ImportFailed, match="没有数据行"):
        import_workbook(LEGALITY_REVIEWS, workbook(), "x.xlsx", actor=office_user, scope_ids=scope)


def test_export_follows_filters_and_can_be_imported_again(county, office_user, scope, reviewer, new_review):
    import_workbook(LEGALITY_REVIEWS, workbook(*GOOD), "台账.xlsx", actor=office_user, scope_ids=scope)
    issued = items_in(LEGALITY_REVIEWS, scope).filter(status="issued")
    sheet = load_workbook(
        io.BytesIO(export_bytes(LEGALITY_REVIEWS, issued, title="长冈乡合法性审查台账"))
    ).active
    rows = list(sheet.values)
    assert rows[0][0] == "长冈乡合法性审查台账" and rows[1][0] == "序号"  # a title row, then the headers
    assert rows[1][-3:] == ("期限事项", "期满日", "期限状态")
    assert (
        len(rows) == 3 and rows[2][:3] == (1, "长冈乡司法所", "长冈审〔2024〕1号") and "已出具意见" in rows[2]
    )
    assert sheet.cell(3, 7).number_format == 'yyyy"年"m"月"d"日"'
    # an export is a valid import file: the same rows are now duplicates, nothing else is wrong
    with pytest.raises(ImportFailed) as failed:
        import_workbook(
            LEGALITY_REVIEWS,
            export_bytes(LEGALITY_REVIEWS, issued),
            "e.xlsx",
            actor=office_user,
            scope_ids=scope,
        )
    assert failed.value.messages == [
        "第3行「审查编号」：本单位已有审查编号“长冈审〔2024〕1号”的合法性审查，不能重复登记。"
    ]


def test_import_and_export_commands(tmp_path, county, office_user, reviewer, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook(*GOOD))
    assert main(["import", "legality-reviews", str(path), "--user", "changgang"]) == 0
    assert "已导入2条合法性审查" in capsys.readouterr().out
    assert main(["import", "legality-reviews", str(path), "--user", "changgang"]) == 2
    assert "第2行「审查编号」：本单位已有审查编号" in capsys.readouterr().err
    out = tmp_path / "out.xlsx"
    assert (
        main(["export", "legality-reviews", "--user", "changgang", "--unit", "C-T1S", "--out", str(out)]) == 0
    )
    assert len(list(load_workbook(out).active.values)) == 4  # title, headers, two rows
    assert main(["export", "normative-documents", "--user", "changgang", "--unit", "C-T2"]) == 2
    assert "不在用户changgang的权限范围内" in capsys.readouterr().err
    assert main(["export", "nope", "--user", "changgang"]) == 2
    assert NORMATIVE_DOCUMENTS.key in capsys.readouterr().err


def test_a_name_two_people_share_is_settled_by_the_rows_unit(county, office_user, scope, reviewer):
    from fazhi.org.tests.factories import PersonFactory

    PersonFactory(unit=county["hefu"], name="李审查")  # a namesake in a village of the same township
    [item] = import_workbook(
        LEGALITY_REVIEWS, workbook(GOOD[0]), "a.xlsx", actor=office_user, scope_ids=scope
    )
    assert item.reviewer == reviewer
    row = ["长冈乡", *GOOD[0][1:]]
    row[1] = "长冈审〔2024〕9号"
    with pytest.raises(ImportFailed) as failed:
        import_workbook(LEGALITY_REVIEWS, workbook(row), "b.xlsx", actor=office_user, scope_ids=scope)
    assert failed.value.messages == [
        "第2行「审查人员」：有2名在岗人员叫“李审查”，且都不在本行的所属单位，无法确定是哪一位"
    ]


def test_a_large_file_is_imported_by_the_worker_with_progress(
    django_capture_on_commit_callbacks, client, county, office_user, reviewer, settings, tmp_path
):
    """A file of hundreds of rows is imported in the background: the page follows the Job, which ends
    with a link to the register, or with every row's problem."""
    from django.urls import reverse

    from fazhi.jobs.models import Job, JobState
    from fazhi.jobs.testing import run_queued_tasks
    from fazhi.registers.tasks import IMPORT_INLINE_BYTES

    settings.MEDIA_ROOT = tmp_path
    client.force_login(office_user)
    rows = [[*GOOD[1][:1], f"长冈审〔2024〕{n}号", *GOOD[1][2:]] for n in range(1, 3001)]
    data = workbook(*rows)
    assert len(data) > IMPORT_INLINE_BYTES
    url = reverse("registers:import", args=["legality-reviews"])
    upload = io.BytesIO(data)
    upload.name = "大台账.xlsx"
    with django_capture_on_commit_callbacks(execute=True):  # queued once the request's work commits
        response = client.post(url, {"file": upload})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.state == JobState.QUEUED
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.message == "已导入3000条合法性审查。" and job.done == job.total
    assert LegalityReview.objects.count() == 3000
    upload = io.BytesIO(data)  # the same file again: every row is a duplicate, nothing is written
    upload.name = "大台账.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"file": upload})
    run_queued_tasks()
    failed = Job.objects.latest("pk")
    assert failed.state == JobState.FAILED and "未导入（3000处问题" in failed.error
    assert "第2行「审查编号」：本单位已有审查编号" in failed.error and "另有2800处问题" in failed.error
    assert LegalityReview.objects.count() == 3000
