"""This area's registers, declared once for the shared pages, Excel import/export and deadlines."""

from __future__ import annotations

from fazhi.core.formats import cn_date
from fazhi.registers.deadlines import Deadline
from fazhi.registers.spec import NOTE, RESPONSIBLE, STATUS, Child, Column, Register, register

from . import workflows
from .models import CaseFileReview, Grade, Rectification, ReviewFinding


def review_summary(review: CaseFileReview) -> list[tuple[str, str]]:
    grade = Grade(review.grade).label
    lines = [("得分", f"{review.score}分（{grade}）")]
    if review.vetoed:
        lines.append(("提示", "不符合基本标准，不论得分均评为不合格"))
    return lines


def rectification_deadline(rectification: Rectification) -> Deadline | None:
    """The date the notice set: no law fixes a time limit for rectifying what a 评查 found."""
    if rectification.status in ("issued", "rectifying", "overdue") and rectification.due_on:
        return Deadline(
            "完成整改", rectification.due_on, f"整改通知（{cn_date(rectification.issued_on)}下发）"
        )
    return None


CASE_FILE_REVIEWS = register(
    Register(
        key="case-file-reviews",
        model=CaseFileReview,
        label="案卷评查台账",
        item_label="案卷评查记录",
        workflow=workflows.REVIEW_WORKFLOW,
        columns=(
            Column("unit", header="被评查单位", required=True, search=True),
            Column("number", required=True, listed=True, search=True),
            Column("organ", required=True, search=True),
            Column("case_ref", required=True, listed=True, search=True),
            Column("reviewed_on", required=True, listed=True),
            Column("reviewers", search=True),
            Column("opinion"),
            Column("score", listed=True, importable=False),
            Column("grade", listed=True, filter=True, importable=False),
            Column("vetoed", importable=False),
            Column("finished_on"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        children=(
            Child(
                ReviewFinding,
                fk="review",
                label="评查发现问题",
                columns=(Column("item_number", required=True), Column("description", required=True)),
            ),
        ),
        natural_key=("number",),
        title_field="case_ref",
        year_field="reviewed_on",
        summary=review_summary,
        extra_links=(("评查标准", "casereview:rubric"),),
    )
)

RECTIFICATIONS = register(
    Register(
        key="case-review-rectifications",
        model=Rectification,
        label="案卷评查整改台账",
        item_label="整改通知",
        workflow=workflows.RECTIFICATION_WORKFLOW,
        columns=(
            Column("unit", header="整改单位", required=True, search=True),
            Column("number", required=True, listed=True, search=True),
            Column("organ", required=True, search=True),
            Column("review", search=True),
            Column("problems", required=True, search=True),
            Column("issued_on", required=True, listed=True),
            Column("due_on", required=True, listed=True, planned=True),
            Column("started_on"),
            Column("overdue_on"),
            Column("completed_on", listed=True),
            Column("completion_note"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("number",),
        title_field="number",
        year_field="issued_on",
        deadline=rectification_deadline,
    )
)
