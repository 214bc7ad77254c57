"""The 台账 of 依法决策 and 规范性文件: legality reviews, major decisions, normative documents,
administrative agreements, the 权责清单 and powers delegated from above."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.registers.models import RegisterItem


class ReviewKind(models.TextChoices):
    MAJOR_DECISION = "major_decision", "重大行政决策"
    NORMATIVE = "normative", "规范性文件"
    AGREEMENT = "agreement", "行政协议"
    ENFORCEMENT = "enforcement", "重大执法决定"
    OTHER = "other", "其他"


class Opinion(models.TextChoices):
    LAWFUL = "lawful", "合法"
    LAWFUL_IF_AMENDED = "amend", "修改后合法"
    UNLAWFUL = "unlawful", "不合法"


class LegalityReview(RegisterItem):
    """合法性审查: a submission reviewed by the 法制机构 / 司法所 before a decision, document or agreement."""

    number = models.CharField("审查编号", max_length=40)
    title = models.CharField("送审事项", max_length=200)
    kind = models.CharField("事项类型", max_length=20, choices=ReviewKind.choices)
    submitter = models.CharField("送审单位", max_length=100)
    submitted_on = models.DateField("送审日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    returned_on = models.DateField("退回补充材料日期", null=True, blank=True)
    resumed_on = models.DateField("补齐材料日期", null=True, blank=True)
    paused_workdays = models.PositiveIntegerField(
        "补充材料占用工作日", default=0, help_text="退回补充材料期间不计入审查期限"
    )
    reviewer = models.ForeignKey(
        "org.Person",
        verbose_name="审查人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opinion = models.CharField("审查结论", max_length=10, choices=Opinion.choices, blank=True)
    opinion_on = models.DateField("出具意见日期", null=True, blank=True)
    opinion_count = models.PositiveSmallIntegerField("出具审查意见份数", default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        # cover the indicator engine's queries of a year's rows (fazhi.decisions.indicators)
        indexes = [
            models.Index(
                fields=["opinion_on", "unit", "status", "kind", "opinion_count"], name="review_figures"
            )
        ]
        verbose_name = "合法性审查"
        verbose_name_plural = "合法性审查"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self):
        errors = {}
        if self.accepted_on and self.submitted_on and self.accepted_on < self.submitted_on:
            errors["accepted_on"] = "受理日期不能早于送审日期。"
        if self.opinion_on and self.accepted_on and self.opinion_on < self.accepted_on:
            errors["opinion_on"] = "出具意见日期不能早于受理日期。"
        if self.opinion_on and not self.opinion:
            errors["opinion"] = "已填写出具意见日期，请选择审查结论。"
        if errors:
            raise ValidationError(errors)


class DecisionCategory(models.TextChoices):
    POLICY = "policy", "重大公共政策和措施"
    PLAN = "plan", "重要规划"
    RESOURCE = "resource", "重大公共资源开发利用"
    PROJECT = "project", "重大公共建设项目"
    OTHER = "other", "其他重大事项"


class DecisionResult(models.TextChoices):
    ADOPTED = "adopted", "通过"
    ADOPTED_AMENDED = "amended", "修改后通过"
    DEFERRED = "deferred", "暂缓"
    REJECTED = "rejected", "不予通过"


class MajorDecision(RegisterItem):
    """重大行政决策 in the year's 目录, through the steps of 《重大行政决策程序暂行条例》."""

    year = models.PositiveSmallIntegerField("目录年度")
    title = models.CharField("决策事项", max_length=200)
    category = models.CharField("决策类别", max_length=20, choices=DecisionCategory.choices)
    undertaker = models.CharField("承办单位", max_length=100)
    listed_on = models.DateField("列入目录日期")
    comment_from = models.DateField("公开征求意见开始日期", null=True, blank=True)
    comment_to = models.DateField("公开征求意见截止日期", null=True, blank=True)
    comment_shortened_reason = models.CharField(
        "征求意见少于法定期限的理由",
        max_length=200,
        blank=True,
        help_text="因情况紧急等缩短期限的，应在征求意见时说明",
    )
    hearing_on = models.DateField("听证会日期", null=True, blank=True)
    expert_required = models.BooleanField("需专家论证", default=False)
    expert_on = models.DateField("专家论证日期", null=True, blank=True)
    risk_required = models.BooleanField("需风险评估", default=False)
    risk_on = models.DateField("风险评估完成日期", null=True, blank=True)
    review = models.ForeignKey(
        LegalityReview,
        verbose_name="合法性审查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting = models.CharField("集体讨论会议", max_length=100, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    result = models.CharField("决定结果", max_length=10, choices=DecisionResult.choices, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    evaluated_on = models.DateField("决策后评估日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-listed_on", "-pk"]
        verbose_name = "重大行政决策"
        verbose_name_plural = "重大行政决策"

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    def clean(self):
        if self.comment_from and self.comment_to and self.comment_to < self.comment_from:
            raise ValidationError({"comment_to": "征求意见截止日期不能早于开始日期。"})


class CleanupResult(models.TextChoices):
    KEEP = "keep", "保留"
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"


class NormativeDocument(RegisterItem):
    """行政规范性文件: drafting → 合法性审核 → 集体审议 → 公布 → 备案 → 有效期 → 清理."""

    title = models.CharField("文件名称", max_length=200)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    drafter = models.CharField("起草单位", max_length=100)
    drafted_on = models.DateField("起草日期")
    review = models.ForeignKey(
        LegalityReview,
        verbose_name="合法性审核",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting = models.CharField("集体审议会议", max_length=100, blank=True)
    deliberated_on = models.DateField("集体审议日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    publish_channel = models.CharField("公布载体", max_length=100, blank=True)
    filed_to = models.CharField("备案机关", max_length=100, blank=True)
    filed_on = models.DateField("报送备案日期", null=True, blank=True)
    filing_due_on = models.DateField("备案期限", null=True, blank=True, editable=False)
    provisional = models.BooleanField("暂行或试行", default=False)
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="留空则公布时按规则计算")
    cleanup_on = models.DateField("清理日期", null=True, blank=True)
    cleanup_result = models.CharField("清理结果", max_length=10, choices=CleanupResult.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-drafted_on", "-pk"]
        verbose_name = "行政规范性文件"
        verbose_name_plural = "行政规范性文件"

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    def clean(self):
        errors = {}
        if self.filed_on and self.published_on and self.filed_on < self.published_on:
            errors["filed_on"] = "报送备案日期不能早于公布日期。"
        if self.valid_until and self.published_on and self.valid_until <= self.published_on:
            errors["valid_until"] = "有效期届满日应晚于公布日期。"
        if errors:
            raise ValidationError(errors)


class AgreementKind(models.TextChoices):
    INVESTMENT = "investment", "招商引资"
    PROCUREMENT = "procurement", "政府采购"
    CONCESSION = "concession", "特许经营/PPP"
    COMPENSATION = "compensation", "征收补偿"
    STATE_ASSETS = "assets", "国有资产"
    OTHER = "other", "其他"


class AdministrativeAgreement(RegisterItem):
    """行政协议 (and other contracts of the administration): reviewed before signing."""

    number = models.CharField("协议编号", max_length=40)
    title = models.CharField("协议名称", max_length=200)
    kind = models.CharField("协议类型", max_length=20, choices=AgreementKind.choices)
    counterparty = models.CharField("协议相对方", max_length=200)
    amount = models.DecimalField("金额（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    review = models.ForeignKey(
        LegalityReview,
        verbose_name="合法性审查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_on = models.DateField("签订日期", null=True, blank=True)
    term_end = models.DateField("履行期限至", null=True, blank=True)
    closed_on = models.DateField("履行完毕或终止日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        verbose_name = "行政协议"
        verbose_name_plural = "行政协议"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PowerKind(models.TextChoices):
    LICENSE = "license", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    AWARD = "award", "行政奖励"
    RULING = "ruling", "行政裁决"
    OTHER = "other", "其他行政权力"


class PowerItem(RegisterItem):
    """An item of the unit's 权责清单."""

    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("权力类型", max_length=20, choices=PowerKind.choices)
    basis = models.TextField("设定依据")
    listed_on = models.DateField("列入清单日期")
    removed_on = models.DateField("取消日期", null=True, blank=True)
    removal_reason = models.CharField("取消或调整理由", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "pk"]
        indexes = [models.Index(fields=["unit", "listed_on", "removed_on"], name="power_item_figures")]
        verbose_name = "权责清单事项"
        verbose_name_plural = "权责清单事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DelegationLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class DelegatedPower(RegisterItem):
    """A power delegated from above (赋权) and its 承接 by the unit."""

    name = models.CharField("赋权事项", max_length=200)
    level = models.CharField("赋权层级", max_length=10, choices=DelegationLevel.choices)
    kind = models.CharField("权力类型", max_length=20, choices=PowerKind.choices)
    document = models.CharField("赋权文件", max_length=200)
    delegated_on = models.DateField("下放日期")
    takeover_by = models.DateField("承接时限", null=True, blank=True)
    requirements = models.TextField("承接要求", blank=True, help_text="人员、场地、系统、制度等承接条件")
    taken_on = models.DateField("承接日期", null=True, blank=True)
    decline_reason = models.CharField("暂缓或退回理由", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-delegated_on", "-pk"]
        indexes = [
            models.Index(fields=["taken_on", "unit", "status"], name="delegation_figures"),
            models.Index(fields=["unit", "due_date"], name="delegation_unit_due"),
        ]
        verbose_name = "赋权承接事项"
        verbose_name_plural = "赋权承接事项"

    def __str__(self) -> str:
        return self.name
