"""The 台账 of 行政执法人员: 执法证 (enforcement certificates), 培训记录 and 执法资格考试."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from fazhi.core.formats import cn_date
from fazhi.org.fields import PersonalDataField
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
        # the yearly hours per person (training_hours_compliance_rate) read from the index alone
        indexes = [models.Index(fields=["trained_on", "person", "hours", "status"], name="training_hours")]
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


# -- 行政执法案件 (issue 13 §2) -------------------------------------------------------------------------
class PersonNameField(PersonalDataField):
    """A natural person's name: personal data, shown as 张** to those who may not see it in full."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 50)
        super().__init__(*args, **kwargs)

    @staticmethod
    def mask(value: str) -> str:
        return value[:1] + "*" * max(len(value) - 1, 1)


class MajorCatalogueItem(RegisterItem):
    """An item of the unit's 重大执法决定法制审核目录清单 (国办发〔2018〕118号): a kind of decision that must
    pass 法制审核 before it is made."""

    status = status_field(RecordStatus)
    title = models.CharField("目录事项", max_length=200)
    basis = models.CharField("认定标准", max_length=300, blank=True)
    listed_on = models.DateField("列入日期")
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="major_catalogue_title_unique_in_unit"),
            valid_status(RecordStatus, "major_catalogue_status_valid"),
        ]
        verbose_name = "重大执法决定目录事项"
        verbose_name_plural = "重大执法决定目录"

    def __str__(self) -> str:
        return self.title


