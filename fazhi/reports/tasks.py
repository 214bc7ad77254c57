"""Background work of the reports: analyzing an uploaded batch, rendering the annual report as PDF."""

from __future__ import annotations

from django.urls import reverse

from fazhi.jobs import files as staged
from fazhi.jobs.models import Job
from fazhi.jobs.services import JobFailed, finish, job_task, progress
from fazhi.org.selectors import assert_unit_in_scope, visible_unit_ids

from . import services
from .docx_render import render_docx
from .models import AnnualReport
from .pdf import PdfUnavailable, docx_to_pdf


@job_task
def analyze_batch(job: Job, *, name: str, files: list[list[str]]) -> None:
    """Analyze the staged files ([stored path, original name], from ``services.analyze_upload_later``)
    as one batch of the Job's unit: all of them are saved, or none (the Job fails with every file's
    problem)."""
    try:
        if job.unit is None or job.created_by is None:
            raise JobFailed("报告分析须由某单位的用户发起。")
        uploads = [services.Upload(original, staged.read(path)) for path, original in files]
        progress(job, 0, len(uploads), "正在读取报告")
        batch = services.analyze_upload(
            uploads,
            unit=job.unit,
            actor=job.created_by,
            name=name,
            on_file=lambda done, total, file: progress(job, done, total, f"已分析：{file}"),
        )
    finally:
        staged.discard(path for path, _ in files)
    finish(
        job,
        f"已分析{len(uploads)}份报告。",
        result={"batch": batch.pk},
        result_url=reverse("reports:batch_detail", args=[batch.pk]),
    )


@job_task
def render_pdf(job: Job, *, report_id: int) -> None:
    """The annual report as a GB/T 9704 公文 in PDF (DOCX rendered, then converted by LibreOffice)."""
    report = AnnualReport.objects.select_related("unit").filter(pk=report_id).first()
    if report is None:
        raise JobFailed("该年度报告已不存在。")
    if job.created_by is not None:
        assert_unit_in_scope(visible_unit_ids(job.created_by), report.unit_id)
    progress(job, 0, 2, "正在生成公文 DOCX")
    docx = render_docx(report)
    progress(job, 1, 2, "正在用 LibreOffice 转换为 PDF")
    try:
        pdf = docx_to_pdf(docx, f"report-{report.pk}")
    except PdfUnavailable as exc:
        raise JobFailed(str(exc)) from exc
    finish(job, "PDF 已生成。", file=(f"{report.title}.pdf", pdf))
