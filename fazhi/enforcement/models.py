"""The 台账 of 行政执法人员: 执法证 (enforcement certificates), 培训记录 and 执法资格考试."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.registers.models import RegisterItem, filled_in, not_before, status_field, valid_status


class EnforcementField(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合行政执法"
    MARKET = "market", "市场监管"
    ECOLOGY = "ecology", "生态环境"
    CULTURE = "culture", "文化市场"
    TRANSPORT = "transport", "交通运输"
    AGRICULTURE = "agriculture", "农业农村"
    EMERGENCY = "emergency", "应急管理"
    NATURAL_RESOURCES = "resources", "自然资源"
    OTHER = "other", "其他"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"
    WITHDRAWN = "withdrawn", "收回"


CLOSED_STATES = [CertificateStatus.REVOKED, CertificateStatus.WITHDRAWN]


class Certificate(RegisterItem):
    """执法证: a person's 行政执法证件, kept by the holder's unit (《行政处罚法》第四十二条：持证执法)."""

    status = status_field(CertificateStatus)
    number = models.CharField("证件编号", max_length=40)
    holder = models.ForeignKey(
        "org.Person", verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    field = models.CharField("执法领域", max_length=20, choices=EnforcementField.choices)
    issuer = models.CharField("发证机关", max_length=100)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    suspended_on = models.DateField("暂扣日期", null=True, blank=True)
    suspension_reason = models.CharField("暂扣原因", max_length=200, blank=True)
    resumed_on = models.DateField("发还日期", null=True, blank=True)
    closed_on = models.DateField("注销或收回日期", null=True, blank=True)
    closed_reason = models.CharField("注销或收回原因", max_length=200, blank=True)
    ended_on = models.DateField("失效日期", null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "issued_on", "ended_on", "status"], name="certificate_figures")
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="certificate_number_unique_in_unit"),
            valid_status(CertificateStatus, "certificate_status_valid"),
            not_before("expires_on", "issued_on", "certificate_expires_after_issued"),
            not_before("suspended_on", "issued_on", "certificate_suspended_after_issued"),
            not_before("closed_on", "issued_on", "certificate_closed_after_issued"),
            filled_in(CLOSED_STATES, ["closed_on"], "certificate_closed_has_date"),
            filled_in([CertificateStatus.SUSPENDED], ["suspended_on"], "certificate_suspended_has_date"),
        ]
        verbose_name = "执法证"
        verbose_name_plural = "执法证"

    def __str__(self) -> str:
        return f"{self.number} {self.holder.name if self.holder_id else ''}".strip()

    def clean(self):
        errors = {}
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            errors["expires_on"] = "有效期至不能早于发证日期。"
        if self.suspended_on and self.issued_on and self.suspended_on < self.issued_on:
            errors["suspended_on"] = "暂扣日期不能早于发证日期。"
        if self.closed_on and self.issued_on and self.closed_on < self.issued_on:
            errors["closed_on"] = "注销或收回日期不能早于发证日期。"
        if errors:
            raise ValidationError(errors)


class RecordStatus(models.TextChoices):
    RECORDED = "recorded", "已登记"
    VOIDED = "voided", "已作废"


class Training(RegisterItem):
    """培训记录: hours of training a person took (每人每年不少于60学时, rule enforcement.training_hours)."""

    status = status_field(RecordStatus)
    person = models.ForeignKey(
        "org.Person", verbose_name="参训人员", on_delete=models.PROTECT, related_name="+"
    )
    trained_on = models.DateField("培训日期")
    course = models.CharField("培训内容", max_length=200)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-trained_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person", "trained_on", "course"], name="training_unique"
            ),
            valid_status(RecordStatus, "training_status_valid"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_hours_positive"),
        ]
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"

    def __str__(self) -> str:
        return f"{self.course}（{self.hours}学时）"

    def clean(self):
        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": "学时应大于0。"})


class ExamSitting(RegisterItem):
    """执法资格考试: one person's sitting of the 行政执法资格考试, with the score and the result."""

    status = status_field(RecordStatus)
    ticket = models.CharField("准考证号", max_length=40)
    person = models.ForeignKey("org.Person", verbose_name="考生", on_delete=models.PROTECT, related_name="+")
    sat_on = models.DateField("考试日期")
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1)
    passed = models.BooleanField("是否合格", default=False)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sat_on", "-pk"]
        indexes = [models.Index(fields=["unit", "sat_on", "status", "passed"], name="exam_figures")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "ticket"], name="exam_ticket_unique_in_unit"),
            valid_status(RecordStatus, "exam_status_valid"),
        ]
        verbose_name = "执法资格考试"
        verbose_name_plural = "执法资格考试"

    def __str__(self) -> str:
        return f"{self.person.name if self.person_id else ''}{self.sat_on}考试"