class CaseType(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    LICENSE = "license", "行政许可"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANIZATION = "organization", "法人或其他组织"


class Outcome(models.TextChoices):
    """处理结果 of a case, in the words of the law of its type; which fit which type: ``OUTCOMES_BY_TYPE``."""

    # 行政处罚 (《行政处罚法》第五十七条)
    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY_MINOR = "minor", "不予处罚（违法行为轻微并及时改正）"
    NO_PENALTY_FIRST = "first", "不予处罚（首违不罚）"
    NO_PENALTY_OTHER = "other", "不予处罚（其他情形）"
    # 行政许可 (《行政许可法》第三十八条：准予行政许可或者不予行政许可的书面决定)
    LICENSE_GRANTED = "granted", "准予行政许可"
    LICENSE_REFUSED = "refused", "不予行政许可"
    # 行政强制 (《行政强制法》第十六条：实施行政强制措施；情节显著轻微或者没有明显社会危害的，可以不采取)
    COERCIVE_MEASURE = "coercive_measure", "采取行政强制措施"
    NO_COERCIVE_MEASURE = "no_coercive_measure", "不采取行政强制措施"
    # 行政检查
    NO_VIOLATION = "no_violation", "未发现违法行为"
    CORRECTION_ORDERED = "correction_ordered", "责令改正"
    REFERRED = "referred", "移送立案查处"
    # any type: the case is withdrawn, no decision on the merits
    REVOKED = "revoked", "撤销案件"


# The 处理结果 each 案件类型 may have; 撤销案件 fits every type. Kept by ``case_outcome_fits_type`` in the
# database and by ``EnforcementCase.clean`` (with its message) on every entry path.
OUTCOMES_BY_TYPE: dict[str, tuple[str, ...]] = {
    CaseType.PENALTY: (
        Outcome.PENALTY,
        Outcome.NO_PENALTY_MINOR,
        Outcome.NO_PENALTY_FIRST,
        Outcome.NO_PENALTY_OTHER,
        Outcome.REVOKED,
    ),
    CaseType.LICENSE: (Outcome.LICENSE_GRANTED, Outcome.LICENSE_REFUSED, Outcome.REVOKED),
    CaseType.COERCION: (Outcome.COERCIVE_MEASURE, Outcome.NO_COERCIVE_MEASURE, Outcome.REVOKED),
    CaseType.INSPECTION: (
        Outcome.NO_VIOLATION,
        Outcome.CORRECTION_ORDERED,
        Outcome.REFERRED,
        Outcome.REVOKED,
    ),
}


# The outcomes a case carries out after 送达 (执行: the penalty paid or enforced, the 强制措施 taken, the
# 整改 checked); a case with any other outcome has nothing to 执行 and is closed after 送达. Kept by the
# workflow (``workflows.CASE_WORKFLOW``) and by the constraint ``case_executed_needs_outcome``.
EXECUTED_OUTCOMES: tuple[str, ...] = (
    Outcome.PENALTY,
    Outcome.COERCIVE_MEASURE,
    Outcome.CORRECTION_ORDERED,
)
# the others, the one a case without a penalty most often has first
UNEXECUTED_OUTCOMES: tuple[str, ...] = tuple(
    dict.fromkeys(o for o in (Outcome.NO_PENALTY_MINOR, *Outcome.values) if o not in EXECUTED_OUTCOMES)
)


def outcome_fits_type() -> models.Q:
    """The database condition of ``OUTCOMES_BY_TYPE``: no outcome yet, or one of the case type's."""
    fits = models.Q(outcome="")
    for case_type, outcomes in OUTCOMES_BY_TYPE.items():
        fits |= models.Q(case_type=case_type, outcome__in=list(outcomes))
    return fits


class CaseStatus(models.TextChoices):
    FILED = "filed", "已立案"
    INVESTIGATING = "investigating", "调查取证"
    NOTIFIED = "notified", "已告知"
    REVIEWED = "reviewed", "已法制审核"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达"
    EXECUTED = "executed", "已执行"
    CLOSED = "closed", "已结案"


class Publicity(models.TextChoices):
    """Where the 公示 of a case's decision stands (blank: no 公示 due, the case undecided or 撤销).
    Derived from the stored dates and state on every write (``registers.case_derive``), never from today:
    a 公示 still open past its due date is the register's 逾期 (its deadline), a closed one 结案未公示."""

    PENDING = "pending", "待公示"
    ON_TIME = "on_time", "按期公示"
    LATE = "late", "逾期公示"
    CLOSED_UNPUBLISHED = "closed_unpublished", "结案未公示"


CASE_DATES = [
    # (later, earlier): the order 《行政处罚法》 gives the steps of a case
    ("investigated_on", "filed_on"),
    ("notified_on", "investigated_on"),
    ("legal_review_on", "notified_on"),
    ("decided_on", "notified_on"),
    ("decided_on", "legal_review_on"),
    ("served_on", "decided_on"),
    ("executed_on", "served_on"),
    ("closed_on", "executed_on"),
    ("closed_on", "served_on"),  # closed after 送达 when nothing is carried out
    ("published_on", "decided_on"),
]


class EnforcementCase(RegisterItem):
    """行政执法案件: one case of a unit, from 立案 to 结案 (行政处罚 first; 许可/强制/检查 by ``case_type``).

    The officers (主办、协办 and any 其他执法人员) must hold a valid 执法证 on the day of 立案 and of 决定
    (《行政处罚法》第四十二条, rule ``penalty.officers_min``); a major case (in the unit's 重大执法决定目录,
    or flagged) is decided only after 法制审核 (《行政处罚法》第五十八条). A fine names the 裁量基准 item it
    relies on and stays within its range (《行政处罚法》第三十四条), unless a 减轻处罚清单 item lowers it
    (第三十二条); 首违不罚 names its 不予处罚清单 item (第三十三条第一款). Both items belong to the case's
    unit or a unit above it."""

    status = status_field(CaseStatus)
    number = models.CharField("案件编号", max_length=60)
    case_type = models.CharField(
        "案件类型", max_length=20, choices=CaseType.choices, default=CaseType.PENALTY
    )
    party_kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    party_person = PersonNameField("当事人姓名或法定代表人", blank=True)
    party_organization = models.CharField("单位名称或字号", max_length=200, blank=True)
    cause = models.CharField("案由", max_length=300)
    lead_handler = models.ForeignKey(
        "org.Person", verbose_name="主办执法人员", on_delete=models.PROTECT, related_name="+"
    )
    co_handler = models.ForeignKey(
        "org.Person", verbose_name="协办执法人员", on_delete=models.PROTECT, related_name="+"
    )
    major_item = models.ForeignKey(
        MajorCatalogueItem,
        verbose_name="重大执法决定目录事项",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    other_handlers = models.ManyToManyField(
        "org.Person", verbose_name="其他执法人员", blank=True, related_name="+"
    )
    major = models.BooleanField("重大执法决定", default=False)
    filed_on = models.DateField("立案日期")
    investigated_on = models.DateField("调查终结日期", null=True, blank=True)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    hearing_requested = models.BooleanField("当事人要求听证", default=False)
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices, blank=True)
    fine_amount = models.DecimalField(
        "罚没金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    discretion_item = models.ForeignKey(
        "discretion.DiscretionItem",
        verbose_name="适用的裁量基准",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    list_item = models.ForeignKey(
        "discretion.ListItem",
        verbose_name="适用的清单事项",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="不予处罚（首违不罚）、从轻或减轻处罚所依据的四张清单事项",
    )
    served_on = models.DateField("送达日期", null=True, blank=True)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    publicity_due = models.DateField("公示期限", null=True, blank=True, editable=False)
    publicity = models.CharField(
        "公示情况", max_length=20, choices=Publicity.choices, blank=True, editable=False
    )
    history = HistoricalRecords(m2m_fields=[other_handlers])

    class Meta:
        ordering = ["-filed_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "decided_on", "outcome"], name="case_figures"),
            models.Index(fields=["published_on"], name="case_published"),  # the public 公示 page
            # the dashboard's 结案未公示 notice (a year of every unit, or of a few) and the list filtered
            # by 公示情况: read from the index alone
            models.Index(fields=["publicity", "filed_on", "unit"], name="case_publicity_year"),
            # the dashboard's count of overdue and 临期 cases (only open cases have a due date): read from
            # the index alone on PostgreSQL, where a table of 10⁶ cases was scanned whole (90 ms)
            models.Index(
                fields=["due_date"],
                include=["status", "id", "unit"],
                condition=models.Q(due_date__isnull=False),
                name="case_due_open",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="case_number_unique_in_unit"),
            valid_status(CaseStatus, "case_status_valid"),
            models.CheckConstraint(
                condition=models.Q(publicity__in=["", *Publicity.values]), name="case_publicity_valid"
            ),
            *(not_before(later, earlier, f"case_{later}_after_{earlier}") for later, earlier in CASE_DATES),
            models.CheckConstraint(
                condition=models.Q(fine_amount__isnull=True) | models.Q(fine_amount__gte=0),
                name="case_fine_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(executed_on__isnull=True) | models.Q(outcome__in=EXECUTED_OUTCOMES),
                name="case_executed_needs_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(lead_handler=models.F("co_handler")), name="case_two_handlers"
            ),
            filled_in(
                [CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.EXECUTED, CaseStatus.CLOSED],
                ["decided_on", "outcome"],
                "case_decided_has_outcome",
            ),
            models.CheckConstraint(
                condition=outcome_fits_type(),
                name="case_outcome_fits_type",
                violation_error_message="处理结果与案件类型不符。",
            ),
        ]
        verbose_name = "行政执法案件"
        verbose_name_plural = "行政执法案件"

    def __str__(self) -> str:
        return self.number

    @property
    def is_major(self) -> bool:
        return self.major or self.major_item_id is not None

    def clean(self):
        from .selectors import officer_problems  # the selectors import this module

        errors: dict[str, list[str]] = {}

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        if self.party_kind == PartyKind.PERSON and not self.party_person:
            add("party_person", "当事人为自然人时，应填写当事人姓名。")
        if self.party_kind == PartyKind.ORGANIZATION and not self.party_organization:
            add("party_organization", "当事人为法人或其他组织时，应填写单位名称。")
        for later, earlier in CASE_DATES:
            a, b = getattr(self, later), getattr(self, earlier)
            if a and b and a < b:
                add(
                    later,
                    f"{self._label(later)}（{cn_date(a)}）不能早于{self._label(earlier)}（{cn_date(b)}）。",
                )
        if self.outcome and (problem := self.outcome_problem()):
            add("outcome", problem)
        if self.fine_amount is not None and self.fine_amount < 0:
            add("fine_amount", "罚没金额不能为负数。")
        if self.fine_amount and self.outcome and self.outcome != Outcome.PENALTY:
            add("fine_amount", f"处理结果为“{self.get_outcome_display()}”时不应有罚没金额。")
        if self.lead_handler_id and self.co_handler_id:
            # not under either field: the scope check reports a person out of reach there first
            handlers = [("主办执法人员", self.lead_handler), ("协办执法人员", self.co_handler)]
            unit = self.unit if self.unit_id else None
            for on, act in ((self.filed_on, "立案"), (self.decided_on, "决定")):
                if on:
                    for message in officer_problems(handlers, on, act, unit):
                        add(NON_FIELD_ERRORS, message)
        from .selectors import discretion_problems

        for name, message in discretion_problems(self):
            add(name, message)
        if errors:
            raise ValidationError(errors)

    def outcome_problem(self) -> str:
        """Why the 处理结果 does not fit the 案件类型 (``OUTCOMES_BY_TYPE``), naming both; empty if fit."""
        allowed = OUTCOMES_BY_TYPE.get(self.case_type)
        if allowed is None or self.outcome in allowed:
            return ""  # an unknown type is the choices' own error
        if self.outcome not in Outcome.values:
            return ""  # likewise an unknown outcome
        kind = self.get_case_type_display()
        *others, last = (f"“{Outcome(o).label}”" for o in allowed)
        return f"{kind}案件的处理结果不能为“{self.get_outcome_display()}”，应为{''.join(others)}或{last}。"

    def _label(self, name: str) -> str:
        return str(self._meta.get_field(name).verbose_name)


class RecordStep(models.TextChoices):
    """The step of the case a 全过程记录 belongs to."""

    FILING = "filing", "立案"
    INVESTIGATION = "investigation", "调查取证"
    NOTICE = "notice", "告知"
    REVIEW = "review", "法制审核"
    DECISION = "decision", "决定"
    SERVICE = "service", "送达"
    EXECUTION = "execution", "执行"
    CLOSING = "closing", "结案"


class RecordKind(models.TextChoices):
    DOCUMENT = "document", "文书"
    AUDIOVISUAL = "audiovisual", "音像"
    OTHER = "other", "其他"


class CaseRecord(models.Model):
    """全过程记录: a 文书 or 音像 record of one step of a case (《国务院办公厅关于全面推行行政执法公示制度执法
    全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）: 行政执法全过程记录，文字记录与
    音像记录相结合), with its 文书编号 or where the recording is kept, made on a day from 立案 to today."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="records")
    step = models.CharField("执法环节", max_length=20, choices=RecordStep.choices)
    kind = models.CharField("记录类型", max_length=20, choices=RecordKind.choices)
    title = models.CharField("记录名称", max_length=200, help_text="如《立案审批表》、现场执法记录仪视频")
    reference = models.CharField("文书编号或存储位置", max_length=200, blank=True,
                                 help_text="文书编号，或执法记录仪平台的存储编号")  # fmt: skip
    made_on = models.DateField("形成日期")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "made_on", "pk"]
        indexes = [models.Index(fields=["case", "step"], name="case_record_step")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__in=RecordStep.values), name="case_record_step_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RecordKind.values), name="case_record_kind_valid"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="case_record_has_title"),
        ]
        verbose_name = "全过程记录"
        verbose_name_plural = "全过程记录"

    def __str__(self) -> str:
        return f"{self.get_step_display()}：{self.title}"

    def clean(self):
        from fazhi.registers.deadlines import today

        errors = {}
        if not (self.title or "").strip():
            errors["title"] = "请填写记录名称（如《立案审批表》、现场执法记录仪视频）。"
        if self.made_on:
            if self.made_on > today():
                errors["made_on"] = f"形成日期（{cn_date(self.made_on)}）不能晚于今天。"
            case = self._state.fields_cache.get("case")  # set by the form, the import, the services
            if case is not None and case.filed_on and self.made_on < case.filed_on:
                errors["made_on"] = (
                    f"形成日期（{cn_date(self.made_on)}）不能早于立案日期（{cn_date(case.filed_on)}）。"
                )
        if errors:
            raise ValidationError(errors)
