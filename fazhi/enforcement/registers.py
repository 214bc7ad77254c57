"""This area's registers, declared once for the shared pages, Excel import/export and deadlines."""

from __future__ import annotations

from datetime import timedelta

from fazhi.core.formats import cn_date
from fazhi.registers.deadlines import Deadline
from fazhi.registers.spec import Column, Register, register
from fazhi.rules.services import effective_rule

from . import workflows
from .models import Certificate, CertificateStatus, ExamSitting, Training


def certificate_deadline(certificate: Certificate) -> Deadline | None:
    """换证 before the certificate expires: due the notice window (rule
    ``enforcement.certificate_expiry_notice``) before 有效期至, so the dashboard shows it 临期 as the
    window nears and 逾期 once it is inside it (or past expiry) with no new certificate recorded."""
    if certificate.status not in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        return None
    if not certificate.expires_on:
        return None
    rule = effective_rule("enforcement.certificate_expiry_notice", unit=certificate.unit).rule
    due = certificate.expires_on - timedelta(days=int(rule.number))
    return Deadline(f"执法证到期换证（有效期至{cn_date(certificate.expires_on)}）", due, rule.source)


def certificate_derive(certificate: Certificate) -> None:
    """The first day the certificate no longer gives 执法资格 (注销/收回, else the day after 有效期至),
    kept so the indicators count certificates in force in SQL."""
    expiry_end = certificate.expires_on + timedelta(days=1) if certificate.expires_on else None
    certificate.ended_on = certificate.closed_on or expiry_end


def certificate_summary(certificate: Certificate) -> list[tuple[str, str]]:
    rule = effective_rule("enforcement.certificate_expiry_notice", unit=certificate.unit).rule
    return [("到期提示", f"有效期届满前{rule.display_value}提示换证（{rule.source}）")]


UNIT = Column("unit", required=True, search=True)
STATUS = Column("status", header="状态")
RESPONSIBLE = Column("responsible", search=True)
NOTE = Column("note")

CERTIFICATES = register(
    Register(
        key="enforcement-certificates",
        model=Certificate,
        label="执法证台账",
        item_label="执法证",
        workflow=workflows.CERTIFICATE_WORKFLOW,
        columns=(
            UNIT,
            Column("number", required=True, listed=True, search=True),
            Column("holder", required=True, listed=True, search=True),
            Column("field", required=True, listed=True, filter=True),
            Column("issuer", required=True, search=True),
            Column("issued_on", required=True, listed=True),
            Column("expires_on", required=True, listed=True, planned=True),
            Column("suspended_on"),
            Column("suspension_reason"),
            Column("resumed_on"),
            Column("closed_on"),
            Column("closed_reason"),
            Column("ended_on", importable=False, planned=True),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("number",),
        title_field="number",
        year_field="issued_on",
        deadline=certificate_deadline,
        derive=certificate_derive,
        summary=certificate_summary,
        extra_links=(("培训学时核查", "enforcement:training_hours"), ("临期执法证", "enforcement:expiring")),
    )
)

TRAININGS = register(
    Register(
        key="enforcement-trainings",
        model=Training,
        label="执法人员培训记录",
        item_label="培训记录",
        workflow=workflows.RECORD_WORKFLOW,
        columns=(
            UNIT,
            Column("course", required=True, listed=True, search=True),
            Column("person", required=True, listed=True, search=True),
            Column("trained_on", required=True, listed=True),
            Column("hours", required=True, listed=True),
            Column("void_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("course", "trained_on", "person"),
        title_field="course",
        year_field="trained_on",
        extra_links=(("培训学时核查", "enforcement:training_hours"),),
    )
)

EXAMS = register(
    Register(
        key="enforcement-exams",
        model=ExamSitting,
        label="执法资格考试台账",
        item_label="执法资格考试",
        workflow=workflows.RECORD_WORKFLOW,
        columns=(
            UNIT,
            Column("ticket", required=True, listed=True, search=True),
            Column("person", required=True, listed=True, search=True),
            Column("sat_on", required=True, listed=True),
            Column("score", required=True, listed=True),
            Column("passed", listed=True, filter=True),
            Column("void_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("ticket",),
        title_field="ticket",
        year_field="sat_on",
    )
)
