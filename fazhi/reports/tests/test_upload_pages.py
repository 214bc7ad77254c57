"""The analyzer in the browser: upload several reports, compare them, read one with its figures marked."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.audit import audit_trail
from fazhi.jobs.models import Job, JobState
from fazhi.jobs.testing import run_queued_tasks
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.reports.models import AnalysisBatch, AnalyzedReport

from .test_analyze_cli import REPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks, settings, tmp_path):
    """Post the files, then let the worker analyze them (the upload is a background job)."""
    settings.MEDIA_ROOT = tmp_path

    def post(*files, name=""):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:analysis_list"), {"files": list(files), "name": name})
        run_queued_tasks()
        return response

    return post


def _txt(name: str, text: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")


@pytest.fixture
def staff(county):
    return UserFactory(unit=county["county"], role=UserRole.OPERATOR, username="yfzx")


def test_upload_compare_and_read_a_report(client, county, staff, upload):
    client.force_login(staff)
    other = (
        REPORT.replace("长冈乡", "河口镇")
        .replace("调解成功118件", "调解成功110件")
        .replace("二、存在的不足和原因", "二、其他工作")
    )
    response = upload(_txt("长冈乡.txt", REPORT), _txt("河口镇.txt", other, "gb18030"))
    batch, job = AnalysisBatch.objects.get(), Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.state == JobState.DONE and (job.done, job.total) == (2, 2) and job.message == "已分析2份报告。"
    assert job.result_url == reverse("reports:batch_detail", args=[batch.pk])
    assert f'href="{job.result_url}"' in client.get(response["Location"]).content.decode()
    assert batch.name == "2024年度法治政府建设报告2份" and batch.unit == county["county"]
    assert [h.history_user for h in batch.history.all()] == [staff]

    page = client.get(job.result_url).content.decode()
    assert "长冈乡（乡镇）" in page and "河口镇（乡镇）" in page
    assert page.count('class="badge text-bg-warning me-1">不足和原因<') == 1  # 河口镇 lacks the part
    assert "✗ 分项之和 5件 + 4件 + 6件 = 15，大于总数12件" in page
    assert ">调解成功数</th>" in page and ">118<" in page and ">110 <" in page
    assert "✗ 调解成功率：110件 ÷ 120件 = 91.7%，报告写“98.3%”" in page

    book = load_workbook(BytesIO(client.get(reverse("reports:batch_table", args=[batch.pk])).content))
    rows = list(book.active.values)
    assert rows[1] == ("领域", "指标", "单位", "长冈乡", "河口镇")  # indicators down, reports across
    assert ("矛盾纠纷与公共法律服务", "调解成功数", "件", 118, 110) in rows

    report = AnalyzedReport.objects.get(file_name="河口镇.txt")
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert '<mark id="f' in page and 'class="fact-failed"' in page
    assert "✗ 缺少：上一年度推进法治政府建设存在的不足和原因" in page
    assert "未单列：其他需要报告的情况" in page
    assert "化解矛盾纠纷" in page  # the text is shown as read


def test_one_bad_file_rejects_the_whole_upload(client, county, staff, upload, tmp_path):
    client.force_login(staff)
    response = upload(
        _txt("好.txt", REPORT),
        SimpleUploadedFile("坏.docx", b"not a docx"),
        SimpleUploadedFile("表.xls", b"\xd0\xcf\x11\xe0"),
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert job.state == JobState.FAILED and "失败" in page
    assert "坏.docx：文件已损坏" in page and "不支持的文件类型“.xls”" in page
    assert "本次上传未保存任何报告" in page
    assert not AnalysisBatch.objects.exists() and not AnalyzedReport.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the staged files are gone too


def test_oversized_files_are_refused_before_reading(client, county, staff, upload, monkeypatch):
    monkeypatch.setattr("fazhi.reports.forms.MAX_BYTES", 100)
    client.force_login(staff)
    page = upload(_txt("大.txt", REPORT)).content.decode()
    assert "文件过大" in page and "大.txt" in page
    assert not AnalysisBatch.objects.exists()


def test_scoping_read_only_users_and_deletion(client, county, staff, upload):
    township = UserFactory(unit=county["hekou"], role=UserRole.UNIT_ADMIN)
    client.force_login(township)
    upload(_txt("河口镇.txt", REPORT.replace("长冈乡", "河口镇")))
    batch = AnalysisBatch.objects.get()
    report = batch.reports.get()

    neighbour = UserFactory(unit=county["changgang"], role=UserRole.UNIT_ADMIN)
    client.force_login(neighbour)
    assert "河口镇.txt" not in client.get(reverse("reports:analysis_list")).content.decode()
    assert client.get(reverse("reports:batch_detail", args=[batch.pk])).status_code == 403
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 403
    assert client.post(reverse("reports:batch_delete", args=[batch.pk])).status_code == 403

    viewer = UserFactory(unit=county["county"], role=UserRole.VIEWER)
    client.force_login(viewer)
    assert batch.name in client.get(reverse("reports:analysis_list")).content.decode()  # the county sees it
    assert upload(_txt("x.txt", REPORT)).status_code == 403
    assert client.post(reverse("reports:batch_delete", args=[batch.pk])).status_code == 403

    client.force_login(staff)
    assert client.post(reverse("reports:batch_delete", args=[batch.pk])).status_code == 302
    assert not AnalysisBatch.objects.exists() and not AnalyzedReport.objects.exists()
    assert [(e.action, e.user) for e in audit_trail(batch)] == [("删除", str(staff)), ("新建", str(township))]


def test_a_report_of_a_unit_in_fazhi_is_checked_against_its_registers(client, county, staff, upload):
    from datetime import date

    from fazhi.decisions.models import LegalityReview

    for n in range(2):
        LegalityReview.objects.create(
            unit=county["changgang_office"],
            number=f"R{n}",
            title="t",
            kind="other",
            submitter="s",
            submitted_on=date(2024, 3, 1),
            status="issued",
            opinion="lawful",
            opinion_on=date(2024, 3, 8),
        )
    client.force_login(staff)
    text = REPORT.replace("（二）行政复议。", "（二）合法性审查。全年完成合法性审查3件。（三）行政复议。")
    upload(_txt("长冈乡.txt", text))
    report = AnalyzedReport.objects.get()
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "与台账核对（长冈乡 2024年）" in page
    row = page[page.index("合法性审查件数</td>") :][:300]
    assert ">3<" in row and ">2<" in row and "不一致" in row
