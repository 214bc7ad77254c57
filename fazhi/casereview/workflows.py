"""The steps of the 案卷评查 registers."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from fazhi.core.formats import cn_date
from fazhi.registers.selectors import attachments
from fazhi.registers.workflow import Step, Workflow

from .models import RectificationStatus, ReviewStatus

REVIEW_WORKFLOW = Workflow(
    states=dict(ReviewStatus.choices),
    initial="reviewing",
    steps={"reviewing": (Step("finished", "评定", date_field="finished_on"),)},
    closed=frozenset({"finished"}),
)


def _past_due(rectification, on: date) -> None:
    """逾期 only once the time limit the notice set has passed."""
    if rectification.due_on and on <= rectification.due_on:
        raise ValidationError(f"整改期限为{cn_date(rectification.due_on)}，{cn_date(on)}尚未逾期。")


def _with_evidence(rectification, on: date) -> None:
    """已整改 needs evidence: a file kept with the notice (整改报告、整改后的案卷等). A historical record
    imported from a 台账 (no file can come with it) carries the account of its rectification instead."""
    if rectification.pk is not None and not attachments(rectification).exists():
        raise ValidationError("确认整改完成前，请先上传整改佐证材料（附件）。")


_DONE = Step(
    "done", "确认整改完成", date_field="completed_on", requires=("completion_note",), effect=_with_evidence
)
_OVERDUE = Step("overdue", "登记逾期", date_field="overdue_on", effect=_past_due)

RECTIFICATION_WORKFLOW = Workflow(
    states=dict(RectificationStatus.choices),
    initial="issued",
    steps={
        "issued": (Step("rectifying", "开始整改", date_field="started_on"), _OVERDUE),
        "rectifying": (_DONE, _OVERDUE),
        "overdue": (_DONE,),
    },
    closed=frozenset({"done"}),
)
