"""The annual report's PDF as a job, and LibreOffice conversions side by side."""

import io
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse
from docx import Document

from fazhi.jobs.models import Job, JobState
from fazhi.jobs.testing import run_queued_tasks
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.reports import builder
from fazhi.reports.pdf import PdfUnavailable, docx_to_pdf

needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")


@pytest.fixture
def report_and_user(county, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(unit=county["hekou"], role=UserRole.UNIT_ADMIN)
    report = builder.draft_report(county["hekou"], 2024, actor=user, unit_ids=subtree_ids(county["hekou"]))
    return report, user


def _start_pdf(client, report, capture):
    url = reverse("reports:annual_pdf", args=[report.pk])
    assert "生成 PDF" in client.get(url).content.decode()  # a GET only offers it
    assert not Job.objects.exists()
    with capture(execute=True):
        response = client.post(url)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.unit == report.unit and job.title == f"生成 PDF：{report.title}"
    run_queued_tasks()
    job.refresh_from_db()
    return job


@needs_libreoffice
@pytest.mark.django_db
def test_the_annual_report_pdf_is_rendered_by_the_worker(
    client, county, report_and_user, django_capture_on_commit_callbacks
):
    report, user = report_and_user
    client.force_login(user)
    job = _start_pdf(client, report, django_capture_on_commit_callbacks)
    assert job.state == JobState.DONE and (job.done, job.total) == (2, 2) and job.message == "PDF 已生成。"
    assert job.result_url == reverse("jobs:download", args=[job.pk])
    assert "下载文件" in client.get(job.get_absolute_url()).content.decode()
    pdf = client.get(job.result_url)
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    client.force_login(UserFactory(unit=county["changgang"], role=UserRole.UNIT_ADMIN))
    assert client.get(job.result_url).status_code == 403


@pytest.mark.django_db
def test_a_failed_conversion_fails_the_job_with_its_message(
    client, report_and_user, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(data, name):
        raise PdfUnavailable("LibreOffice 生成 PDF失败：没有生成文件")

    monkeypatch.setattr("fazhi.reports.pdf.libreoffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr("fazhi.reports.tasks.docx_to_pdf", broken)
    report, user = report_and_user
    client.force_login(user)
    job = _start_pdf(client, report, django_capture_on_commit_callbacks)
    assert job.state == JobState.FAILED and job.error == "LibreOffice 生成 PDF失败：没有生成文件"
    assert not job.result_file


@needs_libreoffice
def test_conversions_run_side_by_side():
    """Each conversion has its own LibreOffice profile: several at once all succeed."""

    def docx(n: int) -> bytes:
        document = Document()
        document.add_paragraph(f"第{n}份")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    with ThreadPoolExecutor(max_workers=3) as pool:
        pdfs = list(pool.map(lambda n: docx_to_pdf(docx(n)), range(3)))
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
