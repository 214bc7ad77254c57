"""The indicators of shared/indicators.md that this area's registers count (declared for the engine)."""

from django.db.models import F, Q

from fazhi.indicators.formulas import Count, Definition, InForce, Ratio, Total, define

from .models import (
    AdministrativeAgreement,
    DelegatedPower,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    Opinion,
    PowerItem,
    ReviewKind,
)

ISSUED = Q(status="issued")
# Acts that need a 合法性审查 first (国办发〔2018〕115号; 《重大行政决策程序暂行条例》第二十五条), and the
# share of them whose review was finished, not 不合法, on or before the act.
ACTS = (
    (NormativeDocument, "published_on"),
    (MajorDecision, "decided_on"),
    (AdministrativeAgreement, "signed_on"),
)


def _reviewed_before(act: str) -> Q:
    return Q(review__opinion_on__isnull=False, review__opinion_on__lte=F(act)) & ~Q(
        review__opinion=Opinion.UNLAWFUL
    )


define(
    Definition(
        "legality_reviews", Count(LegalityReview, "opinion_on", ISSUED), basis="出具审查意见的合法性审查"
    ),
    Definition("legality_opinions", Total(LegalityReview, "opinion_count", "opinion_on", ISSUED)),
    Definition(
        "agreements_reviewed", Count(LegalityReview, "opinion_on", ISSUED & Q(kind=ReviewKind.AGREEMENT))
    ),
    Definition(
        "legality_review_rate",
        Ratio(
            numerator=tuple(Count(model, act, _reviewed_before(act)) for model, act in ACTS),
            denominator=tuple(Count(model, act) for model, act in ACTS),
        ),
        target_rule="targets.legality_review_rate",
        basis="当年公布的规范性文件、作出的重大行政决策、签订的行政协议中事先经合法性审查的比例",
    ),
    Definition("major_decisions", Count(MajorDecision, "decided_on")),
    Definition("normative_docs_issued", Count(NormativeDocument, "published_on")),
    Definition("normative_docs_filed", Count(NormativeDocument, "filed_on")),
    Definition(
        "normative_filing_rate",
        Ratio(
            numerator=(Count(NormativeDocument, "published_on", Q(filed_on__isnull=False)),),
            denominator=(Count(NormativeDocument, "published_on"),),
        ),
        target_rule="targets.normative_filing_rate",
    ),
    Definition(
        "normative_filing_timely_rate",
        Ratio(
            numerator=(Count(NormativeDocument, "published_on", Q(filed_on__lte=F("filing_due_on"))),),
            denominator=(Count(NormativeDocument, "published_on", Q(filed_on__isnull=False)),),
        ),
        target_rule="targets.normative_filing_timely_rate",
    ),
    Definition("normative_docs_cleaned", Count(NormativeDocument, "cleanup_on")),
    Definition("powers_listed", InForce(PowerItem, "listed_on", "removed_on")),
    Definition("powers_delegated", Count(DelegatedPower, "taken_on", Q(status="taken"))),
)
