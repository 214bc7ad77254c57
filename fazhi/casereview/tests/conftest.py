from datetime import date

import pytest

from fazhi.casereview.models import CaseFileReview, ReviewFinding
from fazhi.casereview.registers import CASE_FILE_REVIEWS
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.registers import services


@pytest.fixture
def county_user(county):
    """The 青山县司法局 operator who keeps the county's 案卷评查."""
    return UserFactory(unit=county["county"], role=UserRole.OPERATOR, username="casereview-op")


@pytest.fixture
def scope(county):
    return subtree_ids(county["county"])


@pytest.fixture
def new_review(county, county_user, scope):
    """A review by the 司法局 of a file of 长冈乡司法所, with findings of the given rubric numbers."""

    def make(*numbers, number="青评〔2024〕1号", unit=None, reviewed_on=date(2024, 5, 20), descriptions=None):
        review = CaseFileReview(
            unit=unit or county["changgang_office"],
            number=number,
            organ="青山县司法局",
            case_ref="违法占用耕地建房案（长冈罚〔2024〕3号）",
            reviewed_on=reviewed_on,
        )
        texts = descriptions or [f"问题{n}" for n in numbers]
        rows = [ReviewFinding(item_number=n, description=t) for n, t in zip(numbers, texts, strict=True)]
        children = {CASE_FILE_REVIEWS.children[0]: rows}
        return services.item_create(
            CASE_FILE_REVIEWS, review, actor=county_user, scope_ids=scope, children=children
        )

    return make


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
