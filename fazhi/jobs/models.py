"""A run of background work as the user sees it: what runs, for which unit, how far it got, how it ended.

The task backend (django-tasks: the database queue or RQ) keeps its own record of the run; a Job is the
part a person reads, in Chinese, with the progress the task body reports and a link to what it produced.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


FINISHED_STATES = (JobState.DONE, JobState.FAILED)
# a running job with no progress for this long probably lost its worker (killed, machine restarted)
STALLED_AFTER = timedelta(minutes=10)


def _result_path(job: "Job", filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField("任务类型", max_length=200)  # the task's module path
    title = models.CharField("名称", max_length=200)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        related_name="jobs",
        null=True,
        blank=True,
        help_text="为空表示全系统的任务（如节假日安排变更后重新计算期限），只有系统管理员可见。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)  # unknown until the body says
    message = models.CharField("进度说明", max_length=300, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    result_url = models.CharField("结果页面", max_length=500, blank=True)
    result_file = models.FileField("结果文件", upload_to=_result_path, max_length=300, blank=True)
    error = models.TextField("失败原因", blank=True)  # Chinese, for the user; the traceback goes to the log
    task_id = models.CharField("队列中的编号", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # progress is written with a queryset update (no history row per step); the history keeps who
    # started the job and how each state change went
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "state"]), models.Index(fields=["created_by", "-created_at"])]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def stalled(self) -> bool:
        return self.state == JobState.RUNNING and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is unknown."""
        if not self.total:
            return 100 if self.state == JobState.DONE else None
        return min(100, self.done * 100 // self.total)
