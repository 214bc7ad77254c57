"""The demo county's 案卷评查: the seeds' volumes, scores as the services compute them, notices due
around today."""

from datetime import timedelta

import pytest

from fazhi.casereview import services
from fazhi.casereview.models import CaseFileReview, Rectification, RubricItem
from fazhi.indicators.engine import compute
from fazhi.org.models import Unit
from fazhi.registers.deadlines import today

pytestmark = pytest.mark.django_db


def test_demo_reviews_290_files_and_sends_14_units_notices(demo_county):
    now = today()
    county = Unit.objects.get(code="410100")
    assert RubricItem.objects.filter(unit__isnull=True).count() == 18
    figures = compute(county, now.year)[county.pk]
    assert figures["case_files_reviewed"].value == 290
    assert figures["case_review_units_rectifying"].value == 14
    notices = Rectification.objects.filter(issued_on__year=now.year)
    assert notices.values("unit").distinct().count() == 14
    near = notices.exclude(status="done").filter(
        due_date__range=(now - timedelta(days=20), now + timedelta(days=20))
    )
    assert near.exists()
    for review in CaseFileReview.objects.order_by("pk")[::97]:
        numbers = list(review.findings.values_list("item_number", flat=True))
        assert (review.score, review.grade, review.vetoed) == services.score(
            review.unit, numbers, review.reviewed_on
        )
    assert (
        CaseFileReview.objects.filter(grade="fail").exists()
        and CaseFileReview.objects.filter(grade="pass").exists()
    )
