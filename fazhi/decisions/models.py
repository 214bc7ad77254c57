"""The 台账 of 依法决策 and 规范性文件: legality reviews, major decisions, normative documents,
administrative agreements, the 权责清单 and powers delegated from above."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.org.fields import PhoneField
from fazhi.registers.models import RegisterItem, filled_in, not_before, status_field, valid_status


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


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", "已送审"
    ACCEPTED = "accepted", "审查中"
    RETURNED = "returned", "退回补充材料"
    ISSUED = "issued", "已出具意见"
    WITHDRAWN = "withdrawn", "已撤回"


class LegalityReview(RegisterItem):
    """合法性审查: a submission reviewed by the 法制机构 / 司法所 before a decision, document or agreement."""

    number = models.CharField("审查编号", max_length=40)
    title = models.CharField("送审事项", max_length=200)
    kind = models.CharField("事项类型", max_length=20, choices=ReviewKind.choices)
    status = status_field(ReviewStatus)
    submitter = models.CharField("送审单位", max_length=100)
    contact_phone = PhoneField("送审联系电话", blank=True)
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
    advisers = models.ManyToManyField(
        "org.Person", verbose_name="参与审查的法律顾问", blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[advisers])

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        # cover the indicator engine's queries of a year's rows (fazhi.decisions.indicators)
        indexes = [
            models.Index(
                fields=["opinion_on", "unit", "status", "kind", "opinion_count"], name="review_figures"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="review_number_unique_in_unit"),
            valid_status(ReviewStatus, "review_status_valid"),
            not_before("accepted_on", "submitted_on", "review_accepted_after_submitted"),
            not_before("returned_on", "accepted_on", "review_returned_after_accepted"),
            not_before("resumed_on", "returned_on", "review_resumed_after_returned"),
            not_before("opinion_on", "accepted_on", "review_opinion_after_accepted"),
            filled_in([ReviewStatus.ISSUED], ["opinion_on"], "review_issued_has_opinion"),
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
        if self.returned_on and self.accepted_on and self.returned_on < self.accepted_on:
            errors["returned_on"] = "退回补充材料日期不能早于受理日期。"
        if self.resumed_on and self.returned_on and self.resumed_on < self.returned_on:
            errors["resumed_on"] = "补齐材料日期不能早于退回补充材料日期。"
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


class DecisionStatus(models.TextChoices):
    LISTED = "listed", "已列入目录"
    CONSULTING = "consulting", "公众参与"
    REVIEWING = "reviewing", "合法性审查"
    DECIDED = "decided", "已集体讨论决定"
    PUBLISHED = "published", "已公布"
    EVALUATED = "evaluated", "已后评估"
    ARCHIVED = "archived", "已归档"
    WITHDRAWN = "withdrawn", "已调出目录"


DECIDED_STATES = [
    DecisionStatus.DECIDED, DecisionStatus.PUBLISHED, DecisionStatus.EVALUATED, DecisionStatus.ARCHIVED
]  # fmt: skip


class MajorDecision(RegisterItem):
    """重大行政决策 in the year's 目录, through the steps of 《重大行政决策程序暂行条例》."""

    status = status_field(DecisionStatus)
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
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "title"], name="decision_unique_in_unit_year"),
            valid_status(DecisionStatus, "decision_status_valid"),
            not_before("comment_to", "comment_from", "decision_comment_period_in_order"),
            not_before("published_on", "decided_on", "decision_published_after_decided"),
            # 《重大行政决策程序暂行条例》第二十五、三十条: no decision without its legality review
            filled_in(DECIDED_STATES, ["review", "decided_on"], "decision_decided_has_review"),
        ]
        verbose_name = "重大行政决策"
        verbose_name_plural = "重大行政决策"

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    def clean(self):
        errors = {}
        if self.comment_from and self.comment_to and self.comment_to < self.comment_from:
            errors["comment_to"] = "征求意见截止日期不能早于开始日期。"
        if self.published_on and self.decided_on and self.published_on < self.decided_on:
            errors["published_on"] = "公布日期不能早于决定日期。"
        if errors:
            raise ValidationError(errors)


class CleanupResult(models.TextChoices):
    KEEP = "keep", "保留"
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"


