from django.db import models
from simple_history.models import HistoricalRecords


class RuleOverride(models.Model):
    """A local value for a national rule, in force for a unit's subtree (a province, city or county rule)."""

    rule_code = models.CharField("规则代码", max_length=80, db_index=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="适用单位（含下级）", on_delete=models.PROTECT, related_name="rule_overrides"
    )
    value = models.CharField("取值", max_length=20)
    measure = models.CharField("单位", max_length=10, blank=True, help_text="留空则沿用全国规则的单位")
    source = models.CharField("依据", max_length=300)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_code", "-valid_from"]
        verbose_name = "地方规则调整"
        verbose_name_plural = "地方规则调整"

    def __str__(self) -> str:
        return f"{self.rule_code} = {self.value}{self.measure}（{self.unit}）"
