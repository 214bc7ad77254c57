"""The steps of the 执法证, 培训记录 and 执法资格考试 registers."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from fazhi.core.formats import cn_date
from fazhi.registers.workflow import Step, Workflow

from .models import CertificateStatus, RecordStatus


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
