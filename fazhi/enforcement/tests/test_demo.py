"""The demo county's enforcement registers: certificates with renewals and withdrawals, some expiring
around today, training hours and exam sittings, and the figures they give."""

import pytest

from fazhi.core.demo import build_demo
from fazhi.enforcement.models import Certificate, EnforcementCase, ExamSitting, Training
from fazhi.enforcement.selectors import short_of_hours
from fazhi.indicators.engine import compute
from fazhi.org.models import Unit
from fazhi.org.selectors import subtree_ids
from fazhi.registers.deadlines import today

pytestmark = pytest.mark.django_db


CONTRIBUTORS = [
    "fazhi.org.demo.build",
    "fazhi.decisions.demo.build",
    "fazhi.enforcement.demo.build",
    "fazhi.indicators.demo.build",
]


def test_demo_fills_the_enforcement_registers(monkeypatch):
    monkeypatch.setattr("fazhi.core.demo.CONTRIBUTORS", CONTRIBUTORS)  # the reports are tested by their own
    ctx = build_demo(seed=5)
    assert ctx.rows["执法证"] == Certificate.objects.count() > 200
    assert Certificate.objects.filter(status__in=["revoked", "withdrawn"]).exists()
    now = today()
    valid = Certificate.objects.filter(status="valid")
    assert not valid.filter(due_date__isnull=True).exists()
    assert valid.filter(due_date__lte=now).exists()  # some are due for renewal around today
    assert Training.objects.exists() and ExamSitting.objects.filter(passed=False).exists()
    county = Unit.objects.get(code="410100")
    figures = compute(county, now.year - 1)[county.pk]
    assert figures["certified_staff"].value > 100
    assert figures["certificates_issued"].value > 0
    assert short_of_hours(subtree_ids(county), now.year - 1)
    # 行政执法案件
    assert ctx.rows["行政执法案件"] == EnforcementCase.objects.count() > 100
    for case in EnforcementCase.objects.select_related("unit", "lead_handler", "co_handler")[:300]:
        case.full_clean(validate_constraints=False, validate_unique=False)  # the officers' certificates hold
    open_cases = EnforcementCase.objects.exclude(status="closed")
    assert open_cases.filter(due_date__gte=now).exists() and open_cases.filter(due_date__lt=now).exists()
    assert compute(county, now.year - 1)[county.pk]["penalty_cases"].value > 0
