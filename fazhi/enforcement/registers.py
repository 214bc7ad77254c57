"""This area's registers, declared once for the shared pages, Excel import/export and deadlines."""

from __future__ import annotations

from datetime import timedelta

from fazhi.core.formats import cn_date
from fazhi.registers.deadlines import Deadline, rule_deadline
from fazhi.registers.spec import NOTE, RESPONSIBLE, STATUS, Column, Register, register
from fazhi.rules.services import effective_rule

from . import workflows
from .models import (
    CaseStatus,
    Certificate,
    CertificateStatus,
    EnforcementCase,
    ExamSitting,
    MajorCatalogueItem,
    Outcome,
    Training,
)


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


def case_deadline(case: EnforcementCase) -> Deadline | None:
    """The case's next statutory time limit: the decision 90 days after 立案 (penalty.decision), then
    送达 7 working days after 决定 (penalty.service), then 公示 of a penalty decision (publicity_penalty)."""
    if case.status in (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.REVIEWED):
        return rule_deadline("penalty.decision", case.filed_on, case.unit, "作出行政处罚决定")
    if case.decided_on is None or case.status == CaseStatus.CLOSED:
        return None
    if case.served_on is None:
        return rule_deadline("penalty.service", case.decided_on, case.unit, "送达行政处罚决定书")
    if case.outcome == Outcome.PENALTY and case.published_on is None:
        return rule_deadline("enforcement.publicity_penalty", case.decided_on, case.unit, "公示行政处罚决定")
    return None


def case_derive(case: EnforcementCase) -> None:
    """A case in the unit's 重大执法决定目录 is major; the 公示 due date of a penalty decision is kept so
    the publicity indicator counts in SQL."""
    if case.major_item_id is not None:
        case.major = True
    if case.decided_on and case.outcome == Outcome.PENALTY:
        case.publicity_due = rule_deadline(
            "enforcement.publicity_penalty", case.decided_on, case.unit, "公示行政处罚决定"
        ).due
    else:
        case.publicity_due = None


def case_summary(case: EnforcementCase) -> list[tuple[str, str]]:
    facts = [("重大执法决定", "是（须经法制审核方可决定）" if case.is_major else "否")]
    if case.publicity_due:
        facts.append(("公示期限", cn_date(case.publicity_due)))
    return facts


MAJOR_CATALOGUE = register(
    Register(
        key="enforcement-major-catalogue",
        model=MajorCatalogueItem,
        label="重大执法决定法制审核目录",
        item_label="重大执法决定目录事项",
        workflow=workflows.RECORD_WORKFLOW,
        columns=(
            UNIT,
            Column("title", required=True, listed=True, search=True),
            Column("basis", listed=True),
            Column("listed_on", required=True, listed=True),
            Column("void_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("title",),
        title_field="title",
        year_field="listed_on",
    )
)

CASES = register(
    Register(
        key="enforcement-cases",
        model=EnforcementCase,
        label="行政执法案件台账",
        item_label="行政执法案件",
        workflow=workflows.CASE_WORKFLOW,
        columns=(
            UNIT,
            Column("number", required=True, listed=True, search=True),
            Column("case_type", required=True, listed=True, filter=True),
            Column("party_kind", required=True, filter=True),
            Column("party_person", listed=True),
            Column("party_organization", listed=True, search=True),
            Column("cause", required=True, listed=True, search=True),
            Column("lead_handler", required=True, search=True),
            Column("co_handler", required=True, search=True),
            Column("major_item"),
            Column("major", filter=True),
            Column("filed_on", required=True, listed=True),
            Column("investigated_on"),
            Column("notified_on"),
            Column("hearing_requested"),
            Column("legal_review_on"),
            Column("decided_on", listed=True),
            Column("outcome", filter=True),
            Column("fine_amount"),
            Column("served_on"),
            Column("executed_on"),
            Column("closed_on"),
            Column("published_on"),
            Column("publicity_due", importable=False, planned=True),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("number",),
        title_field="number",
        year_field="filed_on",
        deadline=case_deadline,
        derive=case_derive,
        summary=case_summary,
    )
)
