"""This area's registers, declared once for the shared pages, Excel import/export and deadlines."""

from __future__ import annotations

from fazhi.core.formats import cn_date
from fazhi.registers.deadlines import Deadline, rule_deadline
from fazhi.registers.spec import NOTE, RESPONSIBLE, STATUS, Child, Column, Register, register
from fazhi.rules.services import effective_rule
from fazhi.workdays.calendar import add_months

from . import workflows
from .models import (
    AdministrativeAgreement,
    DelegatedPower,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    PowerItem,
    ReviewKind,
    ReviewPoint,
)


# -- deadlines ------------------------------------------------------------------------------------
def review_period_rules(review: LegalityReview) -> tuple[str, str]:
    """(minimum, maximum) rule codes of a review's period, by what is reviewed."""
    if review.kind == ReviewKind.NORMATIVE:
        return "normative.legality_review_min", "normative.legality_review_max"
    if review.kind == ReviewKind.MAJOR_DECISION:
        return "major_decision.legality_review", "legality_review.max"
    return "legality_review.min", "legality_review.max"


def review_deadline(review: LegalityReview) -> Deadline | None:
    """审查意见 within M working days of 受理, not counting days spent supplementing materials."""
    if review.status != "accepted" or not review.accepted_on:
        return None
    _, maximum = review_period_rules(review)
    return rule_deadline(
        maximum, review.accepted_on, review.unit, "出具审查意见", extra_workdays=review.paused_workdays
    )


def review_earliest_opinion(review: LegalityReview) -> Deadline | None:
    """The review should generally take at least N working days (一般不少于)."""
    if not review.accepted_on:
        return None
    minimum, _ = review_period_rules(review)
    return rule_deadline(
        minimum, review.accepted_on, review.unit, "最早出具意见", extra_workdays=review.paused_workdays
    )


def review_summary(review: LegalityReview) -> list[tuple[str, str]]:
    earliest = review_earliest_opinion(review)
    if earliest is None:
        return [("审查期限", "受理后起算")]
    minimum, maximum = (effective_rule(c, unit=review.unit).rule for c in review_period_rules(review))
    lines = [
        (
            "审查期限",
            f"不少于{minimum.display_value}，不超过{maximum.display_value}（退回补充材料期间不计入）",
        ),
        ("一般最早出具日", cn_date(earliest.due)),
    ]
    if review.opinion_on and review.opinion_on < earliest.due:
        lines.append(("提示", f"审查时间少于{minimum.display_value}"))
    return lines


def document_deadline(document: NormativeDocument) -> Deadline | None:
    if document.status == "reviewing" and document.review and document.review.due_date:
        return Deadline("合法性审核", document.review.due_date, document.review.due_source)
    if document.status == "published" and document.published_on:
        return rule_deadline("normative.filing", document.published_on, document.unit, "报送备案")
    if document.status == "filed" and document.valid_until:
        rule = effective_rule("normative.expiry_evaluation", unit=document.unit).rule
        due = add_months(document.valid_until, -int(rule.number))
        return Deadline(f"届满前评估（有效期至{cn_date(document.valid_until)}）", due, rule.source)
    return None


def document_derive(document: NormativeDocument) -> None:
    """The filing deadline is kept on the document, so 报备及时率 is counted in SQL."""
    published = document.published_on
    document.filing_due_on = (
        rule_deadline("normative.filing", published, document.unit, "报送备案").due if published else None
    )


def agreement_deadline(agreement: AdministrativeAgreement) -> Deadline | None:
    if agreement.status == "performing" and agreement.term_end:
        return Deadline("履行期限届满", agreement.term_end, "协议约定")
    return None


def delegation_deadline(power: DelegatedPower) -> Deadline | None:
    if power.status in ("pending", "declined") and power.takeover_by:
        return Deadline("完成承接", power.takeover_by, power.document)
    return None


# -- the registers ----------------------------------------------------------------------------------
UNIT = Column("unit", required=True, search=True)

