"""The onsite demo on a small county: quiet periods per year, a code per enterprise, visits through the
service with some flagged, the same for the same seed."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.utils import timezone

from fazhi.core.demo import DemoContext
from fazhi.enforcement.tests.factories import certified_officer
from fazhi.inspections.models import InspectionObject, ObjectKind
from fazhi.onsite import demo
from fazhi.onsite.models import EnterpriseCode, QuietPeriod, Visit
from fazhi.org.models import UnitLevel, UserRole
from fazhi.org.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_logs_visits_through_the_service(county):
    root = county["county"]
    market = UnitFactory(code="C-D2", name="青山县市场监督管理局", level=UnitLevel.DEPARTMENT, parent=root)
    today = timezone.localdate()
    for _ in range(4):
        certified_officer(market, today)
    scjg = UserFactory(unit=market, username="scjg")
    UserFactory(unit=None, username="admin", role=UserRole.SYSTEM_ADMIN, is_superuser=True)
    for n in range(20):
        InspectionObject.objects.create(
            unit=county["changgang_office"], status="listed", name=f"演示企业{n}", kind=ObjectKind.ENTERPRISE,
            credit_code=f"91330102MA{n:08d}", industry="餐饮服务", region="长冈乡", risk="B",
            listed_on=date(2020, 1, 1),
        )  # fmt: skip
    ctx = DemoContext(rng=random.Random(1), scale=1, years=range(today.year - 1, today.year + 1))
    demo.build(ctx)
    assert QuietPeriod.objects.filter(unit=root).count() == 2
    assert EnterpriseCode.objects.count() == 20 == ctx.rows["onsite_codes"]
    visits = Visit.objects.count()
    assert visits == ctx.rows["onsite_visits"] == demo.VISITS_PER_SCALE
    flagged = Visit.objects.filter(flagged=True)
    assert 0 < flagged.count() < visits
    assert all(v.quiet_period.first_day <= v.visited_on.day <= v.quiet_period.last_day for v in flagged)
    assert not Visit.objects.filter(visited_at__gt=timezone.now()).exists()
    scjg.refresh_from_db()
    assert scjg.person is not None and scjg.person.unit == market  # the demo login can scan
