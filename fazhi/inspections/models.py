"""双随机、一公开: the 检查对象名录库, the 执法检查人员名录库 with their 回避 conflicts (registers), and the
抽查计划 whose draw anyone can re-derive from its published pool hashes and seed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.org.masking import is_valid_id_number
from fazhi.registers.models import RegisterItem, not_before, status_field, valid_status


class ObjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "个体工商户"
    OTHER = "other", "其他组织"
    PERSON = "person", "自然人"  # its name is personal data: published as 张* only


class RiskLevel(models.TextChoices):
    """信用风险分类 (国发〔2019〕5号): the higher the risk, the higher the ratio and frequency."""

    LOW = "A", "低风险（A类）"
    ORDINARY = "B", "一般风险（B类）"
    HIGHER = "C", "较高风险（C类）"
    HIGH = "D", "高风险（D类）"


class ListingStatus(models.TextChoices):
    LISTED = "listed", "在库"
    REMOVED = "removed", "已移出"


class InspectionObject(RegisterItem):
    """An entry of the 检查对象名录库; its owning unit is the unit that supervises it."""

    status = status_field(ListingStatus)
    name = models.CharField("对象名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    kind = models.CharField("对象类型", max_length=20, choices=ObjectKind.choices)
    industry = models.CharField("行业", max_length=60)
    region = models.CharField("区域", max_length=60)
    risk = models.CharField("风险等级", max_length=1, choices=RiskLevel.choices)
    listed_on = models.DateField("入库日期")
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.CharField("移出理由", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["credit_code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "credit_code"], name="inspection_object_unique_in_unit"),
            valid_status(ListingStatus, "inspection_object_status_valid"),
            not_before("removed_on", "listed_on", "inspection_object_removed_after_listed"),
        ]
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象"

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"

    def clean(self):
        errors = {}
        for name in ("credit_code", "industry", "region"):
            value = getattr(self, name) or ""
            if any(c in value for c in "\t\n\r|"):
                errors[name] = "不能含有制表符、换行或“|”。"
        if self.kind == ObjectKind.PERSON and is_valid_id_number(self.credit_code or ""):
            # the codes of the 名录 are published (the frozen pool file and the results)
            errors["credit_code"] = "自然人不能以身份证号码登记：检查对象名录和抽查结果中的代码是公开的。"
        if self.removed_on and self.listed_on and self.removed_on < self.listed_on:
            errors["removed_on"] = "移出日期不能早于入库日期。"
        if errors:
            raise ValidationError(errors)


class Inspector(RegisterItem):
    """An entry of the 执法检查人员名录库: a person of the unit with a 执法证 (行政处罚法第四十二条)."""

    status = status_field(ListingStatus)
    certificate = models.CharField("执法证号", max_length=40)
    person = models.ForeignKey(
        "org.Person", verbose_name="执法检查人员", on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField("执法领域", max_length=60)
    listed_on = models.DateField("入库日期")
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.CharField("移出理由", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["certificate", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "certificate"], name="inspector_unique_in_unit"),
            valid_status(ListingStatus, "inspector_status_valid"),
            not_before("removed_on", "listed_on", "inspector_removed_after_listed"),
        ]
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员"

    def __str__(self) -> str:
        return self.certificate

    def clean(self):
        errors = {}
        if any(c in (self.certificate or "") for c in "\t\n\r|"):
            errors["certificate"] = "不能含有制表符、换行或“|”。"
        if self.removed_on and self.listed_on and self.removed_on < self.listed_on:
            errors["removed_on"] = "移出日期不能早于入库日期。"
        if errors:
            raise ValidationError(errors)


class Conflict(models.Model):
    """回避 (行政处罚法第四十三条): the inspector has an interest in the object and is never assigned to it.
    Keyed by the object's 统一社会信用代码, so it holds for the object in whichever unit's 名录 it is."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="conflicts")
    credit_code = models.CharField("回避对象统一社会信用代码", max_length=18)
    reason = models.CharField("回避事由", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspector", "credit_code", "pk"]
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"

    def __str__(self) -> str:
        return f"{self.inspector} 回避 {self.credit_code}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "起草"
    FROZEN = "frozen", "名录冻结"
    SEED_ANNOUNCED = "seed_announced", "公布种子来源"
    DRAWN = "drawn", "已抽取"
    RESULTS = "results", "结果录入"
    PUBLISHED = "published", "已公示"


class InspectionPlan(models.Model):
    """抽查计划: what is inspected, among which objects, how many, by how many inspectors each; its pools
    frozen and hashed, the seed's source announced before the seed is known, then the draw."""

    unit = models.ForeignKey("org.Unit", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("抽查事项", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # which objects and inspectors (blank: all of the unit's subtree)
    filter_industry = models.CharField("对象行业", max_length=60, blank=True)
    filter_region = models.CharField("对象区域", max_length=60, blank=True)
    filter_risk = models.CharField("对象风险等级", max_length=1, choices=RiskLevel.choices, blank=True)
    inspector_field = models.CharField("检查人员执法领域", max_length=60, blank=True)
    # how many
    count = models.PositiveIntegerField("抽取户数", null=True, blank=True)
    percent = models.DecimalField("抽取比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    by_industry = models.BooleanField("按行业分层", default=False)
    by_region = models.BooleanField("按区域分层", default=False)
    by_risk = models.BooleanField("按风险等级分层", default=False)
    inspectors_per_object = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    # the steps
    drafted_on = models.DateField("起草日期")
    frozen_on = models.DateField("名录冻结日期", null=True, blank=True)
    objects_text = models.TextField("冻结的检查对象名录", blank=True, editable=False)
    inspectors_text = models.TextField("冻结的检查人员名录", blank=True, editable=False)
    conflicts_text = models.TextField("冻结的回避关系", blank=True, editable=False)
    objects_sha256 = models.CharField("检查对象名录SHA-256", max_length=64, blank=True, editable=False)
    inspectors_sha256 = models.CharField("检查人员名录SHA-256", max_length=64, blank=True, editable=False)
    conflicts_sha256 = models.CharField("回避关系SHA-256", max_length=64, blank=True, editable=False)
    seed_source = models.CharField("随机种子来源", max_length=300, blank=True)
    seed_announced_on = models.DateField("公布种子来源日期", null=True, blank=True)
    seed_first_digest = models.CharField("第一人录入种子摘要", max_length=64, blank=True, editable=False)
    seed_first_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="第一录入人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    seed = models.CharField("随机种子", max_length=100, blank=True)
    seed_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="第二录入人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    drawn_on = models.DateField("抽取日期", null=True, blank=True)
    results_on = models.DateField("结果录入日期", null=True, blank=True)
    published_on = models.DateField("结果公示日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["objects_text", "inspectors_text", "conflicts_text"])

    class Meta:
        ordering = ["-year", "-drafted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values), name="inspection_plan_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(count__isnull=False, percent__isnull=True)
                | models.Q(count__isnull=True, percent__isnull=False),
                name="inspection_plan_count_or_percent",
            ),
            not_before("frozen_on", "drafted_on", "inspection_plan_frozen_after_drafted"),
            not_before("seed_announced_on", "frozen_on", "inspection_plan_seed_after_frozen"),
            not_before("drawn_on", "seed_announced_on", "inspection_plan_drawn_after_seed"),
        ]
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    @property
    def strata(self) -> tuple[str, ...]:
        flags = {"industry": self.by_industry, "region": self.by_region, "risk": self.by_risk}
        return tuple(name for name, on in flags.items() if on)


class DrawnObject(models.Model):
    """One object the draw selected, with its rank key; kept as drawn (the 名录 may change later)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="drawn")
    position = models.PositiveIntegerField("序号")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("对象名称", max_length=200, blank=True)  # as in the 名录 when drawn
    kind = models.CharField("对象类型", max_length=20, choices=ObjectKind.choices, blank=True)
    stratum = models.CharField("分层", max_length=200, blank=True)
    digest = models.CharField("排序摘要", max_length=64)
    inspectors = models.CharField("检查人员执法证号", max_length=400)  # "、"-joined, in the order drawn
    result = models.CharField("检查结果", max_length=300, blank=True)
    handling = models.CharField("处理情况", max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "credit_code"], name="drawn_object_once_per_plan")
        ]
        verbose_name = "抽中对象"
        verbose_name_plural = "抽中对象"

    def __str__(self) -> str:
        return self.credit_code
