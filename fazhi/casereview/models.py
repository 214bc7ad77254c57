"""案卷评查: the rubric (national default and county items), the reviews of sampled case files with
their findings, and the rectification notices sent to the reviewed units."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.registers.models import RegisterItem, filled_in, not_before, status_field, valid_status


class RubricItem(models.Model):
    """One item of the 评查标准: a 基本标准 (``veto``: the file is 不合格 whatever its score) or a 扣分项
    of ``points``. ``unit`` empty: the national default; a county's own item with the same 序号
    replaces the default for the units under it, a new 序号 adds one."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="制定单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField("序号")
    category = models.CharField("类别", max_length=40)
    text = models.CharField("评查项目", max_length=200)
    veto = models.BooleanField("基本标准（否决项）", default=False)
    points = models.DecimalField("扣分", max_digits=4, decimal_places=1, default=Decimal("0"))
    source = models.CharField("依据", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="rubric_number_unique_in_unit"),
            models.UniqueConstraint(
                fields=["number"], condition=models.Q(unit__isnull=True), name="rubric_number_unique_national"
            ),
            models.CheckConstraint(
                condition=models.Q(points__gte=0, points__lte=100), name="rubric_points_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(veto=False, points__gt=0) | models.Q(veto=True, points=0),
                name="rubric_veto_or_points",
            ),
        ]
        verbose_name = "案卷评查标准项目"
        verbose_name_plural = "案卷评查标准"

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    def clean(self):
        errors = {}
        if self.points is not None and self.points < 0:
            errors["points"] = "扣分不能为负数。"
        elif self.points is not None and self.points > 100:
            errors["points"] = "扣分不能超过100分。"
        elif self.veto and self.points:
            errors["points"] = "基本标准（否决项）直接评为不合格，不另设扣分，请填0。"
        elif not self.veto and not self.points:
            errors["points"] = "扣分项须填写大于0的扣分。"
        if errors:
            raise ValidationError(errors)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class ReviewStatus(models.TextChoices):
    REVIEWING = "reviewing", "评查中"
    FINISHED = "finished", "已评定"


class CaseFileReview(RegisterItem):
    """评查记录: one sampled case file reviewed against the rubric, owned by the unit whose file it is
    (so its figures roll up to the county and its users see their own results); ``organ`` is who
    reviewed it. The score and grade are computed by ``services.rescore`` from the findings (child
    rows), never typed.

    ``case_ref`` names the file in free text; when the enforcement cases register exists, a nullable
    ``case`` link to it is added beside it (``case_ref`` stays for files reviewed before)."""

    status = status_field(ReviewStatus)
    number = models.CharField("评查编号", max_length=40)
    organ = models.CharField("评查机关", max_length=100, help_text="组织评查的司法行政部门或评查组")
    case_ref = models.CharField("案卷名称及文号", max_length=200)
    reviewed_on = models.DateField("评查日期")
    reviewers = models.ManyToManyField("org.Person", verbose_name="评查人员", blank=True, related_name="+")
    opinion = models.TextField("评查意见", blank=True)
    score = models.DecimalField(
        "得分", max_digits=4, decimal_places=1, default=Decimal("100"), editable=False
    )
    grade = models.CharField("评查等次", max_length=10, choices=Grade.choices, default=Grade.EXCELLENT,
                             editable=False)  # fmt: skip
    vetoed = models.BooleanField("不符合基本标准", default=False, editable=False)
    finished_on = models.DateField("评定日期", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[reviewers])

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["reviewed_on", "unit", "grade"], name="casereview_figures")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="casereview_number_unique_in_unit"),
            valid_status(ReviewStatus, "casereview_status_valid"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="casereview_score_in_range"
            ),
            models.CheckConstraint(condition=models.Q(grade__in=Grade.values), name="casereview_grade_valid"),
            # a file failing a 基本标准 is 不合格 whatever its score
            models.CheckConstraint(
                condition=models.Q(vetoed=False) | models.Q(grade=Grade.FAIL), name="casereview_veto_fails"
            ),
            not_before("finished_on", "reviewed_on", "casereview_finished_after_reviewed"),
            filled_in([ReviewStatus.FINISHED], ["finished_on"], "casereview_finished_has_date"),
        ]
        verbose_name = "案卷评查记录"
        verbose_name_plural = "案卷评查记录"

    def __str__(self) -> str:
        return f"{self.number} {self.case_ref}"

    def clean(self):
        if self.finished_on and self.reviewed_on and self.finished_on < self.reviewed_on:
            raise ValidationError({"finished_on": "评定日期不能早于评查日期。"})


