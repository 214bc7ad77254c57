"""Reads for the scan page and the 记录备查 pages, scoped to the viewer's units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from fazhi.core.attention import Notice
from fazhi.enforcement.models import Certificate
from fazhi.enforcement.selectors import valid_on
from fazhi.inspections.models import InspectionObject, InspectionPlan, ObjectKind, PlanStatus
from fazhi.org.models import Person, Unit, UnitLevel, User
from fazhi.org.selectors import ancestor_ids, visible_unit_ids

from .models import DEFAULT_REPEAT_LIMIT, QuietPeriod, Visit, VisitPolicy

# a plan has drawn its objects from the 抽取 step on
DRAWN_STATES = [PlanStatus.DRAWN, PlanStatus.RESULTS, PlanStatus.PUBLISHED]


def enterprises(unit_ids: Iterable[int]) -> QuerySet[InspectionObject]:
    """The enterprises (检查对象 of kind 企业) of the units, by 统一社会信用代码."""
    return (
        InspectionObject.objects.filter(unit_id__in=list(unit_ids), kind=ObjectKind.ENTERPRISE)
        .select_related("unit")
        .order_by("credit_code", "pk")
    )


def county_of(unit: Unit) -> int | None:
    """The nearest unit at or above ``unit`` of level 县（区）."""
    chain = ancestor_ids(unit)
    levels = dict(Unit.objects.filter(pk__in=chain).values_list("pk", "level"))
    return next((pk for pk in chain if levels.get(pk) == UnitLevel.COUNTY), None)


def may_inspect(officer_unit: Unit, enterprise: InspectionObject, chain: list[int] | None = None) -> bool:
    """Whether an officer of ``officer_unit`` may log a visit to ``enterprise``: the unit sees the
    enterprise's unit (its own or a subordinate's), or it is an enforcement department (县直部门) of the
    county the enterprise is in. ``chain``: the enterprise unit's ``ancestor_ids``, if already read."""
    chain = chain if chain is not None else ancestor_ids(enterprise.unit)
    if officer_unit.pk in chain:
        return True
    if officer_unit.level != UnitLevel.DEPARTMENT:
        return False
    county = county_of(officer_unit)
    return county is not None and county in chain


def may_log(user: User, enterprise: InspectionObject) -> bool:
    """The logged-in user may log a visit: has a person, and that person's unit may inspect."""
    person = user.person if user.person_id else None
    return person is not None and may_inspect(person.unit, enterprise)


def plans_for(enterprise: InspectionObject) -> QuerySet[InspectionPlan]:
    """The drawn 抽查计划 whose draw selected this enterprise (by its 统一社会信用代码), newest first."""
    return (
        InspectionPlan.objects.filter(status__in=DRAWN_STATES, drawn__credit_code=enterprise.credit_code)
        .defer("objects_text", "inspectors_text", "conflicts_text")
        .select_related("unit")
        .distinct()
        .order_by("-year", "-pk")
    )


def certified_colleagues(person: Person, on: date) -> QuerySet[Person]:
    """People of ``person``'s unit holding a valid 执法证 on ``on``, ``person`` excepted: the officers
    offered as 同行执法人员."""
    holders = Certificate.objects.filter(valid_on(on), unit_id=person.unit_id).values("holder_id")
    return Person.objects.filter(pk__in=holders, is_active=True).exclude(pk=person.pk).order_by("name", "pk")


def quiet_periods_on(
    enterprise: InspectionObject, day: date, chain: list[int] | None = None
) -> list[QuietPeriod]:
    """The quiet periods covering ``enterprise`` on ``day``: declared by its unit or a unit above for all
    enterprises, or listing it."""
    chain = chain if chain is not None else ancestor_ids(enterprise.unit)
    return list(
        QuietPeriod.objects.filter(
            valid_from__lte=day, valid_to__gte=day, first_day__lte=day.day, last_day__gte=day.day
        )
        .filter(Q(all_enterprises=True, unit_id__in=chain) | Q(all_enterprises=False, enterprises=enterprise))
        .distinct()
        .order_by("pk")
    )


def visible_visits(unit_ids: Iterable[int]) -> QuerySet[Visit]:
    """Visits made by officers of the units, or to enterprises of the units."""
    ids = list(unit_ids)
    return (
        Visit.objects.filter(Q(unit_id__in=ids) | Q(enterprise__unit_id__in=ids))
        .select_related("enterprise", "enterprise__unit", "unit", "officer", "plan", "quiet_period")
        .prefetch_related("co_officers")
        .order_by("-visited_at", "-pk")
    )


def visits_between(unit_ids: Iterable[int], start: date, end: date, *, flagged: bool | None = None):
    visits = visible_visits(unit_ids).filter(visited_on__gte=start, visited_on__lte=end)
    if flagged is not None:
        visits = visits.filter(flagged=flagged)
    return visits


def flagged_count(unit_ids: Iterable[int], start: date, end: date) -> int:
    return visits_between(unit_ids, start, end, flagged=True).count()


def quiet_period_notice(unit_ids: list[int] | None, year: int) -> Notice | None:
    """For the dashboard: visits of ``year`` flagged as made in a quiet period without an allowed reason."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    scope = unit_ids if unit_ids is not None else list(Unit.objects.values_list("pk", flat=True))
    url = f"{reverse('onsite:flagged_list')}?start={start.isoformat()}&end={end.isoformat()}"
    return Notice("安静期违规入企", flagged_count(scope, start, end), url)


def repeat_limit(unit: Unit | None) -> tuple[int, Unit | None]:
    """The 重复检查 threshold for ``unit``: the nearest unit up the tree that set one, and that unit;
    (DEFAULT_REPEAT_LIMIT, None) when none did."""
    if unit is None:
        return DEFAULT_REPEAT_LIMIT, None
    chain = ancestor_ids(unit)
    policies = {p.unit_id: p for p in VisitPolicy.objects.filter(unit_id__in=chain).select_related("unit")}
    for pk in chain:
        if pk in policies:
            return policies[pk].repeat_limit, policies[pk].unit
    return DEFAULT_REPEAT_LIMIT, None


@dataclass(frozen=True)
class RepeatRow:
    enterprise: InspectionObject
    visits: int
    units: int
    flagged: int


def visits_per_enterprise(unit_ids: Iterable[int], year: int, *, more_than: int = 0) -> list[RepeatRow]:
    """Per enterprise of the units: visits in ``year`` (by anyone), by how many inspecting units
    (多头检查), and how many of them were flagged; those with more than ``more_than`` visits, most first."""
    ids = list(unit_ids)
    counts = (
        Visit.objects.filter(enterprise__unit_id__in=ids, visited_on__year=year)
        .values("enterprise_id")
        .annotate(
            total=Count("pk"),
            units=Count("unit_id", distinct=True),
            flagged=Count("pk", filter=Q(flagged=True)),
        )
        .filter(total__gt=more_than)
        .order_by("-total", "enterprise_id")
    )
    rows = list(counts)
    objects = InspectionObject.objects.select_related("unit").in_bulk([r["enterprise_id"] for r in rows])
    return [RepeatRow(objects[r["enterprise_id"]], r["total"], r["units"], r["flagged"]) for r in rows]


def enterprise_in_scope(user: User, enterprise: InspectionObject) -> bool:
    return enterprise.unit_id in set(visible_unit_ids(user))
