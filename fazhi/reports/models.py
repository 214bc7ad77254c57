"""Reports a unit uploaded for analysis, kept with the text as read and the analyzer's result."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

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
