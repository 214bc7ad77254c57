"""Reports a unit uploaded for analysis, kept with the text as read and the analyzer's result."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.registers.models import RegisterItem, not_before, status_field, valid_status

from .analyzer.structure import OPTIONAL_PARTS, PART_SHORT_NAMES


class AnalysisBatch(models.Model):
    """One upload of one or many reports (e.g. the 乡镇 reports a 依法治县办 received for a year)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="analysis_batches"
    )
    name = models.CharField("名称", max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "报告分析批次"
        verbose_name_plural = "报告分析批次"

    def __str__(self) -> str:
        return self.name


class AnalyzedReport(models.Model):
    batch = models.ForeignKey(AnalysisBatch, on_delete=models.CASCADE, related_name="reports")
    file_name = models.CharField("文件名", max_length=255)
    file_size = models.PositiveIntegerField("文件大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField("读取的文本")  # the offsets in ``result`` point into this text
    result = models.JSONField("分析结果")  # the design.md §8 object

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = "已分析报告"
        verbose_name_plural = "已分析报告"

    def __str__(self) -> str:
        return self.file_name

    @property
    def failed_checks(self) -> list[dict]:
        return [c for c in self.result["checks"] if not c["ok"]]

    @property
    def missing_parts(self) -> list[str]:
        """Short names of the required parts the report lacks."""
        return [
            PART_SHORT_NAMES[p["part"]]
            for p in self.result["parts"]
            if not p["present"] and p["part"] not in OPTIONAL_PARTS
        ]


class ReportStatus(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    REVIEWING = "reviewing", "审核中"
    SUBMITTED = "submitted", "已报送"
    PUBLISHED = "published", "已公开"


class AnnualReport(RegisterItem):
    """A unit's 法治政府建设情况报告 for a year: drafted from the registers, edited, rendered as a 公文,
    submitted and published (《法治政府建设与责任落实督察工作规定》第二十四、二十五条)."""

    status = status_field(ReportStatus)
    year = models.PositiveSmallIntegerField("报告年度")
    title = models.CharField("标题", max_length=200)
    signatory = models.CharField("落款单位", max_length=100)
    signed_on = models.DateField("成文日期", null=True, blank=True)
    reviewed_on = models.DateField("审核通过日期", null=True, blank=True)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    public_url = models.URLField("公开网址", blank=True)
    differences_explained = models.TextField(
        "与台账差异说明", blank=True, help_text="报告中的数字与台账不一致时，逐项说明原因"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_annual_report_per_unit_year"),
            valid_status(ReportStatus, "annual_report_status_valid"),
            not_before("published_on", "submitted_on", "annual_report_published_after_submitted"),
        ]
        verbose_name = "年度法治政府建设情况报告"
        verbose_name_plural = "年度法治政府建设情况报告"

    def __str__(self) -> str:
        return self.title


class ReportPart(models.Model):
    """One of the five required parts: its heading, the figures drafted from the registers (regenerated on
    request) and the text the user writes (never overwritten by a regeneration)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="parts")
    part = models.CharField("部分", max_length=20)
    order = models.PositiveSmallIntegerField("顺序")
    heading = models.CharField("标题", max_length=200)
    figures = models.TextField("台账数据", blank=True)
    text = models.TextField("正文", blank=True)
    # bumped by every save of the heading or text: a save read at an older revision is refused
    revision = models.PositiveIntegerField("修订号", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]
        constraints = [models.UniqueConstraint(fields=["report", "part"], name="one_part_per_report")]
        verbose_name = "报告部分"
        verbose_name_plural = "报告部分"

    def __str__(self) -> str:
        return self.heading


class ReportVersion(models.Model):
    """A saved state of a report's text, to go back to or compare."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    content = models.JSONField("内容")  # [{"part", "heading", "figures", "text"}]
    note = models.CharField("说明", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="保存人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")]
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"

    def __str__(self) -> str:
        return f"第{self.number}版"
