"""The demo county's decisions registers: realistic volumes, open items with deadlines, figures to show."""

import pytest

from fazhi.decisions.models import DelegatedPower, LegalityReview, NormativeDocument, PowerItem
from fazhi.indicators.engine import compute
from fazhi.org.models import Unit
from fazhi.registers.models import StatusChange

pytestmark = pytest.mark.django_db


def test_demo_fills_the_registers(demo_county):
    ctx = demo_county
    assert ctx.rows["合法性审查"] == LegalityReview.objects.count() > 500
    assert NormativeDocument.objects.filter(status="filed").exists()
    assert PowerItem.objects.count() > 1000 and DelegatedPower.objects.filter(status="pending").exists()
    open_reviews = LegalityReview.objects.filter(status="accepted")
    assert open_reviews.exists() and not open_reviews.filter(due_date__isnull=True).exists()
    assert StatusChange.objects.count() > LegalityReview.objects.count()
    county = Unit.objects.get(code="410100")
    year = LegalityReview.objects.filter(opinion_on__isnull=False).latest("opinion_on").opinion_on.year
    assert compute(county, year)[county.pk]["legality_reviews"].value > 100
    assert compute(county, year - 1)[county.pk]["normative_filing_rate"].denominator > 0