class DocumentStatus(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    REVIEWING = "reviewing", "合法性审核中"
    APPROVED = "approved", "已集体审议"
    PUBLISHED = "published", "已公布待备案"
    FILED = "filed", "已备案（有效）"
    AMENDED = "amended", "已修改（被替代）"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"
    ABANDONED = "abandoned", "已终止制定"


class NormativeDocument(RegisterItem):
    """行政规范性文件: drafting → 合法性审核 → 集体审议 → 公布 → 备案 → 有效期 → 清理."""

    status = status_field(DocumentStatus)
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
        constraints = [
            models.UniqueConstraint(fields=["unit", "title", "drafted_on"], name="document_unique_in_unit"),
            valid_status(DocumentStatus, "document_status_valid"),
            not_before("published_on", "deliberated_on", "document_published_after_deliberated"),
            not_before("filed_on", "published_on", "document_filed_after_published"),
        ]
        verbose_name = "行政规范性文件"
        verbose_name_plural = "行政规范性文件"

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    def clean(self):
        errors = {}
        if self.published_on and self.deliberated_on and self.published_on < self.deliberated_on:
            errors["published_on"] = "公布日期不能早于集体审议日期。"
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


class AgreementStatus(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    REVIEWING = "reviewing", "合法性审查中"
    PERFORMING = "performing", "已签订履行中"
    COMPLETED = "completed", "履行完毕"
    TERMINATED = "terminated", "已终止"


class AdministrativeAgreement(RegisterItem):
    """行政协议 (and other contracts of the administration): reviewed before signing."""

    status = status_field(AgreementStatus)
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
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="agreement_number_unique_in_unit"),
            valid_status(AgreementStatus, "agreement_status_valid"),
            not_before("closed_on", "signed_on", "agreement_closed_after_signed"),
            filled_in(
                [AgreementStatus.PERFORMING, AgreementStatus.COMPLETED],
                ["signed_on"],
                "agreement_signed_date",
            ),
        ]
        verbose_name = "行政协议"
        verbose_name_plural = "行政协议"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self):
        if self.closed_on and self.signed_on and self.closed_on < self.signed_on:
            raise ValidationError({"closed_on": "履行完毕或终止日期不能早于签订日期。"})


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


class PowerStatus(models.TextChoices):
    LISTED = "listed", "在清单内"
    REMOVED = "removed", "已取消"


class PowerItem(RegisterItem):
    """An item of the unit's 权责清单."""

    status = status_field(PowerStatus)
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
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="power_code_unique_in_unit"),
            valid_status(PowerStatus, "power_status_valid"),
            not_before("removed_on", "listed_on", "power_removed_after_listed"),
        ]
        verbose_name = "权责清单事项"
        verbose_name_plural = "权责清单事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        if self.removed_on and self.listed_on and self.removed_on < self.listed_on:
            raise ValidationError({"removed_on": "取消日期不能早于列入清单日期。"})


class DelegationLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class DelegationStatus(models.TextChoices):
    PENDING = "pending", "待承接"
    TAKEN = "taken", "已承接"
    DECLINED = "declined", "暂缓或退回"


class DelegatedPower(RegisterItem):
    """A power delegated from above (赋权) and its 承接 by the unit."""

    status = status_field(DelegationStatus)
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
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="delegation_unique_in_unit"),
            valid_status(DelegationStatus, "delegation_status_valid"),
            not_before("taken_on", "delegated_on", "delegation_taken_after_delegated"),
        ]
        verbose_name = "赋权承接事项"
        verbose_name_plural = "赋权承接事项"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.taken_on and self.delegated_on and self.taken_on < self.delegated_on:
            raise ValidationError({"taken_on": "承接日期不能早于下放日期。"})


class ReviewPoint(models.Model):
    """One point of a legality review's opinion: the clause, the problem found, what to change, and
    whether the submitter took it up (reports count 提出意见建议N条，采纳N条)."""

    review = models.ForeignKey(LegalityReview, on_delete=models.CASCADE, related_name="points")
    clause = models.CharField("条款", max_length=100)
    problem = models.CharField("存在问题", max_length=300)
    suggestion = models.CharField("修改建议", max_length=300, blank=True)
    adopted = models.BooleanField("是否采纳", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = "审查意见要点"
        verbose_name_plural = "审查意见要点"

    def __str__(self) -> str:
        return f"{self.clause}：{self.problem}"