class ReviewFinding(models.Model):
    """A problem the reviewers found in the file: the rubric item (by its 序号 in the rubric in force
    for the reviewing unit) and what exactly was wrong. Saving or removing one rescores the review."""

    review = models.ForeignKey(CaseFileReview, on_delete=models.CASCADE, related_name="findings")
    item_number = models.PositiveSmallIntegerField("评查项目序号")
    description = models.CharField("发现的问题", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "item_number", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(description=""), name="finding_has_description"),
        ]
        verbose_name = "评查发现问题"
        verbose_name_plural = "评查发现问题"

    def __str__(self) -> str:
        return f"{self.item_number}：{self.description}"

    def save(self, *args, **kwargs):
        from . import services

        review = self.review
        services.rubric_item_for(review.unit, self.item_number)  # refuses a number not in its rubric
        super().save(*args, **kwargs)
        services.rescore(review)

    def delete(self, *args, **kwargs):
        from . import services

        review = self.review
        result = super().delete(*args, **kwargs)
        services.rescore(review)
        return result

    def clean(self):
        from . import services

        if not (self.description or "").strip():
            raise ValidationError({"description": "请填写发现的问题（否决项、扣分项均须写明理由）。"})
        parent = self._parent()
        if parent is not None and parent.pk is None and self.item_number is not None:
            services.score_pending(parent, self)  # an imported review's score, before it is written

    def _parent(self) -> CaseFileReview | None:
        """The review, where the caller already set it (an import sets it before checking the row)."""
        return self._state.fields_cache.get("review")


class RectificationStatus(models.TextChoices):
    ISSUED = "issued", "已下发"
    RECTIFYING = "rectifying", "整改中"
    OVERDUE = "overdue", "逾期"
    DONE = "done", "已整改"


class Rectification(RegisterItem):
    """整改通知: problems found by 案卷评查 sent to the unit that must rectify them (its owning unit, so
    the notice is on that unit's and the county's pages and dashboards), with the date set in the
    notice for their rectification; closed with evidence (an attachment, or for a historical record
    imported from a 台账 the account of the rectification)."""

    status = status_field(RectificationStatus)
    number = models.CharField("通知编号", max_length=40)
    organ = models.CharField("下发机关", max_length=100)
    review = models.ForeignKey(
        CaseFileReview, verbose_name="案卷评查记录", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    problems = models.TextField("存在问题及整改要求")
    issued_on = models.DateField("下发日期")
    due_on = models.DateField("整改期限", help_text="整改通知书确定的完成日期")
    started_on = models.DateField("开始整改日期", null=True, blank=True)
    overdue_on = models.DateField("逾期登记日期", null=True, blank=True)
    completed_on = models.DateField("整改完成日期", null=True, blank=True)
    completion_note = models.TextField("整改情况", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["issued_on", "unit", "status"], name="rectification_figures")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="rectification_number_unique_in_unit"),
            valid_status(RectificationStatus, "rectification_status_valid"),
            not_before("due_on", "issued_on", "rectification_due_after_issued"),
            not_before("started_on", "issued_on", "rectification_started_after_issued"),
            not_before("completed_on", "issued_on", "rectification_completed_after_issued"),
            filled_in([RectificationStatus.DONE], ["completed_on"], "rectification_done_has_date"),
        ]
        verbose_name = "整改通知"
        verbose_name_plural = "整改通知"

    def __str__(self) -> str:
        return self.number

    def clean(self):
        errors = {}
        if self.due_on and self.issued_on and self.due_on < self.issued_on:
            errors["due_on"] = "整改期限不能早于下发日期。"
        if self.started_on and self.issued_on and self.started_on < self.issued_on:
            errors["started_on"] = "开始整改日期不能早于下发日期。"
        if self.completed_on and self.issued_on and self.completed_on < self.issued_on:
            errors["completed_on"] = "整改完成日期不能早于下发日期。"
        if errors:
            raise ValidationError(errors)