LEGALITY_REVIEWS = register(
    Register(
        key="legality-reviews",
        model=LegalityReview,
        label="合法性审查台账",
        item_label="合法性审查",
        workflow=workflows.REVIEW_WORKFLOW,
        columns=(
            UNIT,
            Column("number", required=True, listed=True, search=True),
            Column("title", required=True, listed=True, search=True),
            Column("kind", required=True, listed=True, filter=True),
            Column("submitter", required=True, listed=True, search=True),
            Column("submitted_on", required=True, listed=True),
            Column("contact_phone"),
            Column("accepted_on"),
            Column("returned_on"),
            Column("resumed_on"),
            Column("reviewer", search=True),
            Column("advisers", search=True),
            Column("opinion", listed=True, filter=True),
            Column("opinion_on"),
            Column("opinion_count"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        excluded=("paused_workdays",),  # counted by the 材料补齐 step from the return and resume dates
        children=(
            Child(
                ReviewPoint,
                fk="review",
                label="审查意见要点",
                columns=(
                    Column("clause", required=True),
                    Column("problem", required=True),
                    Column("suggestion"),
                    Column("adopted"),
                ),
            ),
        ),
        natural_key=("number",),
        year_field="submitted_on",
        deadline=review_deadline,
        summary=review_summary,
    )
)

MAJOR_DECISIONS = register(
    Register(
        key="major-decisions",
        model=MajorDecision,
        label="重大行政决策台账",
        item_label="重大行政决策",
        workflow=workflows.DECISION_WORKFLOW,
        columns=(
            UNIT,
            Column("year", required=True, listed=True),
            Column("title", required=True, listed=True, search=True),
            Column("category", required=True, listed=True, filter=True),
            Column("undertaker", required=True, listed=True, search=True),
            Column("listed_on", required=True),
            Column("comment_from"),
            Column("comment_to", planned=True),
            Column("comment_shortened_reason"),
            Column("hearing_on"),
            Column("expert_required"),
            Column("expert_on"),
            Column("risk_required"),
            Column("risk_on"),
            Column("review", search=True),
            Column("meeting"),
            Column("decided_on", listed=True),
            Column("result", listed=True),
            Column("published_on"),
            Column("evaluated_on"),
            Column("archived_on"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("year", "title"),
        year_field="listed_on",
    )
)

NORMATIVE_DOCUMENTS = register(
    Register(
        key="normative-documents",
        model=NormativeDocument,
        label="行政规范性文件台账",
        item_label="行政规范性文件",
        workflow=workflows.NORMATIVE_WORKFLOW,
        columns=(
            UNIT,
            Column("title", required=True, listed=True, search=True),
            Column("doc_number", listed=True, search=True),
            Column("drafter", required=True, listed=True, search=True),
            Column("drafted_on", required=True),
            Column("review", search=True),
            Column("meeting"),
            Column("deliberated_on"),
            Column("published_on", listed=True),
            Column("publish_channel"),
            Column("filed_to"),
            Column("filed_on", listed=True),
            Column("provisional"),
            Column("valid_until", listed=True, planned=True),
            Column("filing_due_on", importable=False, planned=True),
            Column("cleanup_on"),
            Column("cleanup_result", importable=False),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("title", "drafted_on"),
        year_field="published_on",
        deadline=document_deadline,
        derive=document_derive,
        extra_links=(("发文目录", "decisions:catalogue"),),
    )
)

AGREEMENTS = register(
    Register(
        key="agreements",
        model=AdministrativeAgreement,
        label="行政协议台账",
        item_label="行政协议",
        workflow=workflows.AGREEMENT_WORKFLOW,
        columns=(
            UNIT,
            Column("number", required=True, listed=True, search=True),
            Column("title", required=True, listed=True, search=True),
            Column("kind", required=True, listed=True, filter=True),
            Column("counterparty", required=True, listed=True, search=True),
            Column("amount", listed=True),
            Column("review", search=True),
            Column("signed_on", listed=True),
            Column("term_end", planned=True),
            Column("closed_on"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("number",),
        year_field="signed_on",
        deadline=agreement_deadline,
    )
)

POWER_ITEMS = register(
    Register(
        key="power-items",
        model=PowerItem,
        label="权责清单",
        item_label="权责清单事项",
        workflow=workflows.POWER_WORKFLOW,
        columns=(
            UNIT,
            Column("code", required=True, listed=True, search=True),
            Column("name", required=True, listed=True, search=True),
            Column("kind", required=True, listed=True, filter=True),
            Column("basis", required=True, search=True),
            Column("listed_on", required=True, listed=True),
            Column("removed_on"),
            Column("removal_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("code",),
        title_field="name",
        year_field="listed_on",
    )
)

DELEGATED_POWERS = register(
    Register(
        key="delegated-powers",
        model=DelegatedPower,
        label="赋权承接台账",
        item_label="赋权承接事项",
        workflow=workflows.DELEGATION_WORKFLOW,
        columns=(
            UNIT,
            Column("name", required=True, listed=True, search=True),
            Column("level", required=True, listed=True, filter=True),
            Column("kind", required=True, listed=True, filter=True),
            Column("document", required=True, search=True),
            Column("delegated_on", required=True, listed=True),
            Column("takeover_by", listed=True, planned=True),
            Column("requirements"),
            Column("taken_on", listed=True),
            Column("decline_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("name",),
        title_field="name",
        year_field="delegated_on",
        deadline=delegation_deadline,
    )
)
