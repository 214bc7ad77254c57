"""This area's registers, declared once for the shared pages, Excel import/export and deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.core.exceptions import ValidationError

from fazhi.core.formats import cn_date
from fazhi.registers.deadlines import Deadline, rule_deadline
from fazhi.registers.spec import NOTE, RESPONSIBLE, STATUS, Child, Column, Register, register
from fazhi.rules.services import effective_rule

from . import workflows
from .models import (
    OUTCOMES_BY_TYPE,
    CaseRecord,
    CaseStatus,
    CaseType,
    Certificate,
    CertificateStatus,
    EnforcementCase,
    ExamSitting,
    MajorCatalogueItem,
    Outcome,
    Publicity,
    RecordStep,
    Training,
)
from .selectors import mitigated_below_range, other_handler_problems


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


# The time limits of a case by its type: (rule, label) of the decision from 立案 (for a 行政许可, the
# day the application was accepted) and of the 送达 after it, by outcome (None: any outcome). 行政强制 and
# 行政检查 have no general statutory limit for either in the rules catalogue, so no deadline is shown.
DECISION_RULES: dict[str, tuple[str, str]] = {
    CaseType.PENALTY: ("penalty.decision", "作出行政处罚决定"),  # 《行政处罚法》第六十条
    CaseType.LICENSE: ("licensing.decision", "作出行政许可决定"),  # 《行政许可法》第四十二条
}
SERVICE_RULES: dict[tuple[str, str], tuple[str, str]] = {
    # 《行政处罚法》第六十一条 (a 不予行政处罚决定书 is served the same way); 撤销案件 serves no decision
    (CaseType.PENALTY, Outcome.PENALTY): ("penalty.service", "送达行政处罚决定书"),
    **{
        (CaseType.PENALTY, outcome): ("penalty.service", "送达不予行政处罚决定书")
        for outcome in (Outcome.NO_PENALTY_MINOR, Outcome.NO_PENALTY_FIRST, Outcome.NO_PENALTY_OTHER)
    },
    # 《行政许可法》第四十四条
    (CaseType.LICENSE, Outcome.LICENSE_GRANTED): ("licensing.certificate", "颁发、送达行政许可证件"),
}


def case_deadline(case: EnforcementCase) -> Deadline | None:
    """The case's next statutory time limit, by its type (``DECISION_RULES``, ``SERVICE_RULES``): for a
    行政处罚 case the decision 90 days after 立案 (penalty.decision), then 送达 7 working days after 决定
    (penalty.service) and the decision's 公示 (``publicity_rule``), the earlier of the two while both
    are pending (one label when they fall on the same day); for a 行政许可 the decision 20 working days
    after 受理 and the licence 10 working days after 准予. A closed case has none; one closed unpublished
    is the dashboard's 结案未公示 (``selectors``)."""
    if case.status in (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.REVIEWED):
        decision = DECISION_RULES.get(case.case_type)
        return rule_deadline(decision[0], case.filed_on, case.unit, decision[1]) if decision else None
    if case.decided_on is None or case.status == CaseStatus.CLOSED:
        return None
    served = SERVICE_RULES.get((case.case_type, case.outcome))
    service = (
        rule_deadline(served[0], case.decided_on, case.unit, served[1])
        if served is not None and case.served_on is None
        else None
    )
    published = publicity_rule(case)
    publicity = (
        rule_deadline(published[0], case.decided_on, case.unit, published[1])
        if published is not None and case.published_on is None
        else None
    )
    if service is None or publicity is None:
        return service or publicity
    if service.due == publicity.due:
        return replace(
            service,
            label=f"送达并{publicity.label}",
            source=f"{service.source}；{publicity.source}",
            guessed=service.guessed or publicity.guessed,
        )
    return min(service, publicity, key=lambda d: d.due)


def publicity_rule(case: EnforcementCase) -> tuple[str, str] | None:
    """The rule and label of the 公示 a decided case owes (国办发〔2018〕118号: "行政许可、行政处罚的执法
    决定信息要在执法决定作出之日起7个工作日内公开", other 执法决定 within 20): the decision of a 行政许可
    case (准予 or 不予, 《行政许可法》第三十八条) or of a 行政处罚 case (给予 or 不予行政处罚, 《行政处罚法》
    第五十七条) within 7 working days (``enforcement.publicity_penalty``), that of a 行政强制 or the
    conclusion of a 行政检查 within 20 (``enforcement.publicity_other``); 撤销案件 decides nothing and
    owes none."""
    if not case.decided_on or case.outcome in ("", Outcome.REVOKED):
        return None
    if case.case_type == CaseType.LICENSE:
        return "enforcement.publicity_penalty", "公示行政许可决定"
    if case.case_type == CaseType.PENALTY:
        label = "公示行政处罚决定" if case.outcome == Outcome.PENALTY else "公示不予行政处罚决定"
        return "enforcement.publicity_penalty", label
    return "enforcement.publicity_other", "公示执法决定"


