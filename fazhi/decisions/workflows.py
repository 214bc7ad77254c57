"""The steps of each register in this area, with the legal rules each step enforces."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from fazhi.core.formats import cn_date
from fazhi.registers.workflow import Step, Workflow
from fazhi.rules.services import deadline, effective_rule
from fazhi.workdays.calendar import add_months
from fazhi.workdays.services import work_calendar

from .models import (
    AgreementStatus,
    CleanupResult,
    DecisionStatus,
    DelegationStatus,
    DocumentStatus,
    Opinion,
    PowerStatus,
    ReviewStatus,
)


def _require_passed_review(review, on: date, what: str) -> None:
    """A finished, not 不合法 合法性审查 comes before ``what`` (国办发〔2018〕115号；条例第二十五条)."""
    if review is None or not review.opinion_on:
        raise ValidationError(f"{what}前须经合法性审查并出具审查意见。")
    if review.opinion == Opinion.UNLAWFUL:
        raise ValidationError(f"合法性审查结论为“不合法”，不得{what}。")
    if review.opinion_on > on:
        raise ValidationError(
            f"合法性审查意见（{cn_date(review.opinion_on)}）晚于{what}日期（{cn_date(on)}）。"
        )


# -- 合法性审查 ---------------------------------------------------------------------------------------
def _resume_review(review, on: date) -> None:
    """Working days spent supplementing materials do not count toward the review period."""
    if review.returned_on and on < review.returned_on:
        raise ValidationError({"resumed_on": "补齐材料日期不能早于退回补充材料日期。"})
    if review.returned_on:
        calendar = work_calendar(strict=False)
        review.paused_workdays += calendar.workdays_between(review.returned_on, on)


REVIEW_WORKFLOW = Workflow(
    states=dict(ReviewStatus.choices),
    initial="submitted",
    steps={
        "submitted": (
            Step("accepted", "受理", date_field="accepted_on"),
            Step("withdrawn", "撤回"),
        ),
        "accepted": (
            Step("issued", "出具审查意见", date_field="opinion_on", requires=("opinion", "reviewer")),
            Step("returned", "退回补充材料", date_field="returned_on"),
            Step("withdrawn", "撤回"),
        ),
        "returned": (
            Step(
                "accepted",
                "材料补齐，继续审查",
                date_field="resumed_on",
                effect=_resume_review,
                sets=("paused_workdays",),
            ),
            Step("withdrawn", "撤回"),
        ),
    },
    closed=frozenset({"issued", "withdrawn"}),
)


# -- 重大行政决策 -------------------------------------------------------------------------------------
def _end_public_comment(decision, on: date) -> None:
    """公开征求意见 lasts at least 30 days unless the notice explained why not (条例第十五条)."""
    if not decision.comment_from or not decision.comment_to:
        raise ValidationError("请填写公开征求意见的开始和截止日期。")
    earliest = deadline("major_decision.public_comment", decision.comment_from, unit=decision.unit)
    if decision.comment_to < earliest and not decision.comment_shortened_reason:
        days = effective_rule("major_decision.public_comment", unit=decision.unit).rule.display_value
        raise ValidationError(
            f"公开征求意见期限不少于{days}（应至少到{cn_date(earliest)}），"
            "缩短的须填写理由（《重大行政决策程序暂行条例》第十五条）。"
        )


def _decide(decision, on: date) -> None:
    """集体讨论决定 after 合法性审查, and 专家论证 / 风险评估 where required (条例第二十五、二十九条)."""
    _require_passed_review(decision.review, on, "提交集体讨论")
    if decision.expert_required and not decision.expert_on:
        raise ValidationError("该事项需专家论证，请先填写专家论证日期。")
    if decision.risk_required and not decision.risk_on:
        raise ValidationError("该事项需风险评估，请先填写风险评估完成日期。")


DECISION_WORKFLOW = Workflow(
    states=dict(DecisionStatus.choices),
    initial="listed",
    steps={
        "listed": (
            Step("consulting", "公开征求意见", date_field="comment_from", requires=("comment_to",)),
            Step("withdrawn", "调出目录"),
        ),
        "consulting": (
            Step("reviewing", "送合法性审查", requires=("review",), effect=_end_public_comment),
            Step("withdrawn", "调出目录"),
        ),
        "reviewing": (
            Step("reviewing", "重新送合法性审查", requires=("review",)),
            Step("withdrawn", "调出目录"),
            Step(
                "decided",
                "集体讨论决定",
                date_field="decided_on",
                requires=("meeting", "result"),
                effect=_decide,
            ),
        ),
        "decided": (Step("published", "公布", date_field="published_on"),),
        "published": (
            Step("evaluated", "决策后评估", date_field="evaluated_on"),
            Step("archived", "归档", date_field="archived_on"),
        ),
        "evaluated": (Step("archived", "归档", date_field="archived_on"),),
    },
    closed=frozenset({"archived", "withdrawn"}),
)


# -- 行政规范性文件 -----------------------------------------------------------------------------------
def _approve_document(document, on: date) -> None:
    _require_passed_review(document.review, on, "提交集体审议")


def _publish_document(document, on: date) -> None:
    """Set the validity period when none was given (地方规定：一般不超过5年，暂行、试行不超过2年)."""
    if not document.valid_until:
        code = "normative.provisional_validity_years" if document.provisional else "normative.validity_years"
        years = int(effective_rule(code, unit=document.unit, on=on).rule.number)
        document.valid_until = add_months(on, 12 * years)


def _cleanup_step(to: str, label: str, result: CleanupResult) -> Step:
    """清理 on its date, recording the outcome (保留/修改/废止)."""

    def effect(document, on: date) -> None:
        document.cleanup_result = result

    return Step(to, label, date_field="cleanup_on", effect=effect, sets=("cleanup_result",))


NORMATIVE_WORKFLOW = Workflow(
    states=dict(DocumentStatus.choices),
    initial="drafting",
    steps={
        "drafting": (
            Step("reviewing", "送合法性审核", requires=("review",)),
            Step("abandoned", "终止制定"),
        ),
        "reviewing": (
            Step(
                "approved",
                "集体审议通过",
                date_field="deliberated_on",
                requires=("meeting",),
                effect=_approve_document,
            ),
            Step("reviewing", "重新送合法性审核", requires=("review",)),
            Step("abandoned", "终止制定"),
        ),
        "approved": (
            Step(
                "published",
                "公布",
                date_field="published_on",
                requires=("doc_number", "publish_channel"),
                effect=_publish_document,
            ),
        ),
        "published": (Step("filed", "报送备案", date_field="filed_on", requires=("filed_to",)),),
        "filed": (
            _cleanup_step("filed", "清理：保留", CleanupResult.KEEP),
            _cleanup_step("amended", "清理：修改", CleanupResult.AMEND),
            _cleanup_step("repealed", "清理：废止", CleanupResult.REPEAL),
            Step("expired", "有效期届满失效"),
        ),
    },
    closed=frozenset({"amended", "repealed", "expired", "abandoned"}),
)


# -- 行政协议 -----------------------------------------------------------------------------------------
def _sign(agreement, on: date) -> None:
    _require_passed_review(agreement.review, on, "签订协议")


AGREEMENT_WORKFLOW = Workflow(
    states=dict(AgreementStatus.choices),
    initial="drafting",
    steps={
        "drafting": (Step("reviewing", "送合法性审查", requires=("review",)),),
        "reviewing": (
            Step("performing", "签订", date_field="signed_on", effect=_sign),
            Step("reviewing", "重新送合法性审查", requires=("review",)),
        ),
        "performing": (
            Step("completed", "履行完毕", date_field="closed_on"),
            Step("terminated", "终止", date_field="closed_on"),
        ),
    },
    closed=frozenset({"completed", "terminated"}),
)


# -- 权责清单 and 赋权承接 -----------------------------------------------------------------------------
POWER_WORKFLOW = Workflow(
    states=dict(PowerStatus.choices),
    initial="listed",
    steps={"listed": (Step("removed", "取消事项", date_field="removed_on", requires=("removal_reason",)),)},
    closed=frozenset({"listed", "removed"}),  # nothing is pending on a list item
)

DELEGATION_WORKFLOW = Workflow(
    states=dict(DelegationStatus.choices),
    initial="pending",
    steps={
        "pending": (
            Step("taken", "完成承接", date_field="taken_on"),
            Step("declined", "暂缓或退回", requires=("decline_reason",)),
        ),
        "declined": (Step("taken", "完成承接", date_field="taken_on"),),
    },
    closed=frozenset({"taken"}),
)
