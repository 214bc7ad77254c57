"""The demo county's enforcement registers: certificates with renewals and withdrawals, some expiring
around today, training hours and exam sittings, and the figures they give."""

import pytest

from fazhi.discretion.models import DiscretionItem, ListItem
from fazhi.enforcement.models import CaseRecord, Certificate, EnforcementCase, ExamSitting, Training
from fazhi.enforcement.registers import case_summary
from fazhi.enforcement.selectors import other_handler_problems, short_of_hours
from fazhi.indicators.engine import compute
from fazhi.org.models import Unit
from fazhi.org.selectors import subtree_ids
from fazhi.registers.deadlines import today

pytestmark = pytest.mark.django_db


def test_demo_fills_the_enforcement_registers(demo_county):
    ctx = demo_county
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
    # 裁量基准 and 四张清单: the county's, relied on by the cases of the units below it
    assert ctx.rows["裁量基准"] == DiscretionItem.objects.filter(unit=county).count() > 30
    assert ctx.rows["四张清单事项"] == ListItem.objects.filter(unit=county).count() >= 10
    fined = EnforcementCase.objects.filter(outcome="penalty", fine_amount__gt=0).select_related(
        "discretion_item", "list_item"
    )
    assert fined.count() > 30
    for case in fined:
        item = case.discretion_item
        inside = item.fine_min <= case.fine_amount <= item.fine_max
        assert inside or (case.fine_amount < item.fine_min and case.list_item.kind == "mitigated")
    first = EnforcementCase.objects.filter(outcome="first")
    assert first.exists() and set(first.values_list("list_item__kind", flat=True)) == {"no_penalty"}
    assert EnforcementCase.objects.filter(outcome="minor").exists()
    # a third of the cases with a third officer, certified on the days of 立案 and 决定
    cases = EnforcementCase.objects.count()
    third = list(EnforcementCase.objects.filter(other_handlers__isnull=False).distinct()[:50])
    assert (
        0.2 < EnforcementCase.objects.filter(other_handlers__isnull=False).distinct().count() / cases < 0.45
    )
    for case in third:
        assert other_handler_problems(case, list(case.other_handlers.all())) == []
    # 全过程记录 of each step taken, and the warning on a closed case missing those of a step
    closed = EnforcementCase.objects.filter(status="closed")
    assert CaseRecord.objects.filter(case__in=closed, step="service").values("case").distinct().count() < (
        closed.count()
    )
    assert not EnforcementCase.objects.filter(records__isnull=True).exists()
    warned = [c for c in closed[:200] if "全过程记录提示" in dict(case_summary(c))]
    assert warned and all("送达" in dict(case_summary(c))["全过程记录提示"] for c in warned)
