"""The annual reports as a register: their workflow, due dates from the rules, and the shared pages."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.core.formats import plain_number
from fazhi.org.models import UnitLevel
from fazhi.registers.deadlines import Deadline
from fazhi.registers.models import StatusChange
from fazhi.registers.spec import NOTE, RESPONSIBLE, STATUS, Column, Register, register
from fazhi.registers.workflow import Step, Workflow
from fazhi.rules.services import annual_due_date, effective_rule

from .analyzer.structure import OPTIONAL_PARTS
from .models import AnnualReport, ReportStatus


def _ready_for_review(report: AnnualReport, on) -> None:
    """A report goes to 审核 only with every required part written (《督察工作规定》第二十五条) and its
    figures agreeing with the registers, or each difference explained."""
    from fazhi.rules.catalogue import national_rule

    from .analyzer.analyze import analyze_bytes
    from .builder import HEADINGS
    from .crosscheck import against_registers
    from .docx_render import render_docx

    if report.pk is None:  # a report written outside Fazhi, registered by import: its text is not here
        return
    written = {p.part: p for p in report.parts.order_by("order")}
    empty = [
        written[part].heading
        if part in written
        else HEADINGS[part].format(year=report.year, next=report.year + 1)
        for part in HEADINGS
        if part not in OPTIONAL_PARTS
        and not (part in written and (written[part].text.strip() or written[part].figures.strip()))
    ]
    if empty:
        source = national_rule("annual_report.part.measures").source
        raise ValidationError(f"以下部分还没有内容，不能提交审核（{source}）：{'、'.join(empty)}。")
    result = analyze_bytes(render_docx(report), f"{report.title}.docx")
    wrong = [
        d
        for d in against_registers(result, report.unit, report.year)
        if not d.ok and d.registered is not None
    ]
    if wrong and not report.differences_explained.strip():
        listed = "；".join(
            f"{d.name}：报告{plain_number(d.stated)}，台账{plain_number(d.registered or Decimal(0))}"
            for d in wrong
        )  # wrong ones all have a registered figure
        message = f"报告中的数字与台账不一致（{listed}），请修改正文或在“与台账差异说明”中逐项说明。"
        raise ValidationError({"differences_explained": message})


def _reviewed_by_another(report: AnnualReport, actor) -> None:
    """审核 is done by someone other than the one who submitted the report for it."""
    submitted = (
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(report), object_id=report.pk, to_status="reviewing"
        )
        .order_by("-at", "-pk")
        .first()
    )
    if submitted is not None and submitted.by_id == actor.pk:
        raise ValidationError("报告须由起草人以外的人员审核：您提交了审核，不能再由您审核通过。")


def _record_review(report: AnnualReport, on) -> None:
    """The day it is approved is its 成文日期 (the day the responsible person signs it off), unless the
    writer gave one."""
    report.reviewed_on = on
    if report.signed_on is None:
        report.signed_on = on


WORKFLOW = Workflow(
    states=dict(ReportStatus.choices),
    initial="drafting",
    steps={
        "drafting": (
            Step("reviewing", "提交审核", effect=_ready_for_review, optional=("differences_explained",)),
        ),
        "reviewing": (
            Step(
                "submitted",
                "审核通过并报送",
                date_field="submitted_on",
                effect=_record_review,
                sets=("reviewed_on",),
                actor_rule=_reviewed_by_another,
            ),
            Step("drafting", "退回修改"),
        ),
        "submitted": (Step("published", "向社会公开", date_field="published_on", requires=("public_url",)),),
    },
    closed=frozenset({"published"}),
)


def submit_rule(report: AnnualReport) -> str:
    """Departments report to their government and the department above; governments to the level above
    (督察工作规定 第二十四条; rules.md 1.2–1.5)."""
    if report.unit.level in (UnitLevel.DEPARTMENT, UnitLevel.OFFICE):
        return "annual_report.department_submit"
    return "annual_report.government_submit"


def report_deadline(report: AnnualReport) -> Deadline | None:
    """Due in the following year: submitted by 3月1日, published by 4月1日 (local rules may differ)."""
    if report.status in ("drafting", "reviewing"):
        code, label = submit_rule(report), "报送年度报告"
    elif report.status == "submitted":
        code, label = "annual_report.publish", "向社会公开"
    else:
        return None
    due = annual_due_date(code, report.year + 1, unit=report.unit)
    return Deadline(label, due, effective_rule(code, unit=report.unit).rule.source)


def report_links(report: AnnualReport) -> list[tuple[str, str]]:
    return [
        ("编辑正文", reverse("reports:annual_edit", args=[report.pk])),
        ("下载 DOCX", reverse("reports:annual_docx", args=[report.pk])),
        ("下载 PDF", reverse("reports:annual_pdf", args=[report.pk])),
        ("与台账核对", reverse("reports:annual_check", args=[report.pk])),
    ]


ANNUAL_REPORTS = register(
    Register(
        key="annual-reports",
        model=AnnualReport,
        label="年度法治政府建设情况报告",
        item_label="年度报告",
        workflow=WORKFLOW,
        columns=(
            Column("unit", required=True, search=True),
            Column("year", required=True, listed=True),
            Column("title", required=True, listed=True, search=True),
            Column("signatory", required=True, search=True),
            Column("signed_on", planned=True),
            Column("reviewed_on"),
            Column("submitted_on", listed=True),
            Column("published_on", listed=True),
            Column("public_url"),
            Column("differences_explained"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("year",),
        year_field=None,
        deadline=report_deadline,
        links=report_links,
        create_url_name="reports:annual_new",
        extra_links=(("下级报告汇总", "reports:annual_rollup"),),
        edit_links=(("生成报告初稿", "reports:annual_new"),),
    )
)
