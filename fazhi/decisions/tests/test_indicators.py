"""The decisions indicators, computed by the engine, against hand-counted registers."""

from datetime import date
from decimal import Decimal

import pytest

from fazhi.decisions.models import (
    AdministrativeAgreement,
    DelegatedPower,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    Opinion,
    PowerItem,
    ReviewKind,
)
from fazhi.indicators.engine import compute

pytestmark = pytest.mark.django_db


def review(unit, n, opinion_on, kind=ReviewKind.OTHER, opinion=Opinion.LAWFUL, count=1, status="issued"):
    return LegalityReview.objects.create(
        unit=unit,
        number=f"R{n}",
        title="t",
        kind=kind,
        submitter="s",
        submitted_on=date(2024, 1, 2),
        status=status,
        opinion=opinion if opinion_on else "",
        opinion_on=opinion_on,
        opinion_count=count,
    )


def doc(unit, title, published_on=None, filed_on=None, review=None, cleanup_on=None, filing_due_on=None):
    return NormativeDocument.objects.create(
        unit=unit,
        title=title,
        drafter="d",
        drafted_on=date(2024, 1, 2),
        status="filed",
        review=review,
        published_on=published_on,
        filed_on=filed_on,
        cleanup_on=cleanup_on,
        filing_due_on=filing_due_on,
    )


@pytest.fixture
def registers(county):
    office, hekou = county["changgang_office"], county["hekou"]
    r1 = review(office, 1, date(2024, 3, 1), ReviewKind.NORMATIVE, count=2)
    r2 = review(office, 2, date(2024, 6, 1), ReviewKind.AGREEMENT)
    r3 = review(hekou, 3, date(2024, 7, 1), ReviewKind.AGREEMENT, opinion=Opinion.UNLAWFUL, count=3)
    review(office, 4, date(2023, 12, 30))  # last year
    review(office, 5, None, status="accepted")  # not finished
    # documents: published 2024-03-05 filed on day 15 (in time), 2024-05-06 filed late, one unfiled
    doc(office, "A", date(2024, 3, 5), date(2024, 3, 20), review=r1, filing_due_on=date(2024, 3, 20))
    doc(office, "B", date(2024, 5, 6), date(2024, 6, 30), filing_due_on=date(2024, 5, 21))
    doc(hekou, "C", date(2024, 8, 1), None, cleanup_on=date(2024, 12, 1))
    doc(office, "D", date(2023, 5, 1), date(2024, 1, 5))  # filed this year, published last year
    MajorDecision.objects.create(
        unit=office,
        year=2024,
        title="m",
        category="policy",
        undertaker="u",
        listed_on=date(2024, 1, 2),
        decided_on=date(2024, 5, 1),
        review=r1,
        status="decided",
    )
    for n, (rv, signed) in enumerate(
        [(r2, date(2024, 6, 2)), (r3, date(2024, 7, 2)), (None, date(2024, 8, 1))]
    ):
        AdministrativeAgreement.objects.create(
            unit=office if n != 1 else hekou,
            number=f"A{n}",
            title="a",
            kind="other",
            counterparty="c",
            review=rv,
            signed_on=signed,
            status="performing",
        )
    for n, (listed, removed) in enumerate(
        [(date(2023, 1, 1), None), (date(2024, 2, 1), date(2024, 9, 1)), (date(2025, 1, 1), None)]
    ):
        PowerItem.objects.create(
            unit=office,
            code=f"P{n}",
            name="p",
            kind="license",
            basis="b",
            listed_on=listed,
            removed_on=removed,
            status="removed" if removed else "listed",
        )
    for n, taken in enumerate([date(2024, 4, 1), date(2024, 5, 1), None]):
        DelegatedPower.objects.create(
            unit=hekou,
            name=f"d{n}",
            level="city",
            kind="license",
            document="doc",
            delegated_on=date(2024, 1, 1),
            taken_on=taken,
            status="taken" if taken else "pending",
        )
    return county["county"], county["changgang"]


def value(name, unit, year=2024):
    return compute(unit, year, ids=[name], units=[unit.pk])[unit.pk][name]


def test_counts(registers):
    county, changgang = registers
    assert value("legality_reviews", county).value == 3 and value("legality_reviews", changgang).value == 2
    assert value("legality_opinions", county).value == 6  # 2 + 1 + 3
    assert value("agreements_reviewed", county).value == 2
    assert value("major_decisions", county).value == 1
    assert value("normative_docs_issued", county).value == 3
    assert value("normative_docs_filed", county).value == 3  # A, B and last year's D
    assert value("normative_docs_cleaned", county).value == 1
    assert value("powers_listed", changgang).value == 1  # P0; P1 removed, P2 listed only in 2025
    assert value("powers_listed", changgang, 2025).value == 2
    assert value("powers_delegated", county).value == 2 and value("powers_delegated", changgang).value == 0


def test_rates_carry_their_parts(registers):
    county, _ = registers
    filing = value("normative_filing_rate", county)
    assert (filing.numerator, filing.denominator, filing.value) == (2, 3, Decimal("66.7"))
    timely = value("normative_filing_timely_rate", county)
    assert (timely.numerator, timely.denominator, timely.value) == (1, 2, Decimal("50.0"))
    # acts needing review in 2024: docs A, B, C; decision; agreements ×3 → 7. Passed before the act:
    # A (r1), the decision (r1), agreement 0 (r2). r3 was 不合法; B, C and agreement 2 had none.
    reviewed = value("legality_review_rate", county)
    assert (reviewed.numerator, reviewed.denominator, reviewed.value) == (3, 7, Decimal("42.9"))
    assert value("normative_filing_rate", county, 2022).value is None  # nothing to count
