"""The demo's 双随机 rows: pools per township with valid codes, plans in every state made through the
services (so each verifies), published results public without personal data."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from fazhi.inspections import credit_codes, services
from fazhi.inspections.models import Conflict, InspectionObject, InspectionPlan, PlanStatus
from fazhi.registers.deadlines import today

pytestmark = pytest.mark.django_db


def test_credit_codes_have_their_check_character():
    assert credit_codes.is_valid("91350100M000100Y43")  # GB 32100-2015's example
    assert not credit_codes.is_valid("91350100M000100Y44")
    code = credit_codes.make("92", "330102", 123456789)
    assert credit_codes.is_valid(code) and code.startswith("92330102")


def test_the_demo_has_pools_conflicts_and_plans_in_every_state(demo_county, client):
    codes = list(InspectionObject.objects.values_list("credit_code", flat=True))
    assert len(codes) > 1000 and all(credit_codes.is_valid(c) for c in codes)
    assert Conflict.objects.exists()
    states = Counter(InspectionPlan.objects.values_list("status", flat=True))
    assert set(states) == set(PlanStatus.values) and states[PlanStatus.PUBLISHED] >= 6
    published = list(InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED))
    assert any(p.published_on > services.results_due(p) for p in published)  # some late
    assert any(p.published_on <= services.results_due(p) for p in published)
    open_plan = InspectionPlan.objects.get(status=PlanStatus.RESULTS)
    assert abs((services.results_due(open_plan) - today()).days) <= 10
    plan = published[0]
    assert services.verify(plan).consistent
    page = client.get(reverse("inspections:plan_public", args=[plan.pk])).content.decode()
    row = plan.drawn.first()
    assert row.name and row.name in page and row.result in page
    listing = client.get(reverse("inspections:public_list")).content.decode()
    assert plan.title in listing
