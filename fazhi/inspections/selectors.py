"""What the public sees of the 双随机 抽查 (国发〔2019〕5号: 抽查事项、抽查结果 公开): published plans, newest
first, and each drawn object's result with only its 统一社会信用代码 and name; a natural person's name as
张*, and any ID or phone number a clerk typed into a name or a result starred out."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from fazhi.core.attention import Notice
from fazhi.org.models import Unit
from fazhi.org.selectors import subtree_ids
from fazhi.publicity.selectors import scrub
from fazhi.registers.deadlines import today

from .models import DrawnObject, InspectionPlan, ObjectKind, PlanStatus

FROZEN_TEXTS = ("objects_text", "inspectors_text", "conflicts_text")  # megabytes: never on a list


def published_plans(*, unit: Unit | None = None, year: int | None = None) -> QuerySet[InspectionPlan]:
    """Plans whose results are published, of ``unit`` and its subordinates (all when None), newest first."""
    plans = InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED, published_on__isnull=False)
    if unit is not None:
        plans = plans.filter(unit_id__in=subtree_ids(unit))
    if year:
        plans = plans.filter(year=year)
    return plans.select_related("unit").defer(*FROZEN_TEXTS).order_by("-published_on", "-pk")


def published_years() -> list[int]:
    return sorted(
        set(InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED).values_list("year", flat=True)),
        reverse=True,
    )


@dataclass(frozen=True)
class PublicResult:
    position: int
    credit_code: str
    name: str
    stratum: str
    inspectors: str
    result: str
    handling: str


def mask_person(name: str) -> str:
    return f"{name[:1]}*" if name else ""


def public_result(drawn: DrawnObject) -> PublicResult:
    """A drawn object as it may be published."""
    person = drawn.name if drawn.kind == ObjectKind.PERSON else ""
    masked = mask_person(person)
    return PublicResult(
        position=drawn.position,
        credit_code=drawn.credit_code,
        name=masked if person else scrub(drawn.name, "", ""),
        stratum=drawn.stratum,
        inspectors=drawn.inspectors,
        result=scrub(drawn.result, person, masked),
        handling=scrub(drawn.handling, person, masked),
    )


def public_results(plan: InspectionPlan) -> list[PublicResult]:
    """The results of a published plan (none before it is published)."""
    if plan.status != PlanStatus.PUBLISHED:
        return []
    return [public_result(d) for d in plan.drawn.order_by("position")]


def late_results_notice(unit_ids: list[int] | None, year: int) -> Notice | None:
    """For the dashboard: plans of ``year`` whose 检查结果 are recorded but not published, past
    ``services.results_due`` (20 working days, rule ``random_inspection.result_publicity``)."""
    from .services import results_due  # the services read these selectors

    plans = InspectionPlan.objects.filter(year=year, results_on__isnull=False, published_on__isnull=True)
    if unit_ids is not None:
        plans = plans.filter(unit_id__in=unit_ids)
    now = today()
    late = sum(
        1 for plan in plans.select_related("unit").defer(*FROZEN_TEXTS) if (results_due(plan) or now) < now
    )
    return Notice("抽查结果逾期未公示", late, reverse("inspections:plan_list"), measure="项")
