from datetime import date

import pytest

from fazhi.decisions.models import LegalityReview, Opinion, ReviewKind
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import PersonFactory, UserFactory
from fazhi.registers import services


@pytest.fixture
def office_user(county):
    """The 长冈乡司法所 operator, who keeps the township's legality reviews."""
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang")


@pytest.fixture
def scope(county):
    return subtree_ids(county["changgang"])


@pytest.fixture
def reviewer(county):
    return PersonFactory(unit=county["changgang_office"], name="李审查")


@pytest.fixture
def new_review(county, office_user, scope):
    def make(number="长冈审〔2024〕1号", kind=ReviewKind.OTHER, submitted_on=date(2024, 9, 26), **fields):
        review = LegalityReview(
            unit=county["changgang_office"],
            number=number,
            title="关于农村建房管理的行政协议送审稿",
            kind=kind,
            submitter="乡政府办公室",
            submitted_on=submitted_on,
            **fields,
        )
        return services.item_create(LEGALITY_REVIEWS, review, actor=office_user, scope_ids=scope)

    return make


@pytest.fixture
def issued_review(new_review, office_user, scope, reviewer):
    """A review accepted on 2024-09-27 and found 合法 on 2024-10-15."""

    def make(
        number="长冈审〔2024〕9号", kind=ReviewKind.OTHER, opinion=Opinion.LAWFUL, on=date(2024, 10, 15)
    ):
        review = new_review(number=number, kind=kind)
        step = services.item_transition
        step(LEGALITY_REVIEWS, review, "accepted", actor=office_user, scope_ids=scope, on=date(2024, 9, 27))
        step(
            LEGALITY_REVIEWS,
            review,
            "issued",
            actor=office_user,
            scope_ids=scope,
            on=on,
            values={"opinion": opinion, "reviewer": reviewer},
        )
        return review

    return make
