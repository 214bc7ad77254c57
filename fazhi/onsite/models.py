"""企业安静期 and 扫码入检 ("统一赋码、扫码入检、记录备查"): a QR code per enterprise of the
检查对象名录库, the visits officers log by scanning it, the quiet periods a unit declares for the
enterprises of its area, and the county's 重复检查 threshold."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class VisitReason(models.TextChoices):
    RANDOM = "random", "双随机抽查"
    COMPLAINT = "complaint", "投诉举报核查"
    ASSIGNED = "assigned", "上级交办"
    SPECIAL = "special", "专项检查"
    MAJOR_RISK = "major_risk", "安全生产等重大风险"
    OTHER = "other", "其他"


# What quiet periods usually let through (the seeds' counties: 双随机抽查, 投诉举报核查, 上级交办 and
# 安全生产等重大风险); a unit declaring a period chooses its own list.
DEFAULT_ALLOWED_REASONS = [
    VisitReason.RANDOM.value,
    VisitReason.COMPLAINT.value,
    VisitReason.ASSIGNED.value,
    VisitReason.MAJOR_RISK.value,
]


class EnterpriseCode(models.Model):
    """统一赋码: the enterprise's QR code holds the scan page's URL with this random token (not the
    object's id), so a code cannot be guessed from another; the token stays the same for the enterprise
    (reprinting gives the same code) and is independent of the server's secret key."""

    enterprise = models.OneToOneField(
        "inspections.InspectionObject",
        verbose_name="检查对象",
        on_delete=models.CASCADE,
        related_name="onsite_code",
    )
    token = models.CharField("二维码令牌", max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField("赋码时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "企业二维码"
        verbose_name_plural = "企业二维码"

    def __str__(self) -> str:
        return f"{self.enterprise_id} 的二维码"


class QuietPeriod(models.Model):
    """企业安静期 declared by a unit: within ``valid_from``–``valid_to``, the days ``first_day``–``last_day``
    of every month (每月1日至20日), for every enterprise in the unit's area or the listed ones; a visit in
    it for a reason not in ``allowed_reasons`` is flagged."""

    unit = models.ForeignKey("org.Unit", verbose_name="发布单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=100)
    basis = models.CharField("依据文件", max_length=200, blank=True)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期")
    first_day = models.PositiveSmallIntegerField("每月自（日）")
    last_day = models.PositiveSmallIntegerField("每月至（日）")
    all_enterprises = models.BooleanField("适用于辖区全部企业", default=True)
    enterprises = models.ManyToManyField(
        "inspections.InspectionObject", verbose_name="适用企业", blank=True, related_name="+"
    )
    allowed_reasons = models.JSONField("安静期内允许的检查事由", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[enterprises])

    class Meta:
        ordering = ["-valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="quiet_period_title_unique_in_unit"),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="quiet_period_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(first_day__gte=1, last_day__lte=31, last_day__gte=F("first_day")),
                name="quiet_period_days_of_month",
            ),
        ]
        verbose_name = "企业安静期"
        verbose_name_plural = "企业安静期"

    def __str__(self) -> str:
        return self.title

    @property
    def days_label(self) -> str:
        last = "月末" if self.last_day >= 31 else f"{self.last_day}日"
        return f"每月{self.first_day}日至{last}"

    @property
    def allowed_labels(self) -> str:
        labels = dict(VisitReason.choices)
        return "、".join(labels.get(r, r) for r in self.allowed_reasons) or "（无）"

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "截止日期不能早于起始日期。"
        if self.first_day is not None and not 1 <= self.first_day <= 31:
            errors["first_day"] = "每月起始日应为1至31。"
        if self.last_day is not None and not 1 <= self.last_day <= 31:
            errors["last_day"] = "每月截止日应为1至31。"
        elif self.first_day and self.last_day and self.last_day < self.first_day:
            errors["last_day"] = "每月截止日不能早于每月起始日。"
        if not isinstance(self.allowed_reasons, list) or not set(self.allowed_reasons) <= set(
            VisitReason.values
        ):
            errors["allowed_reasons"] = "允许的检查事由不在可选范围内。"
        if errors:
            raise ValidationError(errors)

    def covers_day(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to and self.first_day <= day.day <= self.last_day


class Visit(models.Model):
    """扫码入检: an officer's visit to an enterprise, logged on the scan page (记录备查). ``flagged``: made
    in a quiet period (``quiet_period``) for a reason the period does not allow."""

    enterprise = models.ForeignKey(
        "inspections.InspectionObject",
        verbose_name="检查对象",
        on_delete=models.PROTECT,
        related_name="onsite_visits",
    )
    unit = models.ForeignKey("org.Unit", verbose_name="检查单位", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        "org.Person", verbose_name="登记执法人员", on_delete=models.PROTECT, related_name="+"
    )
    co_officers = models.ManyToManyField("org.Person", verbose_name="同行执法人员", related_name="+")
    visited_at = models.DateTimeField("入企时间")
    visited_on = models.DateField("入企日期", editable=False)  # local date of visited_at, for lists by day
    reason = models.CharField("检查事由", max_length=20, choices=VisitReason.choices)
    reason_text = models.CharField("事由说明", max_length=100, blank=True)
    plan = models.ForeignKey(
        "inspections.InspectionPlan",
        verbose_name="抽查计划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("备注", max_length=300, blank=True)
    quiet_period = models.ForeignKey(
        QuietPeriod,
        verbose_name="所在安静期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    flagged = models.BooleanField("安静期违规入企", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记用户", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[co_officers])

    class Meta:
        ordering = ["-visited_at", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "visited_at"], name="onsite_visit_enterprise"),
            models.Index(fields=["unit", "visited_on"], name="onsite_visit_unit_day"),
            models.Index(fields=["flagged", "visited_on"], name="onsite_visit_flagged_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=VisitReason.values), name="onsite_visit_reason_valid"
            ),
            models.CheckConstraint(
                condition=~Q(reason=VisitReason.OTHER) | ~Q(reason_text=""),
                name="onsite_visit_other_explained",
            ),
            models.CheckConstraint(
                condition=Q(reason=VisitReason.RANDOM, plan__isnull=False)
                | (~Q(reason=VisitReason.RANDOM) & Q(plan__isnull=True)),
                name="onsite_visit_plan_iff_random",
            ),
            models.CheckConstraint(
                condition=Q(flagged=False) | Q(quiet_period__isnull=False),
                name="onsite_visit_flag_has_period",
            ),
        ]
        verbose_name = "入企检查登记"
        verbose_name_plural = "入企检查登记"

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.visited_on}"

    @property
    def reason_label(self) -> str:
        label = self.get_reason_display()
        if self.reason == VisitReason.OTHER and self.reason_text:
            return f"{label}：{self.reason_text}"
        return label


class VisitPolicy(models.Model):
    """A unit's 重复检查 threshold: an enterprise visited more than ``repeat_limit`` times in a year is
    listed as 重复检查. No national law sets the number, so it is the county's own setting (the nearest
    unit up the tree that set one; else ``DEFAULT_REPEAT_LIMIT``)."""

    unit = models.OneToOneField("org.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    repeat_limit = models.PositiveSmallIntegerField("每户每年入企检查次数提示线")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(repeat_limit__gte=1), name="onsite_policy_limit_positive")
        ]
        verbose_name = "重复检查提示线"
        verbose_name_plural = "重复检查提示线"

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.repeat_limit}"


# No national rule sets how many visits a year make 重复检查 (国务院《优化营商环境条例》asks only that
# inspections of one object be combined where possible); a county sets its own (VisitPolicy).
DEFAULT_REPEAT_LIMIT = 4
