"""The steps of the 执法证, 培训记录 and 执法资格考试 registers."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from fazhi.core.formats import cn_date
from fazhi.registers.workflow import Step, Workflow

from .models import (
    EXECUTED_OUTCOMES,
    UNEXECUTED_OUTCOMES,
    CaseStatus,
    CertificateStatus,
    Outcome,
    RecordStatus,
)


def _close(certificate, on: date) -> None:
    """注销 or 收回 ends the certificate on its date, which may not precede its issue."""
    if certificate.issued_on and on < certificate.issued_on:
        raise ValidationError(
            {"closed_on": f"注销或收回日期不能早于发证日期（{cn_date(certificate.issued_on)}）。"}
        )


def _suspend(certificate, on: date) -> None:
    if certificate.issued_on and on < certificate.issued_on:
        raise ValidationError(
            {"suspended_on": f"暂扣日期不能早于发证日期（{cn_date(certificate.issued_on)}）。"}
        )


def _resume(certificate, on: date) -> None:
    if certificate.suspended_on and on < certificate.suspended_on:
        raise ValidationError(
            {"resumed_on": f"发还日期不能早于暂扣日期（{cn_date(certificate.suspended_on)}）。"}
        )


def _closing_steps() -> tuple[Step, ...]:
    return (
        Step(
            CertificateStatus.REVOKED,
            "注销",
            date_field="closed_on",
            requires=("closed_reason",),
            effect=_close,
        ),
        Step(
            CertificateStatus.WITHDRAWN,
            "收回",
            date_field="closed_on",
            requires=("closed_reason",),
            effect=_close,
        ),
    )


# 有效 → 暂扣 → 有效 / 注销 / 收回; a reason is required for 暂扣, 注销 and 收回 (地方执法证件管理办法).
CERTIFICATE_WORKFLOW = Workflow(
    states=dict(CertificateStatus.choices),
    initial=CertificateStatus.VALID,
    steps={
        CertificateStatus.VALID: (
            Step(
                CertificateStatus.SUSPENDED,
                "暂扣",
                date_field="suspended_on",
                requires=("suspension_reason",),
                effect=_suspend,
            ),
            *_closing_steps(),
        ),
        CertificateStatus.SUSPENDED: (
            Step(CertificateStatus.VALID, "发还", date_field="resumed_on", effect=_resume),
            *_closing_steps(),
        ),
    },
    closed=frozenset({CertificateStatus.REVOKED, CertificateStatus.WITHDRAWN}),
)

# A training or exam record is kept as entered; a wrong one is voided with its reason, not deleted.
RECORD_WORKFLOW = Workflow(
    states=dict(RecordStatus.choices),
    initial=RecordStatus.RECORDED,
    steps={RecordStatus.RECORDED: (Step(RecordStatus.VOIDED, "作废", requires=("void_reason",)),)},
    closed=frozenset({RecordStatus.RECORDED, RecordStatus.VOIDED}),  # nothing is pending on a record
)


def _decide(case, on: date) -> None:
    """决定: a major case (in the 重大执法决定目录, or flagged) only after its 法制审核
    (《行政处罚法》第五十八条; 国办发〔2018〕118号); the officers are checked by the model on this date."""
    if case.is_major and (case.legal_review_on is None or case.legal_review_on > on):
        raise ValidationError(
            {
                "legal_review_on": "依据《中华人民共和国行政处罚法》第五十八条，重大执法决定应当在作出决定前"
                "进行法制审核；未经法制审核或者审核未通过的，不得作出决定。"
            }
        )
    if case.outcome != Outcome.PENALTY and case.fine_amount:
        raise ValidationError({"fine_amount": f"处理结果为“{case.get_outcome_display()}”时不应有罚没金额。"})


_DECIDE = Step(
    CaseStatus.DECIDED,
    "作出决定",
    date_field="decided_on",
    requires=("outcome",),
    optional=("fine_amount", "discretion_item", "list_item"),
    effect=_decide,
)


def _publish(state: str) -> Step:
    """公示 of the decision (行政执法公示制度), recorded once, in whichever state the case is in by then
    (taken again, it would replace the date the 公示及时率 counts)."""
    return Step(state, "公示", date_field="published_on", when=("published_on", (None,)))


# 立案 → 调查取证 → 告知（陈述申辩、听证）→ 法制审核（重大案件必经）→ 决定 → 送达 → 执行 → 结案; a case whose
# outcome has nothing to carry out (``models.UNEXECUTED_OUTCOMES``) goes from 送达 to 结案.
CASE_WORKFLOW = Workflow(
    states=dict(CaseStatus.choices),
    initial=CaseStatus.FILED,
    steps={
        CaseStatus.FILED: (Step(CaseStatus.INVESTIGATING, "调查取证", date_field="investigated_on"),),
        CaseStatus.INVESTIGATING: (
            Step(CaseStatus.NOTIFIED, "告知", date_field="notified_on", optional=("hearing_requested",)),
        ),
        CaseStatus.NOTIFIED: (
            Step(CaseStatus.REVIEWED, "法制审核", date_field="legal_review_on"),
            _DECIDE,
        ),
        CaseStatus.REVIEWED: (_DECIDE,),
        CaseStatus.DECIDED: (
            Step(CaseStatus.SERVED, "送达", date_field="served_on"),
            _publish(CaseStatus.DECIDED),
        ),
        CaseStatus.SERVED: (
            Step(CaseStatus.EXECUTED, "执行", date_field="executed_on", when=("outcome", EXECUTED_OUTCOMES)),
            # nothing to 执行 (不予处罚, 不予行政许可, 未发现违法行为, 撤销案件 …): closed after 送达
            Step(CaseStatus.CLOSED, "结案", date_field="closed_on", when=("outcome", UNEXECUTED_OUTCOMES)),
            _publish(CaseStatus.SERVED),
        ),
        CaseStatus.EXECUTED: (
            Step(CaseStatus.CLOSED, "结案", date_field="closed_on"),
            _publish(CaseStatus.EXECUTED),
        ),
        CaseStatus.CLOSED: (_publish(CaseStatus.CLOSED),),  # a late 公示 is still recorded (and counted late)
    },
    closed=frozenset({CaseStatus.CLOSED}),
)