def case_derive(case: EnforcementCase) -> None:
    """A case in the unit's 重大执法决定目录 is major; the 公示 due date of its decision is kept so the
    publicity indicator counts in SQL, and where its 公示 stands (``publicity_state``) so the list
    filters by it and the dashboard counts the cases closed unpublished."""
    if case.major_item_id is not None:
        case.major = True
    published = publicity_rule(case)
    case.publicity_due = (
        rule_deadline(published[0], case.decided_on, case.unit, published[1]).due
        if published is not None and case.decided_on
        else None
    )
    case.publicity = publicity_state(case)


def publicity_state(case: EnforcementCase) -> str:
    """公示情况 from the stored fields: blank without a 公示 due; 按期/逾期公示 once published, by its due
    date; 结案未公示 when the case is closed unpublished, else 待公示."""
    if case.publicity_due is None:
        return ""
    if case.published_on is not None:
        return Publicity.ON_TIME if case.published_on <= case.publicity_due else Publicity.LATE
    return Publicity.CLOSED_UNPUBLISHED if case.status == CaseStatus.CLOSED else Publicity.PENDING


# The steps whose 全过程记录 a closed case should have: 调查取证 (现场检查、询问、证据), 决定 (决定书) and
# 送达 (送达回证). 国办发〔2018〕118号《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度
# 的指导意见》：行政执法机关要通过文字、音像等记录形式，对行政执法的启动、调查取证、审核决定、送达执行等
# 全部过程进行记录，并全面系统归档保存，做到执法全过程留痕和可回溯管理. A qualitative duty, not a number:
# a warning on the case page, never a block.
RECORDED_STEPS = (RecordStep.INVESTIGATION, RecordStep.DECISION, RecordStep.SERVICE)


def case_summary(case: EnforcementCase) -> list[tuple[str, str]]:
    """The case page's facts: major or not, the 公示 due date, the 裁量基准 and 清单 item relied on, the
    全过程记录 grouped by step, and a warning when a closed case lacks the records of a step."""
    from fazhi.discretion.models import yuan

    facts = [("重大执法决定", "是（须经法制审核方可决定）" if case.is_major else "否")]
    if case.publicity_due:
        facts.append(("公示期限", cn_date(case.publicity_due)))
    item, listed = case.discretion_item, case.list_item
    if item is not None:
        facts.append(("裁量基准", f"{item.number} {item}：罚款{item.range_text}，依据{item.penalty_basis}"))
    if listed is not None:
        facts.append(("适用清单", f"{listed.number} {listed}（依据{listed.basis}）"))
    if item is not None and listed is not None and mitigated_below_range(case):
        facts.append(
            (
                "减轻处罚",
                f"罚没金额{yuan(case.fine_amount)}元低于裁量基准下限（{item.range_text}），"
                f"依减轻处罚清单事项“{listed.matter}”减轻处罚（《中华人民共和国行政处罚法》第三十二条）",
            )
        )
    by_step: dict[str, list[CaseRecord]] = {}
    for record in case.records.all():
        by_step.setdefault(record.step, []).append(record)
    for step, label in RecordStep.choices:
        if step in by_step:
            records = "；".join(
                f"{r.get_kind_display()}{r.title}"
                + (f"（{r.reference}）" if r.reference else "")
                + f"，{cn_date(r.made_on)}"
                for r in by_step[step]
            )
            facts.append((f"全过程记录·{label}", records))
    if case.status == CaseStatus.CLOSED:
        missing = [RecordStep(s).label for s in RECORDED_STEPS if s not in by_step]
        if missing:
            facts.append(
                (
                    "全过程记录提示",
                    f"本案已结案，但没有{'、'.join(missing)}环节的全过程记录。依据国办发〔2018〕118号"
                    "《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》，"
                    "应对调查取证、审核决定、送达执行等全部过程进行记录并归档保存。",
                )
            )
    return facts


def case_check_related(case: EnforcementCase, values: dict[str, list]) -> None:
    """Every officer of the case (主办、协办 and 其他执法人员) holds a valid 执法证 on the days of 立案 and
    决定, and none is named twice (《行政处罚法》第四十二条; ``selectors.other_handler_problems``)."""
    if messages := other_handler_problems(case, values.get("other_handlers", [])):
        raise ValidationError({"other_handlers": messages})


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
            Column("other_handlers", search=True),
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
            Column("discretion_item"),
            Column("list_item"),
            Column("served_on"),
            Column("executed_on"),
            Column("closed_on"),
            Column("published_on"),
            Column("publicity_due", importable=False, planned=True),
            Column("publicity", importable=False, filter=True),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("number",),
        title_field="number",
        year_field="filed_on",
        children=(
            Child(
                CaseRecord,
                fk="case",
                label="全过程记录",
                columns=(
                    Column("step", required=True),
                    Column("kind", required=True),
                    Column("title", required=True),
                    Column("reference"),
                    Column("made_on", required=True),
                ),
            ),
        ),
        deadline=case_deadline,
        derive=case_derive,
        summary=case_summary,
        check_related=case_check_related,
        choices_for=lambda case, name: OUTCOMES_BY_TYPE.get(case.case_type) if name == "outcome" else None,
    )
)
