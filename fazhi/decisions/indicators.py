"""The indicators of shared/indicators.md that this area's registers count, per unit subtree and year.

One selector per indicator id; each is a few aggregate queries. The indicator engine (issue 5) will
take these over into one catalogue of formulas.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import F, Q, Sum

from fazhi.indicators.values import IndicatorValue, count, rate
from fazhi.rules.services import deadline

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


def _year(field: str, year: int) -> Q:
    return Q(**{f"{field}__year": year})


def legality_reviews(unit_ids: list[int], year: int) -> IndicatorValue:
    """Reviews finished (opinion issued) in the year."""
    reviews = LegalityReview.objects.filter(unit_id__in=unit_ids, status="issued")
    return count(reviews.filter(_year("opinion_on", year)).count(), "件")


def legality_opinions(unit_ids: list[int], year: int) -> IndicatorValue:
    """审查意见 issued in the year (a review may give several)."""
    reviews = LegalityReview.objects.filter(unit_id__in=unit_ids, status="issued").filter(
        _year("opinion_on", year)
    )
    return count(reviews.aggregate(n=Sum("opinion_count"))["n"] or 0, "份")


def agreements_reviewed(unit_ids: list[int], year: int) -> IndicatorValue:
    reviews = LegalityReview.objects.filter(
        unit_id__in=unit_ids, status="issued", kind=ReviewKind.AGREEMENT
    ).filter(_year("opinion_on", year))
    return count(reviews.count(), "件")


def legality_review_rate(unit_ids: list[int], year: int) -> IndicatorValue:
    """Of the documents published, decisions taken and agreements signed in the year (all need a
    合法性审查 first), the share whose review was finished, not 不合法, on or before that act."""
    passed = Q(review__opinion_on__isnull=False) & ~Q(review__opinion=Opinion.UNLAWFUL)
    numerator = denominator = 0
    for model, act in (
        (NormativeDocument, "published_on"),
        (MajorDecision, "decided_on"),
        (AdministrativeAgreement, "signed_on"),
    ):
        acts = model.objects.filter(unit_id__in=unit_ids).filter(_year(act, year))
        denominator += acts.count()
        numerator += acts.filter(passed, review__opinion_on__lte=F(act)).count()
    return rate(numerator, denominator)


def major_decisions(unit_ids: list[int], year: int) -> IndicatorValue:
    decided = MajorDecision.objects.filter(unit_id__in=unit_ids).filter(_year("decided_on", year))
    return count(decided.count(), "件")


def normative_docs_issued(unit_ids: list[int], year: int) -> IndicatorValue:
    docs = NormativeDocument.objects.filter(unit_id__in=unit_ids).filter(_year("published_on", year))
    return count(docs.count(), "件")


def normative_docs_filed(unit_ids: list[int], year: int) -> IndicatorValue:
    docs = NormativeDocument.objects.filter(unit_id__in=unit_ids).filter(_year("filed_on", year))
    return count(docs.count(), "件")


def normative_filing_rate(unit_ids: list[int], year: int) -> IndicatorValue:
    """Of the documents published in the year, the share filed (报备率)."""
    published = NormativeDocument.objects.filter(unit_id__in=unit_ids).filter(_year("published_on", year))
    return rate(published.filter(filed_on__isnull=False).count(), published.count())


def normative_filing_timely_rate(unit_ids: list[int], year: int) -> IndicatorValue:
    """Of the documents published in the year and filed, the share filed within the filing period
    (normative.filing, for the owning unit, counted from publication)."""
    filed = (
        NormativeDocument.objects.filter(unit_id__in=unit_ids, filed_on__isnull=False)
        .filter(_year("published_on", year))
        .select_related("unit")
        .only("unit", "published_on", "filed_on")
    )
    timely = total = 0
    for doc in filed:
        total += 1
        timely += doc.filed_on <= deadline("normative.filing", doc.published_on, unit=doc.unit)
    return rate(timely, total)


def normative_docs_cleaned(unit_ids: list[int], year: int) -> IndicatorValue:
    docs = NormativeDocument.objects.filter(unit_id__in=unit_ids).filter(_year("cleanup_on", year))
    return count(docs.count(), "件")


def powers_listed(unit_ids: list[int], year: int) -> IndicatorValue:
    """Items on the 权责清单 at the end of the year."""
    end = date(year, 12, 31)
    items = PowerItem.objects.filter(unit_id__in=unit_ids, listed_on__lte=end).exclude(removed_on__lte=end)
    return count(items.count(), "项")


def powers_delegated(unit_ids: list[int], year: int) -> IndicatorValue:
    """Powers delegated from above and taken on in the year."""
    taken = DelegatedPower.objects.filter(unit_id__in=unit_ids, status="taken").filter(
        _year("taken_on", year)
    )
    return count(taken.count(), "项")


SELECTORS: dict[str, Callable[[list[int], int], IndicatorValue]] = {
    "legality_reviews": legality_reviews,
    "legality_review_rate": legality_review_rate,
    "legality_opinions": legality_opinions,
    "agreements_reviewed": agreements_reviewed,
    "major_decisions": major_decisions,
    "normative_docs_issued": normative_docs_issued,
    "normative_docs_filed": normative_docs_filed,
    "normative_filing_rate": normative_filing_rate,
    "normative_filing_timely_rate": normative_filing_timely_rate,
    "normative_docs_cleaned": normative_docs_cleaned,
    "powers_listed": powers_listed,
    "powers_delegated": powers_delegated,
}
