"""The decisions factories make valid items through the services, in their first state or replayed to
a later one."""

import pytest

from fazhi.decisions.tests.factories import (
    AdministrativeAgreementFactory,
    DelegatedPowerFactory,
    LegalityReviewFactory,
    MajorDecisionFactory,
    NormativeDocumentFactory,
    PowerItemFactory,
    ReviewPointFactory,
)
from fazhi.registers.spec import register_for
from fazhi.registers.testing import timeline_of

pytestmark = pytest.mark.django_db

FACTORIES = [
    LegalityReviewFactory,
    MajorDecisionFactory,
    NormativeDocumentFactory,
    AdministrativeAgreementFactory,
    PowerItemFactory,
    DelegatedPowerFactory,
]


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_a_factory_registers_an_item_in_its_first_state(factory_class, county):
    first, second = factory_class.create_batch(2, unit=county["changgang_office"])
    spec = register_for(factory_class._meta.model)
    assert (first.status, first.version) == (spec.workflow.initial, 1)
    assert [label for _, _, label, _ in timeline_of(first)] == ["登记"]
    assert spec.title(first) != spec.title(second)  # a series, not one item twice


def test_an_issued_review_is_replayed_through_its_steps(county):
    review = LegalityReviewFactory(unit=county["changgang_office"], issued=True)
    assert (review.status, review.opinion, review.reviewer.unit) == ("issued", "lawful", review.unit)
    assert review.accepted_on < review.opinion_on
    assert [label for _, _, label, _ in timeline_of(review)] == ["登记", "受理", "出具审查意见"]
    point = ReviewPointFactory(review=review)
    assert list(review.points.all()) == [point]
    assert ReviewPointFactory().review.unit.parent is None  # a review of its own, in a unit of its own
