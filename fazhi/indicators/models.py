"""Figures a unit enters by hand for indicators no register counts, and the version of register data
that keys the indicator cache."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ManualValue(models.Model):
    """A unit's own figure for one indicator and year (e.g. 法治宣传活动场次 before its register exists)."""

    indicator = models.CharField("指标", max_length=60)
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    numerator = models.PositiveIntegerField("分子", null=True, blank=True)
    denominator = models.PositiveIntegerField("分母", null=True, blank=True)
    note = models.CharField("来源说明", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("填报时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"], name="one_manual_value_per_unit_year"
            )
        ]
        verbose_name = "指标填报值"
        verbose_name_plural = "指标填报值"

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.value}"


class DataVersion(models.Model):
    """One row whose counter goes up whenever register data changes; cached figures carry it."""

    counter = models.PositiveBigIntegerField(default=0)
    figures_ready = models.BooleanField(default=False)  # UnitFigures has been built and is kept up to date
    # {indicator id: fingerprint of its definition} as of the last rebuild: a changed one is stale
    figures_fingerprint = models.JSONField(default=dict)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return str(self.counter)


class UnitFigures(models.Model):
    """A unit's register figures for a year: its own rows (``own``) and its whole subtree's (``total``),
    one number per formula part. Kept up to date on every register write, so the engine reads a row per
    unit instead of scanning the registers."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    own = models.JSONField(default=dict)
    total = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="one_figures_row_per_unit_year")]
        verbose_name = "单位年度指标汇总"
        verbose_name_plural = "单位年度指标汇总"

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"
