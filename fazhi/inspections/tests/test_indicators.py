"""The 双随机一公开 indicators: plans drawn and objects drawn in the year (in the plan's unit, rolled up),
and results published within the rule's working-day deadline over the plans whose results fell due in
the year; never kept, so a plan written by the services is counted at once."""

from datetime import date

import pytest

from fazhi.indicators import summary
from fazhi.indicators.engine import compute
from fazhi.indicators.models import DataVersion
from fazhi.inspections import services
from fazhi.inspections.models import DrawnObject, InspectionPlan, PlanStatus
from fazhi.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
IDS = ["random_inspections", "random_inspection_objects", "random_inspection_publicity_timely_rate"]


def plan(
    unit, user, drawn_on, objects, *, results_on=None, published_on=None, title="食品经营者日常监督检查"
):
    status = PlanStatus.PUBLISHED if published_on else PlanStatus.RESULTS if results_on else PlanStatus.DRAWN
    row = InspectionPlan.objects.create(
        unit=unit, title=title, year=drawn_on.year, status=status, count=objects, drafted_on=drawn_on,
        frozen_on=drawn_on, seed_announced_on=drawn_on, seed="2025030", drawn_on=drawn_on,
        results_on=results_on, published_on=published_on, created_by=user,
    )  # fmt: skip
    DrawnObject.objects.bulk_create(
        DrawnObject(plan=row, position=n, credit_code=f"9133{row.pk:04d}{n:010d}", digest="0" * 64,
                    inspectors="浙33010001、浙33010002", result="未发现问题" if results_on else "")
        for n in range(1, objects + 1)
    )  # fmt: skip
    return row


@pytest.fixture
def plans(county):
    user = UserFactory(unit=county["county"])
    office, hekou = county["changgang_office"], county["hekou"]
    # results recorded 2025年3月13日: due 2025年4月11日 (20 working days, 清明 4月4日)
    timely = plan(
        office, user, date(2025, 3, 3), 6, results_on=date(2025, 3, 13), published_on=date(2025, 4, 11)
    )
    late = plan(
        hekou, user, date(2025, 3, 3), 4, results_on=date(2025, 3, 13), published_on=date(2025, 4, 14)
    )
    # drawn in 2024, results due in 2025 (after the New Year holiday): counted in 2025's rate only
    carried = plan(
        hekou, user, date(2024, 12, 2), 3, results_on=date(2024, 12, 20), published_on=date(2025, 1, 9)
    )
    unpublished = plan(office, user, date(2025, 9, 1), 2, results_on=date(2025, 9, 15))
    plan(county["justice"], user, date(2025, 11, 20), 5)  # drawn, results not yet recorded
    return county | {"timely": timely, "late": late, "carried": carried, "unpublished": unpublished}


def test_plans_objects_and_timely_publication_roll_up(plans):
    assert services.results_due(plans["timely"]) == date(2025, 4, 11)
    assert services.results_due(plans["carried"]).year == 2025
    figures = compute(plans["county"], 2025, ids=IDS)
    county, changgang, hekou = (figures[plans[k].pk] for k in ("county", "changgang", "hekou"))
    assert county["random_inspections"].value == 4 and county["random_inspection_objects"].value == 17
    assert changgang["random_inspections"].value == 2 and changgang["random_inspection_objects"].value == 8
    assert hekou["random_inspections"].value == 1 and hekou["random_inspection_objects"].value == 4
    rate = county["random_inspection_publicity_timely_rate"]
    # due in 2025: timely, late, carried (published in time), unpublished (due 10月) → 2 of 4
    assert (rate.numerator, rate.denominator, rate.value) == (2, 4, 50)
    assert (changgang["random_inspection_publicity_timely_rate"].numerator,
            changgang["random_inspection_publicity_timely_rate"].denominator) == (1, 2)  # fmt: skip
    last_year = compute(plans["county"], 2024, ids=IDS)[plans["county"].pk]
    assert last_year["random_inspections"].value == 1
    assert last_year["random_inspection_objects"].value == 3
    assert last_year["random_inspection_publicity_timely_rate"].denominator == 0


def test_never_kept_so_a_new_plan_counts_at_once(plans):
    summary.rebuild([2025])
    assert DataVersion.objects.get(pk=1).figures_ready
    assert not any(k.split("/")[0] in IDS for k in summary.part_keys())
    plan(plans["hekou"], UserFactory(unit=plans["hekou"]), date(2025, 6, 2), 7)
    county = compute(plans["county"], 2025, ids=IDS)[plans["county"].pk]
    assert county["random_inspections"].value == 5 and county["random_inspection_objects"].value == 24
