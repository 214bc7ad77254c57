"""This area's registers, declared once for the shared pages, Excel import/export and deadlines."""

from __future__ import annotations

from fazhi.core.formats import cn_date
from fazhi.registers.deadlines import Deadline, rule_deadline
from fazhi.registers.spec import Column, Register, register
from fazhi.rules.services import effective_rule
from fazhi.workdays.calendar import add_months

from . import forms, workflows
from .models import (
    AdministrativeAgreement,
    DelegatedPower,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    PowerItem,
    ReviewKind,
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
UNIT = Column("unit", required=True)
STATUS = Column("status", header="状态")

LEGALITY_REVIEWS = register(
    Register(
        key="legality-reviews",
        model=LegalityReview,
        label="合法性审查台账",
        item_label="合法性审查",
        workflow=workflows.REVIEW_WORKFLOW,
        form=forms.LegalityReviewForm,
        columns=(
            UNIT,
            Column("number", required=True),
            Column("title", required=True),
            Column("kind", required=True),
            Column("submitter", required=True),
            Column("submitted_on", required=True),
            Column("accepted_on"),
            Column("reviewer"),
            Column("opinion"),
            Column("opinion_on"),
            Column("opinion_count"),
            Column("responsible"),
            STATUS,
            Column("note"),
        ),
        list_columns=("number", "title", "kind", "submitter", "submitted_on", "opinion"),
        search_fields=("number", "title", "submitter"),
        filter_fields=("kind", "opinion"),
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
        form=forms.MajorDecisionForm,
        columns=(
            UNIT,
            Column("year", required=True),
            Column("title", required=True),
            Column("category", required=True),
            Column("undertaker", required=True),
            Column("listed_on", required=True),
            Column("comment_from"),
            Column("comment_to"),
            Column("expert_required"),
            Column("expert_on"),
            Column("risk_required"),
            Column("risk_on"),
            Column("review"),
            Column("meeting"),
            Column("decided_on"),
            Column("result"),
            Column("published_on"),
            Column("responsible"),
            STATUS,
            Column("note"),
        ),
        list_columns=("title", "year", "category", "undertaker", "decided_on", "result"),
        search_fields=("title", "undertaker"),
        filter_fields=("category",),
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
        form=forms.NormativeDocumentForm,
        columns=(
            UNIT,
            Column("title", required=True),
            Column("doc_number"),
            Column("drafter", required=True),
            Column("drafted_on", required=True),
            Column("review"),
            Column("meeting"),
            Column("deliberated_on"),
            Column("published_on"),
            Column("publish_channel"),
            Column("filed_to"),
            Column("filed_on"),
            Column("provisional"),
            Column("valid_until"),
            Column("cleanup_on", importable=False),
            Column("cleanup_result", importable=False),
            Column("responsible"),
            STATUS,
            Column("note"),
        ),
        list_columns=("title", "doc_number", "drafter", "published_on", "filed_on", "valid_until"),
        search_fields=("title", "doc_number", "drafter"),
        natural_key=("title",),
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
        form=forms.AgreementForm,
        columns=(
            UNIT,
            Column("number", required=True),
            Column("title", required=True),
            Column("kind", required=True),
            Column("counterparty", required=True),
            Column("amount"),
            Column("review"),
            Column("signed_on"),
            Column("term_end"),
            Column("closed_on"),
            Column("responsible"),
            STATUS,
            Column("note"),
        ),
        list_columns=("number", "title", "kind", "counterparty", "amount", "signed_on"),
        search_fields=("number", "title", "counterparty"),
        filter_fields=("kind",),
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
        form=forms.PowerItemForm,
        columns=(
            UNIT,
            Column("code", required=True),
            Column("name", required=True),
            Column("kind", required=True),
            Column("basis", required=True),
            Column("listed_on", required=True),
            Column("removed_on"),
            Column("removal_reason"),
            STATUS,
            Column("note"),
        ),
        list_columns=("code", "name", "kind", "listed_on"),
        search_fields=("code", "name", "basis"),
        filter_fields=("kind",),
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
        form=forms.DelegatedPowerForm,
        columns=(
            UNIT,
            Column("name", required=True),
            Column("level", required=True),
            Column("kind", required=True),
            Column("document", required=True),
            Column("delegated_on", required=True),
            Column("takeover_by"),
            Column("requirements"),
            Column("taken_on"),
            Column("responsible"),
            STATUS,
            Column("note"),
        ),
        list_columns=("name", "level", "kind", "delegated_on", "takeover_by", "taken_on"),
        search_fields=("name", "document"),
        filter_fields=("level", "kind"),
        natural_key=("name",),
        title_field="name",
        year_field="delegated_on",
        deadline=delegation_deadline,
    )
)
