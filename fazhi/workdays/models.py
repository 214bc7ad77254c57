from django.db import models
from simple_history.models import HistoricalRecords


class WorkdaySchedule(models.Model):
    """A year's holiday schedule loaded by an administrator (it takes precedence over the package's)."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=300)
    holidays = models.JSONField("放假日期", default=list)
    makeup_workdays = models.JSONField("调休上班日期", default=list)
    loaded_at = models.DateTimeField("载入时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"
