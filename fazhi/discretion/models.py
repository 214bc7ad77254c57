"""行政裁量权基准 and the 四张清单, as data a county maintains (issue 13 §8).

A county (or one of its departments) adopts 裁量基准 items and 清单 items; a case of the adopting unit or
of any unit below it may rely on them (《国务院办公厅关于进一步规范行政裁量权基准制定和管理工作的意见》
（国办发〔2022〕27号）: 行政裁量权基准由县级以上人民政府及其部门制定，下级单位适用上级制定的基准).
An item no longer applied is 废止 with its date, never deleted: the cases that relied on it keep it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.core.formats import cn_date
from fazhi.registers.models import RegisterItem, filled_in, not_before, status_field, valid_status


class ItemStatus(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    REPEALED = "repealed", "已废止"


class Tier(models.TextChoices):
    """情节: the tiers 裁量基准 commonly divide a violation into (国办发〔2022〕27号 第二部分)."""

    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class ListKind(models.TextChoices):
    """The 四张清单 of 包容审慎监管 (《行政处罚法》第三十二条、第三十三条; 《行政强制法》第十六条)."""

    NO_PENALTY = "no_penalty", "不予处罚"
    LIGHTER = "lighter", "从轻处罚"
    MITIGATED = "mitigated", "减轻处罚"
    NO_COERCION = "no_coercion", "不予实施行政强制措施"


class _Adopted(RegisterItem):
    """What a 裁量基准 item and a 清单 item share: adoption, 废止, and whether a case's unit may use it."""

    status = status_field(ItemStatus)
    adopted_on = models.DateField("施行日期")
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    repeal_reason = models.CharField("废止原因", max_length=200, blank=True)

    class Meta:
        abstract = True

    def in_force_on(self, on: date) -> bool:
        """Whether the item applied on ``on``: adopted by then and not yet repealed."""
        return self.adopted_on <= on and (self.repealed_on is None or self.repealed_on > on)

    def force_problem(self, on: date, label: str) -> str | None:
        """Why the item cannot be relied on for an act on ``on``, or None."""
        if self.adopted_on and on < self.adopted_on:
            return f"所选{label}“{self}”自{cn_date(self.adopted_on)}起施行，{cn_date(on)}尚未施行。"
        if self.repealed_on and on >= self.repealed_on:
            return f"所选{label}“{self}”已于{cn_date(self.repealed_on)}废止。"
        return None

    def _check_repeal(self) -> dict[str, str]:
        if self.repealed_on and self.adopted_on and self.repealed_on < self.adopted_on:
            return {"repealed_on": f"废止日期不能早于施行日期（{cn_date(self.adopted_on)}）。"}
        return {}


class DiscretionItem(_Adopted):
    """裁量基准 item: one tier (情节) of one violation, with its legal basis and the fine range of that
    tier in 元. Cases relying on it must keep a fine inside [fine_min, fine_max] unless 减轻处罚 applies
    (《行政处罚法》第三十二条); an item without a fine range (警告 only) admits no fine."""

    number = models.CharField("基准编号", max_length=40, help_text="本单位裁量基准表中的编号，如 SC-124-2")
    code = models.CharField("事项编码", max_length=40, help_text="权责清单中的行政处罚事项编码")
    violation = models.CharField("违法行为", max_length=300)
    violated_basis = models.CharField("违法依据", max_length=300)
    penalty_basis = models.CharField("处罚依据", max_length=300)
    tier = models.CharField("情节", max_length=10, choices=Tier.choices)
    circumstances = models.CharField("情节描述", max_length=300, blank=True)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    other_penalties = models.CharField("其他处罚种类", max_length=200, blank=True,
                                       help_text="警告、没收违法所得、责令停产停业等")  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "tier", "pk"]
        indexes = [models.Index(fields=["unit", "code"], name="discretion_item_code")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="discretion_number_unique_in_unit"),
            valid_status(ItemStatus, "discretion_status_valid"),
            models.CheckConstraint(condition=models.Q(tier__in=Tier.values), name="discretion_tier_valid"),
            # a fine range is both bounds or neither, with 0 ≤ 下限 ≤ 上限
            models.CheckConstraint(
                condition=models.Q(fine_min__isnull=True, fine_max__isnull=True)
                | models.Q(
                    fine_min__isnull=False,
                    fine_max__isnull=False,
                    fine_min__gte=0,
                    fine_max__gte=models.F("fine_min"),
                ),
                name="discretion_fine_range_valid",
            ),
            not_before("repealed_on", "adopted_on", "discretion_repealed_after_adopted"),
            filled_in([ItemStatus.REPEALED], ["repealed_on"], "discretion_repealed_has_date"),
        ]
        verbose_name = "裁量基准"
        verbose_name_plural = "行政裁量权基准"

    def __str__(self) -> str:
        return f"{self.violation}（{self.get_tier_display()}情节）"

    @property
    def has_fine(self) -> bool:
        return self.fine_min is not None and self.fine_max is not None

    @property
    def range_text(self) -> str:
        if not self.has_fine:
            return "不处罚款"
        return f"{yuan(self.fine_min)}元至{yuan(self.fine_max)}元"

    def clean(self):
        errors = self._check_repeal()
        if (self.fine_min is None) != (self.fine_max is None):
            name = "fine_max" if self.fine_max is None else "fine_min"
            errors[name] = "罚款下限和上限应同时填写（不处罚款的基准两项均不填）。"
        elif self.has_fine:
            if self.fine_min < 0:
                errors["fine_min"] = "罚款下限不能为负数。"
            elif self.fine_max < self.fine_min:
                errors["fine_max"] = (
                    f"罚款上限（{yuan(self.fine_max)}元）不能低于罚款下限（{yuan(self.fine_min)}元）。"
                )
        if errors:
            raise ValidationError(errors)


class ListItem(_Adopted):
    """An item of the 四张清单 (不予处罚、从轻处罚、减轻处罚、不予实施行政强制措施): the matter, the
    conditions under which it applies and its basis. A 首违不罚 decision names a 不予处罚清单 item; a
    fine below the 裁量基准's 下限 needs a 减轻处罚清单 item."""

    number = models.CharField("清单编号", max_length=40, help_text="本单位清单中的编号，如 BYCF-03")
    kind = models.CharField("清单类别", max_length=20, choices=ListKind.choices)
    matter = models.CharField("事项", max_length=300)
    conditions = models.TextField("适用条件")
    basis = models.CharField("依据", max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="list_item_number_unique_in_unit"),
            valid_status(ItemStatus, "list_item_status_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=ListKind.values), name="list_item_kind_valid"),
            not_before("repealed_on", "adopted_on", "list_item_repealed_after_adopted"),
            filled_in([ItemStatus.REPEALED], ["repealed_on"], "list_item_repealed_has_date"),
        ]
        verbose_name = "四张清单事项"
        verbose_name_plural = "四张清单"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}清单：{self.matter}"

    def clean(self):
        if errors := self._check_repeal():
            raise ValidationError(errors)


def yuan(amount) -> str:
    """An amount in 元 without needless decimals: 2000, 2000.5."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
